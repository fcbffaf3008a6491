import { createHash } from "node:crypto";
import { access, mkdir, open, readFile, rename, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { ProvisionError } from "../errors";
import { info } from "../log";
import type { Cluster, ClusterProvider } from "../providers/provider";
import { specKey, type ClusterSpec } from "../providers/spec";
import { eventually } from "../wait/eventually";
import { Timeouts } from "../wait/timeouts";
import { BRING_UP_TURN_TIMEOUT_MS, dropReservedTurn, inBringUpTurn, type TurnRequest } from "./bring-up-turns";

/**
 * Shares one cluster between the suites of a run that need the same spec.
 * The pool is a directory of the run: <runDir>/pool/<hash of the spec>.json
 * holds the cluster's handle. Suites run in separate jest module registries,
 * and side by side in separate worker processes, so the pool lives on disk and
 * every step of a claim is atomic in the file system: the creator is whoever
 * creates the lock file (O_EXCL), and the entry appears whole (rename).
 * A pooled cluster goes when no suite of the run can need it any more
 * (cluster-release.ts), or in the run's final sweep.
 */
export function entryPath(runDir: string, spec: ClusterSpec): string {
  const hash = createHash("sha256").update(specKey(spec)).digest("hex").slice(0, 16);
  return join(runDir, "pool", `${hash}.json`);
}

/** True if this caller created the lock, and so must create the cluster. */
async function claim(lock: string): Promise<boolean> {
  try {
    await (await open(lock, "wx")).close();
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "EEXIST") return false;
    throw err;
  }
}

async function readHandle(entry: string): Promise<string | undefined> {
  try {
    return (JSON.parse(await readFile(entry, "utf8")) as { handle: string }).handle;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw err;
  }
}

const exists = (path: string) => access(path).then(() => true, () => false);

/**
 * The run's cluster for `spec`: created by the first suite that asks (in its
 * bring-up turn, see bring-up-turns.ts), attached to by the others.
 */
export async function acquireCluster(runDir: string, provider: ClusterProvider, spec: ClusterSpec, turn?: Omit<TurnRequest, "runDir">): Promise<Cluster> {
  const entry = entryPath(runDir, spec);
  await mkdir(join(runDir, "pool"), { recursive: true });
  const lock = `${entry}.lock`;
  for (;;) {
    if (await claim(lock)) {
      const create = () => createInto(entry, lock, provider, spec);
      return turn ? inBringUpTurn({ runDir, ...turn }, create) : create();
    }
    // Another suite is creating it: wait for its entry, or for it to give up
    // (its lock removed without an entry), and then try to claim it ourselves,
    // as a suite that comes later in a serial run would.
    const seen = await eventually(
      async () => {
        const handle = await readHandle(entry);
        if (handle) return { handle };
        return (await exists(lock)) ? undefined : { handle: undefined };
      },
      // Its creator may first wait for a bring-up turn, then has its own deadline.
      { what: `the shared cluster for this spec to be created by another suite (pool entry ${entry})`, timeoutMs: BRING_UP_TURN_TIMEOUT_MS + Timeouts.clusterUp },
    ).catch((err: Error) => {
      throw new ProvisionError(err.message, { hint: "the suite that creates this cluster did not finish its bring-up; see its error" });
    });
    if (seen.handle) {
      if (turn?.reserved) await dropReservedTurn(runDir, turn.reserved);
      info(`reusing shared cluster ${seen.handle}`);
      return provider.attach(seen.handle);
    }
    info("the suite creating the shared cluster for this spec failed; trying the bring-up again");
  }
}

async function createInto(entry: string, lock: string, provider: ClusterProvider, spec: ClusterSpec): Promise<Cluster> {
  try {
    const cluster = await provider.create(spec);
    const staging = `${entry}.${process.pid}.tmp`;
    await writeFile(staging, JSON.stringify({ handle: cluster.handle, name: cluster.name, spec }, null, 2));
    await rename(staging, entry);
    return cluster;
  } catch (err) {
    await rm(lock, { force: true }); // a waiting or later suite tries again
    throw err;
  }
}
