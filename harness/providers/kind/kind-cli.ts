import { run } from "../../exec/command";
import { info } from "../../log";

/**
 * The kind CLI, driven with argument arrays. Every cluster of a run lives on a
 * docker network of its own (KIND_EXPERIMENTAL_DOCKER_NETWORK), so removing a
 * run also removes its network and never touches a user's `kind` network.
 */
export interface KindCliOptions {
  kindBin: string;
  network: string;
}

export function createClusterArgv(o: { kindBin: string; name: string; image: string; configPath: string; kubeconfigPath: string }): string[] {
  return [o.kindBin, "create", "cluster", "--name", o.name, "--image", o.image, "--config", o.configPath, "--kubeconfig", o.kubeconfigPath, "--retain"];
}

export function deleteClusterArgv(kindBin: string, name: string): string[] {
  return [kindBin, "delete", "cluster", "--name", name];
}

export function exportLogsArgv(kindBin: string, name: string, dir: string): string[] {
  return [kindBin, "export", "logs", dir, "--name", name];
}

/** The environment kind runs with: the run's own network. */
export function kindEnv(network: string): Record<string, string> {
  return { KIND_EXPERIMENTAL_DOCKER_NETWORK: network };
}

export class KindCli {
  constructor(private readonly o: KindCliOptions) {}

  async createCluster(a: { name: string; image: string; configPath: string; kubeconfigPath: string; timeoutMs: number }): Promise<void> {
    await run(createClusterArgv({ kindBin: this.o.kindBin, ...a }), {
      env: kindEnv(this.o.network),
      timeoutMs: a.timeoutMs,
      hint: `kind could not create ${a.name}; its node container was kept (--retain) until the run's cleanup, and its logs are exported then`,
    });
  }

  /**
   * Exports the cluster's logs, then deletes it; export failures never keep
   * the cluster alive. The run's sweep calls this from the cluster's record.
   */
  async deleteCluster(name: string, logsDir: string | undefined): Promise<void> {
    if (logsDir) {
      await run(exportLogsArgv(this.o.kindBin, name, logsDir), { env: kindEnv(this.o.network), timeoutMs: 120_000 }).then(
        () => info(`kind logs of ${name} exported to ${logsDir}`),
        (err: Error) => info(`kind export logs ${name} failed (deleting anyway): ${err.message.split("\n")[0]}`),
      );
    }
    await run(deleteClusterArgv(this.o.kindBin, name), { env: kindEnv(this.o.network), timeoutMs: 120_000 });
  }
}
