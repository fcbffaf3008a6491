import { randomBytes } from "node:crypto";
import { mkdirSync, writeFileSync } from "node:fs";
import { mkdir, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { processStartTime } from "../exec/process-table";
import { info } from "../log";
import { eventually } from "../wait/eventually";
import { Timeouts } from "../wait/timeouts";
import { allDeclared } from "./suite-declarations";

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
 *
 * "First" must hold even when the first suites' workers start a moment after
 * the others' (jest starts them together, and a suite's modules take seconds
 * to load on a busy machine): a first suite reserves its tickets while jest
 * collects its file (reserveFirstTurn), and the other suites' bring-ups wait
 * until every first suite of the run has been collected (suite-declarations.ts),
 * at most FIRST_SUITES_GRACE_MS (a first suite that never gets collected
 * must not hold the others up for long).
 *
 * Among the others, a cluster more suites have declared goes first (the
 * count is read at each look, as suites get collected): the shared ones hold
 * up several suites, and a cluster of one suite's quick checks can come last.
 */
export interface TurnRequest {
  runDir: string;
  atOnce: number;
  /** The first suites' bring-ups go before the others'. */
  first: boolean;
  /** The run's first suites, which the others' bring-ups wait to have been collected. */
  firstSuites: readonly string[];
  /** The ticket reserveFirstTurn wrote for this bring-up, if any. */
  reserved?: string;
  /** The directory of the spec's declared users (cluster-release.ts), which orders the others' turns. */
  sharedBy?: string;
  /** For the console and timeout messages. */
  what: string;
}

/** How long a bring-up may wait for its turn: every bring-up ahead of it within its own deadline. */
export const BRING_UP_TURN_TIMEOUT_MS = Timeouts.clusterUp * 3;

/** How long the other suites' bring-ups wait for the first suites to be collected. */
export const FIRST_SUITES_GRACE_MS = 60_000;

let ticketsTaken = 0;

/**
 * Named so that a process's tickets are in the order it asked: priority,
 * time, this process's own count (two tickets of one process in the same
 * millisecond keep their order), its pid, a tie-breaker.
 */
function ticketName(first: boolean): string {
  return [first ? 0 : 1, String(Date.now()).padStart(15, "0"), String(++ticketsTaken).padStart(6, "0"), process.pid, randomBytes(3).toString("hex")].join("-");
}

/** What a ticket file holds: for the console, and whose users order the others' turns. */
interface TicketContent {
  what: string;
  sharedBy?: string;
}
const ticketContent = (c: TicketContent) => JSON.stringify(c);

/** While jest collects a first suite's file (synchronous): its bring-up's ticket, written now. */
export function reserveFirstTurn(runDir: string, what: string): string {
  const ticket = ticketName(true);
  mkdirSync(join(runDir, "bring-ups"), { recursive: true });
  writeFileSync(join(runDir, "bring-ups", ticket), ticketContent({ what }));
  return ticket;
}

/** Gives up a reserved ticket (its cluster came from the pool, or was never brought up). */
export async function dropReservedTurn(runDir: string, ticket: string): Promise<void> {
  await rm(join(runDir, "bring-ups", ticket), { force: true });
}

export async function inBringUpTurn<T>(r: TurnRequest, bringUp: () => Promise<T>): Promise<T> {
  const ticket = r.reserved ?? ticketName(r.first);
  const dir = join(r.runDir, "bring-ups");
  await mkdir(dir, { recursive: true });
  if (!r.reserved) await writeFile(join(dir, ticket), ticketContent({ what: r.what, sharedBy: r.sharedBy }));
  const askedAt = Date.now();
  let slot: string | undefined;
  try {
    let announced = false;
    let waitedForFirst = false;
    slot = await eventually(
      async () => {
        if (!r.first && !allDeclared(r.runDir, r.firstSuites) && Date.now() - askedAt < FIRST_SUITES_GRACE_MS) {
          if (!waitedForFirst) info(`${r.what}: waiting for ${r.firstSuites.join(", ")} to reserve their bring-ups first`);
          waitedForFirst = true;
          return undefined;
        }
        // The turn: fewer than atOnce tickets ahead (running or waiting).
        const ahead = await ticketsAhead(dir, ticket);
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

/**
 * The live tickets that go before `ticket`: a lower priority digit, then
 * more declared users of their cluster, then the name (the time it was taken).
 */
async function ticketsAhead(dir: string, ticket: string): Promise<string[]> {
  const live = await liveTickets(dir);
  const users = new Map(await Promise.all(live.map(async (t) => [t, await declaredUsers(join(dir, t))] as const)));
  const key = (t: string) => [t.split("-")[0]!, -(users.get(t) ?? 0), t] as const;
  const mine = key(ticket);
  const before = (a: readonly [string, number, string], b: readonly [string, number, string]) => (a[0] !== b[0] ? a[0] < b[0] : a[1] !== b[1] ? a[1] < b[1] : a[2] < b[2]);
  return live.filter((t) => t !== ticket && before(key(t), mine));
}

/** Each ticket's users directory: a ticket's content never changes, so it is read once, not at every look. */
const sharedByOf = new Map<string, string | undefined>();

/** How many suites declared the cluster a ticket is for (0 for a first suite's ticket, or one gone meanwhile). */
async function declaredUsers(ticketPath: string): Promise<number> {
  try {
    if (!sharedByOf.has(ticketPath)) sharedByOf.set(ticketPath, (JSON.parse(await readFile(ticketPath, "utf8")) as TicketContent).sharedBy);
    const sharedBy = sharedByOf.get(ticketPath);
    return sharedBy ? (await readdir(sharedBy)).filter((f) => !f.endsWith(".done")).length : 0;
  } catch {
    return 0;
  }
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
