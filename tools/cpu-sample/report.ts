/**
 * The sampler's tables: core-seconds by consumer (the command's own process
 * tree, the Docker engine, each container and the programs inside it), per
 * container with its bring-up share, and per kind cluster.
 */
import { basename } from "node:path";
import { SHORT_LIVED, type Share } from "./ledger";

export interface ContainerInfo {
  name: string;
  /** Its kind cluster (label io.x-k8s.kind.cluster), or "" when it has none. */
  cluster: string;
}

export interface ContainerRow extends ContainerInfo {
  /** Its full docker id: its cgroup is docker/<id>. */
  id: string;
  coreS: number;
  /** Core-seconds up to its cluster's control plane being up (kind create cluster and the bindings step), when known. */
  bringUpCoreS?: number;
  lifeS: number;
}

export interface Totals {
  wallS: number;
  machineBusyS: number;
  samplerS: number;
  run: number;
  engine: number;
  containers: number;
}

const fmt = (n: number) => n.toFixed(1);
const pct = (n: number, of: number) => (of > 0 ? `${((100 * n) / of).toFixed(1)} %` : "–");

function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? "").length)));
  return rows.map((r) => r.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join("  ")).join("\n");
}

/** Where in a node container a cgroup is: "exec" for the container's own (docker exec'd commands), else its first level. */
function placeInContainer(rel: string): string {
  const parts = rel.split("/");
  return parts.length <= 2 ? "exec" : parts[2]!.replace(/\.(slice|scope|service)$/, "");
}

/** A program's name with, for what no sample caught, where it ran. */
export function componentOf(s: Share, containerRoot: boolean): string {
  if (s.program !== SHORT_LIVED) return s.program;
  return containerRoot ? `${SHORT_LIVED} ${placeInContainer(s.cgroup)}` : s.program;
}

function grouped(shares: Share[], label: (s: Share) => string): [string, number][] {
  const m = new Map<string, number>();
  for (const s of shares) m.set(label(s), (m.get(label(s)) ?? 0) + s.coreS);
  return [...m].sort((a, b) => b[1] - a[1]);
}

export function render(t: Totals, runCg: string, engineCg: string, shares: Share[], containers: ContainerRow[], minCoreS = 0.5): string {
  const ours = t.run + t.engine + t.containers;
  const out: string[] = [];
  out.push(`wall ${fmt(t.wallS)} s; machine busy ${fmt(t.machineBusyS)} core-s; attributed to the command ${fmt(ours)} core-s ` +
    `(floor on 2 cores ${fmt(ours / 2)} s); sampler itself ${fmt(t.samplerS)} core-s; everything else on the machine ${fmt(Math.max(0, t.machineBusyS - ours - t.samplerS))} core-s`);
  out.push("");
  const top: string[][] = [["consumer", "core-s", "% of command"]];
  const section = (title: string, total: number, rows: [string, number][]) => {
    top.push([title, fmt(total), pct(total, ours)]);
    for (const [name, s] of rows) if (s >= minCoreS) top.push([`  ${name}`, fmt(s), pct(s, ours)]);
  };
  section("host: the command's process tree", t.run, grouped(shares.filter((s) => s.cgroup === runCg), (s) => s.program));
  section("host: docker engine (dockerd, containerd, shims, runc)", t.engine, grouped(shares.filter((s) => s.cgroup === engineCg), (s) => s.program));
  section("containers, by program inside", t.containers, grouped(shares.filter((s) => s.cgroup.startsWith("docker/")), (s) => componentOf(s, true)));
  out.push(table(top), "");

  const per: string[][] = [["container", "cluster", "core-s", "bring-up", "after", "life s"]];
  for (const c of [...containers].sort((a, b) => a.cluster.localeCompare(b.cluster) || b.coreS - a.coreS)) {
    per.push([c.name, c.cluster || "–", fmt(c.coreS), c.bringUpCoreS === undefined ? "–" : fmt(c.bringUpCoreS),
      c.bringUpCoreS === undefined ? "–" : fmt(c.coreS - c.bringUpCoreS), fmt(c.lifeS)]);
  }
  out.push(table(per), "");

  const clusters = new Map<string, { n: number; coreS: number; bringUp: number }>();
  for (const c of containers) {
    const k = clusters.get(c.cluster) ?? { n: 0, coreS: 0, bringUp: 0 };
    clusters.set(c.cluster, { n: k.n + 1, coreS: k.coreS + c.coreS, bringUp: k.bringUp + (c.bringUpCoreS ?? 0) });
  }
  const pc: string[][] = [["cluster", "containers", "core-s", "cp bring-up core-s", "% of command"]];
  for (const [name, k] of [...clusters].sort((a, b) => b[1].coreS - a[1].coreS)) pc.push([name || "(no cluster)", String(k.n), fmt(k.coreS), fmt(k.bringUp), pct(k.coreS, ours)]);
  out.push(table(pc), "");

  // Per role of node container: control planes vs extra nodes, by program.
  const roleOf = (rel: string) => {
    const c = containers.find((x) => rel.split("/")[1] === x.id);
    return c?.name.endsWith("-control-plane") ? "control-plane nodes" : "extra nodes";
  };
  for (const role of ["control-plane nodes", "extra nodes"]) {
    const mine = shares.filter((s) => s.cgroup.startsWith("docker/") && roleOf(s.cgroup) === role);
    const total = mine.reduce((a, s) => a + s.coreS, 0);
    const rows: string[][] = [[`${role}: program`, "core-s", "% of command"]];
    for (const [name, s] of grouped(mine, (s) => componentOf(s, true))) if (s >= minCoreS) rows.push([name, fmt(s), pct(s, ours)]);
    rows.push(["total", fmt(total), pct(total, ours)]);
    out.push(table(rows), "");
  }
  return out.join("\n") + `\n(cgroups: ${basename(runCg)}, ${basename(engineCg)}, docker/*)\n`;
}
