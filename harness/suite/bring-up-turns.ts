import { randomBytes } from "node:crypto";
import { mkdir, readdir, readFile, rm, writeFile } from "node:fs/promises";
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
 * names is the order of turns: priority, then the time it was taken (first
 * come, first served; across processes within one millisecond, either way).
 * A bring-up may go when fewer than `atOnce` tickets are ahead of its own and
 * it takes one of `atOnce` slot files (O_EXCL: the cap holds even when tickets
 * are written out of order). Suites are in separate processes (jest workers),
 * so the queue is on disk; a ticket or slot whose process is gone (a worker
 * that crashed) is dropped by whoever sees it.
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

let ticketsTaken = 0;

export async function inBringUpTurn<T>(r: TurnRequest, bringUp: () => Promise<T>): Promise<T> {
  // Named before the first await, so a process's tickets are in the order it
  // asked: priority, time, this process's own count (two tickets of one
  // process in the same millisecond keep their order), its pid, a tie-breaker.
  const ticket = [r.first ? 0 : 1, String(Date.now()).padStart(15, "0"), String(++ticketsTaken).padStart(6, "0"), process.pid, randomBytes(3).toString("hex")].join("-");
  const dir = join(r.runDir, "bring-ups");
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, ticket), r.what);
  let slot: string | undefined;
  try {
    let announced = false;
    slot = await eventually(
      async () => {
        // The turn: fewer than atOnce tickets ahead (running or waiting).
        const ahead = (await liveTickets(dir)).filter((t) => t < ticket);
        // The cap: a slot file of its own, taken exclusively. (Tickets are
        // written after they are named, so two processes can both see a
        // turn; only atOnce of them get a slot.)
        const claimed = ahead.length < r.atOnce ? await claimSlot(dir, r.atOnce) : undefined;
        if (!claimed && !announced) {
          info(`${r.what}: waiting for a bring-up turn (${ahead.length} ahead, ${r.atOnce} at once)`);
          announced = true;
        }
        return claimed;
      },
      { what: `a bring-up turn for ${r.what} (${r.atOnce} at once in this run)`, timeoutMs: BRING_UP_TURN_TIMEOUT_MS, intervalMs: 250 },
    );
    return await bringUp();
  } finally {
    await rm(join(dir, ticket), { force: true });
    if (slot) await rm(slot, { force: true });
  }
}

/** Takes a free slot-<n> file (n < atOnce), freeing those of processes that are gone; its path, or undefined. */
async function claimSlot(dir: string, atOnce: number): Promise<string | undefined> {
  for (let n = 0; n < atOnce; n++) {
    const path = join(dir, `slot-${n}`);
    try {
      await writeFile(path, String(process.pid), { flag: "wx" });
      return path;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
      const holder = Number(await readFile(path, "utf8").catch(() => ""));
      if (holder && holder !== process.pid && processStartTime(holder) === undefined) await rm(path, { force: true });
    }
  }
  return undefined;
}

/** The tickets whose process still runs; the others are removed. */
async function liveTickets(dir: string): Promise<string[]> {
  const live: string[] = [];
  for (const t of (await readdir(dir)).filter((f) => !f.startsWith("slot-")).sort()) {
    const pid = Number(t.split("-")[3]);
    if (pid === process.pid || processStartTime(pid) !== undefined) live.push(t);
    else await rm(join(dir, t), { force: true });
  }
  return live;
}
