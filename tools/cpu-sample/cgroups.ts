/**
 * The cgroup v1 cpuacct hierarchy, as far as the CPU sampler needs it: a
 * cgroup's cumulative CPU time (cpuacct.usage, ns, its descendants included),
 * the processes in it, and throwaway cgroups to put a command or the Docker
 * engine in so their CPU is counted exactly, short-lived children included
 * (a child inherits its parent's cgroup; per-process sampling misses what a
 * process spends between the last sample and its exit).
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, rmdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";

export const CPUACCT_ROOT = "/sys/fs/cgroup/cpuacct";

export function cgroupV1Available(): boolean {
  return existsSync(join(CPUACCT_ROOT, "cpuacct.usage"));
}

/** Cumulative CPU ns of a cgroup (path relative to the hierarchy's root), or undefined once it is gone. */
export function usageNs(rel: string): number | undefined {
  try {
    return Number(readFileSync(join(CPUACCT_ROOT, rel, "cpuacct.usage"), "utf8"));
  } catch {
    return undefined;
  }
}

/** The process ids (thread-group leaders) directly in a cgroup, not in its children. */
export function procsOf(rel: string): number[] {
  try {
    return readFileSync(join(CPUACCT_ROOT, rel, "cgroup.procs"), "utf8").split("\n").filter(Boolean).map(Number);
  } catch {
    return [];
  }
}

/** A cgroup and every cgroup below it, parents before children. */
export function walk(rel: string, out: string[] = []): string[] {
  out.push(rel);
  let entries: string[];
  try {
    entries = readdirSync(join(CPUACCT_ROOT, rel), { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => e.name);
  } catch {
    return out;
  }
  for (const e of entries) walk(join(rel, e), out);
  return out;
}

/** The cpuacct cgroup a process is in, relative to the root ("" for the root), or undefined once it has exited. */
export function cgroupOf(pid: number): string | undefined {
  try {
    const line = readFileSync(`/proc/${pid}/cgroup`, "utf8").split("\n").find((l) => /^\d+:[^:]*\bcpuacct\b[^:]*:/.test(l));
    return line?.split(":")[2]?.replace(/^\//, "");
  } catch {
    return undefined;
  }
}

export function makeCgroup(rel: string): void {
  mkdirSync(join(CPUACCT_ROOT, rel), { recursive: true });
}

/** Moves a whole process (all its threads) into a cgroup; children it starts later are born there. */
export function moveInto(rel: string, pid: number): void {
  writeFileSync(join(CPUACCT_ROOT, rel, "cgroup.procs"), `${pid}\n`);
}

/** Removes a cgroup of ours, first moving whatever still runs in it back to `home`. */
export function removeCgroup(rel: string, home: string): void {
  for (const pid of procsOf(rel)) {
    try {
      moveInto(home, pid);
    } catch {
      // exited meanwhile
    }
  }
  try {
    rmdirSync(join(CPUACCT_ROOT, rel));
  } catch {
    // a process exiting right now still holds it; the kernel frees it with the last one
  }
}
