import { createHash } from "node:crypto";
import { mkdir, open, readFile, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { ProvisionError } from "../errors";
import { info } from "../log";
import type { Cluster, ClusterProvider } from "../providers/provider";
import { specKey, type ClusterSpec } from "../providers/spec";
import { eventually } from "../wait/eventually";
import { Timeouts } from "../wait/timeouts";

/**
 * Shares one cluster between the suites of a run that need the same spec.
 * The pool is a directory of the run: <runDir>/pool/<hash of the spec>.json
 * holds the cluster's handle. Suites run one after another in one process but
 * in separate jest module registries, so the pool lives on disk, not in memory.
 * Pooled clusters are torn down by the run's final sweep.
 */
function entryPath(runDir: string, spec: ClusterSpec): string {
  const hash = createHash("sha256").update(specKey(spec)).digest("hex").slice(0, 16);
  return join(runDir, "pool", `${hash}.json`);
}

export async function acquireCluster(runDir: string, provider: ClusterProvider, spec: ClusterSpec): Promise<Cluster> {
  const entry = entryPath(runDir, spec);
  await mkdir(join(runDir, "pool"), { recursive: true });
  // An exclusive lock file: one creator per spec, the others wait for its entry.
  const lock = `${entry}.lock`;
  let owner = false;
  try {
    await (await open(lock, "wx")).close();
    owner = true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
  }
  if (!owner) {
    const handle = await eventually(
      async () => (JSON.parse(await readFile(entry, "utf8")) as { handle: string }).handle,
      { what: `the shared cluster for this spec to be created (pool entry ${entry})`, timeoutMs: Timeouts.clusterUp },
    ).catch((err: Error) => {
      throw new ProvisionError(err.message, { hint: "the suite that creates this cluster failed; see its error" });
    });
    info(`reusing shared cluster ${handle}`);
    return provider.attach(handle);
  }
  try {
    const cluster = await provider.create(spec);
    await writeFile(entry, JSON.stringify({ handle: cluster.handle, name: cluster.name, spec }, null, 2));
    return cluster;
  } catch (err) {
    await rm(lock, { force: true }); // a later suite may try again
    throw err;
  }
}
