import { readFileSync } from "node:fs";
import { mkdir, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";

/**
 * The on-disk record of every long-running process a run started: one JSON
 * file per process under <runDir>/pids. Any process (the run itself, a later
 * `npm run cleanup`) can find and stop them, even after the run was killed.
 * The kernel start time guards against killing an unrelated process that
 * reused the pid.
 */
export interface ProcessRecord {
  name: string;
  /** The cluster it belongs to, so one cluster can be torn down alone. */
  owner: string;
  /** Stop order: higher tiers stop first (kubelets before the API server before etcd). */
  tier: number;
  pid: number;
  startTime: string;
  argv: string[];
  logPath: string;
  /** How long a stop waits after SIGTERM before SIGKILL (DEFAULT_STOP_GRACE_MS when absent). */
  stopGraceMs?: number;
}

/** How long a stop waits for a process to exit after SIGTERM, unless its record says otherwise. */
export const DEFAULT_STOP_GRACE_MS = 10_000;

export function pidDir(runDir: string): string {
  return join(runDir, "pids");
}

/** Field 22 of /proc/<pid>/stat: start time in clock ticks since boot. */
export function processStartTime(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    // The command name (field 2) may contain spaces; fields after ')' are fixed.
    const afterComm = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return afterComm[19];
  } catch {
    return undefined;
  }
}

/** True while the process that the record names is still the one running. */
export function isAlive(record: Pick<ProcessRecord, "pid" | "startTime">): boolean {
  const now = processStartTime(record.pid);
  if (now === undefined || now !== record.startTime) return false;
  // A zombie has exited; it only waits to be reaped by its parent.
  try {
    const state = readFileSync(`/proc/${record.pid}/stat`, "utf8");
    return state.slice(state.lastIndexOf(")") + 2, state.lastIndexOf(")") + 3) !== "Z";
  } catch {
    return false;
  }
}

export async function recordProcess(runDir: string, record: ProcessRecord): Promise<void> {
  await mkdir(pidDir(runDir), { recursive: true });
  await writeFile(join(pidDir(runDir), `${record.name}.json`), JSON.stringify(record, null, 2));
}

export async function forgetProcess(runDir: string, name: string): Promise<void> {
  await rm(join(pidDir(runDir), `${name}.json`), { force: true });
}

export async function listProcesses(runDir: string): Promise<ProcessRecord[]> {
  let files: string[];
  try {
    files = await readdir(pidDir(runDir));
  } catch {
    return [];
  }
  const records: ProcessRecord[] = [];
  for (const f of files.filter((f) => f.endsWith(".json"))) {
    try {
      records.push(JSON.parse(await readFile(join(pidDir(runDir), f), "utf8")) as ProcessRecord);
    } catch {
      // A half-written record of a process that never started; nothing to stop.
    }
  }
  return records;
}
