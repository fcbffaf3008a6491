import { readFileSync } from "node:fs";
import { availableParallelism } from "node:os";
import type { Concurrency } from "../definition";

/**
 * What one kind node container costs, measured here (a full run, seven suites
 * at once: 222 inotify instances for 12 node containers, about 330 MiB each).
 * systemd, containerd and the kubelet inside each take inotify instances, and
 * they all count against the host's fs.inotify.max_user_instances (root's).
 */
const INOTIFY_PER_NODE = 20;
const MIB_PER_NODE = 400;
/** Every cluster of a full run is alive by its end (the pool keeps them): eight control planes. */
const CONTROL_PLANES = 8;
/** A suite's own node containers at its peak (lifetime: three nodes, one per cluster). */
const NODES_PER_SUITE = 3;

function readNumber(path: string, pattern: RegExp = /(\d+)/): number | undefined {
  try {
    const m = readFileSync(path, "utf8").match(pattern);
    return m ? Number(m[1]) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Suites at once: as many as the host's inotify instances and memory hold,
 * with every control plane of the run alive. The count is for one run: two
 * kind runs on one host share its inotify instances, so give each a
 * --parallel that adds up. Bring-ups: a
 * `kind create` keeps a core busy for its 15-40 s, so one per core.
 */
export function kindConcurrency(): Concurrency {
  const inotify = readNumber("/proc/sys/fs/inotify/max_user_instances") ?? 128;
  const memMiB = Math.floor((readNumber("/proc/meminfo", /MemAvailable:\s+(\d+) kB/) ?? 4 * 1024 * 1024) / 1024);
  const byInotify = Math.floor((inotify / INOTIFY_PER_NODE - CONTROL_PLANES) / NODES_PER_SUITE);
  const byMemory = Math.floor((memMiB / MIB_PER_NODE - CONTROL_PLANES) / NODES_PER_SUITE);
  const suites = Math.max(1, Math.min(byInotify, byMemory));
  const cores = availableParallelism();
  const bound = byInotify <= byMemory ? `fs.inotify.max_user_instances=${inotify}` : `${memMiB} MiB available`;
  return { suites, bringUps: cores, why: `kind: ${bound} (about ${INOTIFY_PER_NODE} inotify instances and ${MIB_PER_NODE} MiB per node container); ${cores} bring-ups at once on ${cores} cores` };
}
