import { run } from "../exec/command";

/**
 * The docker calls node containers need, for every provider that runs them
 * (kind's extra nodes; a running cluster's nodes when the config places them
 * in containers): removal needs nothing but a container's name, so
 * `npm run cleanup` removes a killed run's containers from its records.
 */

/** Labels every container the harness starts carries, so a sweep finds them by run. */
export const RUN_LABEL = "io.ktc.run";

export async function docker(args: string[]): Promise<string> {
  return (await run(["docker", ...args], { timeoutMs: 120_000 })).stdout.trim();
}

export async function removeContainer(name: string): Promise<void> {
  const found = await docker(["ps", "-aq", "--filter", `name=^/${name}$`]);
  // -v: the node image declares a /var volume, which would otherwise stay behind.
  if (found) await docker(["rm", "-f", "-v", name]);
}

/** Whether docker answers here (cleanup of a binary-only machine must not need it). */
export async function dockerAvailable(): Promise<boolean> {
  return run(["docker", "version", "--format", "{{.Server.Version}}"], { timeoutMs: 20_000 }).then(
    () => true,
    () => false,
  );
}
