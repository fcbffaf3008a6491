import { randomBytes } from "node:crypto";
import { mkdir, readdir, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { processStartTime } from "../exec/process-table";
import { info } from "../log";
import { eventually } from "../wait/eventually";
import { Timeouts } from "../wait/timeouts";

/**
 * Cluster bring-ups of a run take turns: at most `atOnce` under way, the
 * first suites' (renewal's) before the others'. Bring-ups are mostly CPU, so
 * eight at once on two cores take as long as eight in turns, but in turns the
 * suite that waits longest on Kubernetes' clocks gets its clusters first and
 * its clocks start early; the other suites fit their work into its wait.
 *
 * A turn is a ticket file in <runDir>/bring-ups/, named so that the order of
 * names is the order of turns: priority, then the time it was taken. A bring-up
 * may go when its ticket is among the first `atOnce`. Suites are in separate
 * processes (jest workers), so the queue is on disk; a ticket whose process is
 * gone (a worker that crashed) is dropped by whoever sees it.
 */
export interface TurnRequest {
  runDir: string;
  atOnce: number;
  /** The first suites' bring-ups go before the others'. */
  first: boolean;
  /** For the console and timeout messages. */
  what: string;
}

/** How long a bring-up may wait for its turn: every bring-up ahead of it within its own deadline. */
export const BRING_UP_TURN_TIMEOUT_MS = Timeouts.clusterUp * 3;

export async function inBringUpTurn<T>(r: TurnRequest, bringUp: () => Promise<T>): Promise<T> {
  const dir = join(r.runDir, "bring-ups");
  await mkdir(dir, { recursive: true });
  const ticket = `${r.first ? 0 : 1}-${String(Date.now()).padStart(15, "0")}-${process.pid}-${randomBytes(3).toString("hex")}`;
  await writeFile(join(dir, ticket), r.what);
  try {
    let announced = false;
    await eventually(
      async () => {
        const ahead = (await liveTickets(dir)).filter((t) => t < ticket);
        if (ahead.length < r.atOnce) return true;
        if (!announced) info(`${r.what}: waiting for a bring-up turn (${ahead.length} ahead, ${r.atOnce} at once)`);
        announced = true;
        return undefined;
      },
      { what: `a bring-up turn for ${r.what} (${r.atOnce} at once in this run)`, timeoutMs: BRING_UP_TURN_TIMEOUT_MS, intervalMs: 250 },
    );
    return await bringUp();
  } finally {
    await rm(join(dir, ticket), { force: true });
  }
}

/** The tickets whose process still runs; the others are removed. */
async function liveTickets(dir: string): Promise<string[]> {
  const live: string[] = [];
  for (const t of (await readdir(dir)).sort()) {
    const pid = Number(t.split("-")[2]);
    if (pid === process.pid || processStartTime(pid) !== undefined) live.push(t);
    else await rm(join(dir, t), { force: true });
  }
  return live;
}
