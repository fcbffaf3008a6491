import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import { run } from "../../exec/command";
import { ProvisionError } from "../../errors";
import { info, timed } from "../../log";
import { runIdOf } from "../../run/run-dir";
import { tokenFileLine } from "./component-args";
import { bootstrapGroup, TOKEN_FILE_UID, TOKEN_FILE_USER } from "../../kube/seed-bindings";
import type { Cluster, ClusterProvider, ComponentVersions } from "../provider";
import type { ClusterSpec } from "../spec";
import { BinaryCluster, newStaticToken } from "./cluster";
import { startControlPlane } from "./control-plane";
import { createClusterNetwork } from "./network";
import { binaryPreflight } from "./preflight";
import type { Daemon } from "../../exec/daemon";
import { forgetResource } from "../../run/resources";

export interface BinaryProviderOptions {
  runDir: string;
  binDir: string;
  etcdBin: string;
}

/** Takes the next free cluster directory c0, c1... of the run (exclusive mkdir, so concurrent creators never share one). */
async function claimClusterDir(runDir: string): Promise<{ index: number; dir: string }> {
  for (let index = 0; index < 10; index++) {
    const dir = join(runDir, `c${index}`);
    try {
      await mkdir(dir);
      return { index, dir };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
    }
  }
  throw new ProvisionError(`more than 10 clusters in run ${runDir}`);
}

async function firstLine(argv: string[]): Promise<string> {
  return (await run(argv)).stdout.split("\n")[0]!.trim();
}

/**
 * A real control plane (etcd, kube-apiserver, kube-controller-manager) and
 * kubelets with containerd, all as local processes, as in a binary install.
 */
export class BinaryProvider implements ClusterProvider {
  readonly name = "binary";

  constructor(private readonly o: BinaryProviderOptions) {}

  preflight(): Promise<void> {
    return binaryPreflight(this.o.etcdBin);
  }

  async versions(): Promise<ComponentVersions> {
    const k = (b: string) => firstLine([join(this.o.binDir, b), "--version"]);
    return {
      "kube-apiserver": await k("kube-apiserver"),
      "kube-controller-manager": await k("kube-controller-manager"),
      kubelet: await k("kubelet"),
      etcd: await firstLine([this.o.etcdBin, "--version"]),
      containerd: await firstLine(["containerd", "--version"]),
      runc: await firstLine(["runc", "--version"]),
    };
  }

  async create(spec: ClusterSpec): Promise<Cluster> {
    await this.preflight();
    const { index, dir } = await claimClusterDir(this.o.runDir);
    const name = `ktc-${runIdOf(this.o.runDir)}-c${index}`;
    info(`creating binary cluster ${name} in ${dir}`);
    const bridge = `ktc${runIdOf(this.o.runDir)}c${index}`;
    const daemons: Daemon[] = [];
    try {
      const network = await createClusterNetwork(this.o.runDir, bridge);
      const tokenFileToken = newStaticToken();
      const { value: controlPlane, ms } = await timed(`bringing up control plane of ${name}`, () =>
        startControlPlane({
          runDir: this.o.runDir,
          dir,
          namePrefix: `${name}-`,
          binDir: this.o.binDir,
          etcdBin: this.o.etcdBin,
          apiServerIp: network.gateway,
          spec,
          daemons,
          tokenFileLines: [tokenFileLine(tokenFileToken, TOKEN_FILE_USER, TOKEN_FILE_UID, [bootstrapGroup(spec.bindingStyle)])],
        }),
      );
      controlPlane.timingsMs.total = ms;
      return new BinaryCluster({
        runDir: this.o.runDir,
        name,
        index,
        dir,
        binDir: this.o.binDir,
        spec,
        network,
        controlPlane,
        tokenFileToken,
        versions: await this.versions(),
      });
    } catch (err) {
      // Undo a half-made cluster now rather than leave it running for the other suites.
      info(`bring-up of ${name} failed; stopping what was started`);
      for (const d of daemons.reverse()) await d.stop().catch(() => undefined);
      await run(["ip", "link", "delete", bridge]).catch(() => undefined);
      await forgetResource(this.o.runDir, { kind: "link", name: bridge });
      throw err;
    }
  }
}

