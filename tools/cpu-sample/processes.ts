/**
 * Per-process CPU time from /proc/<pid>/stat, and a short name for what a
 * process is (its comm, or for node which program it runs), so a cgroup's CPU
 * can be split between the programs in it.
 */
import { readdirSync, readFileSync } from "node:fs";

/** USER_HZ: /proc counts in 1/100 s on every Linux architecture the harness runs on. */
export const CLOCK_TICKS_PER_S = 100;

export interface ProcStat {
  comm: string;
  /** utime + stime, in clock ticks. */
  cpuTicks: number;
  /** Start time in clock ticks since boot: with the pid, it names one process even when pids are reused. */
  startTicks: number;
}

export function procStat(pid: number): ProcStat | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const close = stat.lastIndexOf(")");
    const comm = stat.slice(stat.indexOf("(") + 1, close);
    // Fields after the comm, counted from 3 (state): utime 14, stime 15, starttime 22.
    const f = stat.slice(close + 2).split(" ");
    return { comm, cpuTicks: Number(f[11]) + Number(f[12]), startTicks: Number(f[19]) };
  } catch {
    return undefined;
  }
}

/** Seconds since boot, in clock ticks (to tell processes started before the sampler from those after). */
export function nowTicks(): number {
  return Math.round(Number(readFileSync("/proc/uptime", "utf8").split(" ")[0]) * CLOCK_TICKS_PER_S);
}

const NODE_PROGRAMS: [RegExp, string][] = [
  [/jest-worker|processChild/, "node (jest worker)"],
  [/jest\/bin\/jest|jest\.js/, "node (jest parent)"],
  [/harness\/cli\//, "node (harness CLI)"],
  [/tools\/cpu-sample\//, "node (cpu sampler)"],
  [/npm-cli|bin\/npm/, "node (npm)"],
  [/tsx|esbuild/, "node (tsx)"],
];

/** What a process is: its comm, but node (and npm's) processes by the program they run. */
export function programName(pid: number, comm: string): string {
  if (comm !== "node" && comm !== "MainThread" && comm !== "npm") return comm;
  let cmdline = "";
  try {
    cmdline = readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0").join(" ");
  } catch {
    return comm;
  }
  return NODE_PROGRAMS.find(([re]) => re.test(cmdline))?.[1] ?? `node (${cmdline.split(" ").slice(1, 3).join(" ").slice(0, 40)})`;
}

/** The process and every descendant of it (by parent pid), from one pass over /proc. */
export function processTree(root: number): number[] {
  const children = new Map<number, number[]>();
  for (const entry of readdirOrEmpty("/proc")) {
    const pid = Number(entry);
    if (!Number.isInteger(pid)) continue;
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
      const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      children.set(ppid, [...(children.get(ppid) ?? []), pid]);
    } catch {
      // exited
    }
  }
  const out: number[] = [];
  const todo = [root];
  while (todo.length) {
    const pid = todo.pop()!;
    out.push(pid);
    todo.push(...(children.get(pid) ?? []));
  }
  return out;
}

function readdirOrEmpty(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}
