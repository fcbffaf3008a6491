import { readdir } from "node:fs/promises";
import { join } from "node:path";
import { isAlive } from "../exec/process-table";
import { info } from "../log";
import { isKept, readOwner, RUNS_ROOT } from "./run-dir";
import type { ResourceDeleter } from "./resources";
import { sweepRun } from "./sweep";

/** Only directories named like a run id are runs; anything else under the root is left alone. */
function isRunId(name: string): boolean {
  return /^[0-9a-f]{6}$/.test(name);
}

/**
 * Sweeps the leftovers of runs whose owning process is gone (killed with
 * SIGKILL, machine crash), and with `includeKept` (`npm run cleanup`) those
 * left running by --keep. Runs still owned by a live process are left alone
 * unless `includeLive` is set.
 */
export async function sweepStaleRuns(deleters: readonly ResourceDeleter[], opts: { includeLive?: boolean; includeKept?: boolean } = {}): Promise<string[]> {
  let ids: string[];
  try {
    ids = await readdir(RUNS_ROOT);
  } catch {
    return [];
  }
  const swept: string[] = [];
  for (const id of ids.filter(isRunId)) {
    const dir = join(RUNS_ROOT, id);
    const owner = await readOwner(dir);
    if (owner && owner.pid !== process.pid && isAlive(owner) && !opts.includeLive) continue;
    if (owner?.pid === process.pid) continue;
    if (isKept(dir) && !opts.includeKept) continue;
    info(`removing leftovers of run ${id} (${dir})`);
    await sweepRun(dir, deleters);
    swept.push(id);
  }
  return swept;
}
