/**
 * What the sampler has seen: every cgroup's cumulative CPU, first and last
 * value, and every process's, last seen in which cgroup. At the end each
 * cgroup's own CPU (its total less its children's) is split between the
 * programs sampled in it; what no sample caught (processes that lived less
 * than a tick, or the ticks a process spent after its last sample) is shown
 * as "(short-lived)", so the split always adds up to the kernel's count.
 */
import { dirname } from "node:path";
import { procsOf, usageNs, walk } from "./cgroups";
import { CLOCK_TICKS_PER_S, procStat, programName } from "./processes";

interface CgroupRecord {
  base: number;
  last: number;
  firstSeenS: number;
  lastSeenS: number;
}

interface ProcRecord {
  comm: string;
  name: string;
  cgroup: string;
  base: number;
  last: number;
}

export interface Share {
  /** The cgroup, relative to the cpuacct root. */
  cgroup: string;
  program: string;
  coreS: number;
}

const NS_PER_TICK = 1e9 / CLOCK_TICKS_PER_S;
export const SHORT_LIVED = "(short-lived)";

export class Ledger {
  private readonly cgroups = new Map<string, CgroupRecord>();
  private readonly procs = new Map<string, ProcRecord>();
  /** Cumulative ns of each top-level cgroup under a tree root (one per container), per tick. */
  readonly series = new Map<string, [number, number][]>();

  /**
   * @param preexisting cgroups present before the command started: their CPU before that is not the run's
   * @param startTicks the sampler's start, in clock ticks since boot: older processes count from their first sample
   */
  constructor(
    private readonly preexisting: Set<string>,
    private readonly startTicks: number,
  ) {}

  /** One sample of the cgroups given, and of `trees` with everything below them. */
  sample(tS: number, flat: string[], trees: string[]): void {
    for (const rel of flat) this.sampleCgroup(tS, rel);
    for (const root of trees) {
      for (const rel of walk(root)) {
        const ns = this.sampleCgroup(tS, rel);
        if (ns !== undefined && dirname(rel) === root) this.series.set(rel, [...(this.series.get(rel) ?? []), [tS, ns]]);
      }
    }
  }

  private sampleCgroup(tS: number, rel: string): number | undefined {
    const ns = usageNs(rel);
    if (ns === undefined) return undefined;
    const known = this.cgroups.get(rel);
    if (known) Object.assign(known, { last: ns, lastSeenS: tS });
    else this.cgroups.set(rel, { base: this.preexisting.has(rel) ? ns : 0, last: ns, firstSeenS: tS, lastSeenS: tS });
    for (const pid of procsOf(rel)) this.sampleProcess(pid, rel);
    return ns;
  }

  private sampleProcess(pid: number, rel: string): void {
    const st = procStat(pid);
    if (!st) return;
    const key = `${pid}:${st.startTicks}`;
    const known = this.procs.get(key);
    // A container's process is first seen as runc:[2:INIT] and only then becomes its program (execve
    // changes the comm): it is named by what it last was.
    if (known) Object.assign(known, { last: st.cpuTicks, cgroup: rel }, known.comm === st.comm ? {} : { comm: st.comm, name: programName(pid, st.comm) });
    else this.procs.set(key, { comm: st.comm, name: programName(pid, st.comm), cgroup: rel, base: st.startTicks < this.startTicks ? st.cpuTicks : 0, last: st.cpuTicks });
  }

  cgroupSpan(rel: string): { firstSeenS: number; lastSeenS: number; coreS: number } | undefined {
    const r = this.cgroups.get(rel);
    return r && { firstSeenS: r.firstSeenS, lastSeenS: r.lastSeenS, coreS: (r.last - r.base) / 1e9 };
  }

  /** Every cgroup's own CPU, split between the programs sampled in it. */
  shares(): Share[] {
    const own = new Map<string, number>();
    for (const [rel, r] of this.cgroups) own.set(rel, (own.get(rel) ?? 0) + (r.last - r.base));
    for (const [rel, r] of this.cgroups) {
      const parent = dirname(rel);
      if (parent !== rel && this.cgroups.has(parent)) own.set(parent, (own.get(parent) ?? 0) - (r.last - r.base));
    }
    const sampled = new Map<string, Map<string, number>>();
    for (const p of this.procs.values()) {
      const byName = sampled.get(p.cgroup) ?? new Map<string, number>();
      byName.set(p.name, (byName.get(p.name) ?? 0) + (p.last - p.base) * NS_PER_TICK);
      sampled.set(p.cgroup, byName);
    }
    const out: Share[] = [];
    for (const [cgroup, ns] of own) {
      const self = Math.max(0, ns);
      const byName = sampled.get(cgroup) ?? new Map<string, number>();
      const seen = [...byName.values()].reduce((a, b) => a + b, 0);
      // A process moved between cgroups (systemd puts a service's process in its unit's cgroup) brings
      // its earlier ticks along; scale so the split never exceeds what the kernel counted here.
      const scale = seen > self && seen > 0 ? self / seen : 1;
      for (const [program, n] of byName) if (n > 0) out.push({ cgroup, program, coreS: (n * scale) / 1e9 });
      if (self - seen * scale > 1e6) out.push({ cgroup, program: SHORT_LIVED, coreS: (self - seen * scale) / 1e9 });
    }
    return out;
  }
}
