/**
 * `npm run cpu-sample -- [--out DIR] [--interval S] -- COMMAND...`: runs a
 * command (e.g. `npm test -- --provider kind`) and tells where its CPU went,
 * in core-seconds: its own process tree (node, jest workers, the kind and
 * docker CLIs...), the Docker engine (dockerd and everything it starts:
 * containerd, shims, runc and its wrapper, docker-proxy), and every container,
 * split by the programs inside (etcd, kube-apiserver, kubelet, containerd,
 * systemd, kubeadm...). Not a test: it asserts nothing. Root and a cgroup v1
 * cpuacct hierarchy are needed (the command and the engine each get a cgroup of
 * their own for the run, so short-lived children are counted exactly).
 *
 * The command's output passes through; each control plane's bring-up end
 * ("bringing up control plane of C: done") splits its cluster's CPU into
 * bring-up and the rest. Writes DIR/summary.txt, DIR/summary.json and
 * DIR/output.log (default DIR: reports/cpu-sample/<time>).
 */
import { appendFileSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { execa } from "execa";
import { REPO_ROOT } from "../../harness/binaries/layout";
import { cgroupOf, cgroupV1Available, makeCgroup, moveInto, procsOf, removeCgroup, walk } from "./cgroups";
import { Ledger } from "./ledger";
import { CLOCK_TICKS_PER_S, nowTicks, processTree, procStat } from "./processes";
import { render, type ContainerInfo, type ContainerRow } from "./report";

function machineBusyTicks(): number {
  const f = readFileSync("/proc/stat", "utf8").split("\n")[0]!.trim().split(/\s+/).slice(1).map(Number);
  return f.slice(0, 8).reduce((a, b) => a + b, 0) - (f[3] ?? 0) - (f[4] ?? 0);
}

const ENGINE_PROGRAMS = new Set(["dockerd", "containerd", "containerd-shim", "containerd-shim-runc-v2", "docker-proxy"]);

function commOf(pid: number): string | undefined {
  return procStat(pid)?.comm;
}

function parentOf(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
  } catch {
    return undefined;
  }
}

/** dockerd and its descendants (its containerd; shims are born in containerd's cgroup). */
function enginePids(): number[] {
  const dockerd = processTree(1).filter((pid) => commOf(pid) === "dockerd");
  return dockerd.flatMap((pid) => processTree(pid));
}

/**
 * Engine processes the command started (a kind run's prepare starts dockerd when it is not running):
 * dockerd, and a containerd whose parent is dockerd, in the command's cgroup.
 */
function engineStartedBy(runCg: string): number[] {
  return procsOf(runCg).filter((pid) => {
    const comm = commOf(pid);
    if (comm === "dockerd") return true;
    const parent = parentOf(pid);
    return comm !== undefined && ENGINE_PROGRAMS.has(comm) && parent !== undefined && commOf(parent) === "dockerd";
  });
}

async function dockerNames(): Promise<Map<string, ContainerInfo>> {
  const r = await execa("docker", ["ps", "-a", "--no-trunc", "--format", '{{.ID}}\t{{.Names}}\t{{.Label "io.x-k8s.kind.cluster"}}'], { reject: false });
  const m = new Map<string, ContainerInfo>();
  for (const line of String(r.stdout ?? "").split("\n").filter(Boolean)) {
    const [id, name, cluster] = line.split("\t");
    m.set(id!, { name: name!, cluster: cluster ?? "" });
  }
  return m;
}

async function main(): Promise<void> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: { out: { type: "string" }, interval: { type: "string", default: "1" } },
  });
  if (!positionals.length) throw new Error("usage: npm run cpu-sample -- [--out DIR] [--interval S] -- COMMAND...");
  if (!cgroupV1Available()) throw new Error("no cgroup v1 cpuacct hierarchy at /sys/fs/cgroup/cpuacct: this sampler reads cgroup v1 only");
  const intervalMs = Math.max(200, Number(values.interval) * 1000);
  const outDir = values.out ?? join(REPO_ROOT, "reports", "cpu-sample", new Date().toISOString().replace(/[:.]/g, "-"));
  mkdirSync(outDir, { recursive: true });
  const base = `ktc-cpu-sample-${process.pid}`;
  const [runCg, engineCg] = [`${base}/command`, `${base}/engine`];
  makeCgroup(runCg);
  makeCgroup(engineCg);
  const engineHome = new Map<number, string>();
  const adoptEngine = () => {
    for (const pid of enginePids()) {
      const now = cgroupOf(pid);
      if (now === undefined || now === engineCg || now.startsWith("docker/") || now === runCg) continue;
      engineHome.set(pid, now);
      moveInto(engineCg, pid);
    }
  };
  adoptEngine();
  const preexisting = new Set([...walk("docker"), runCg, engineCg]);
  const ledger = new Ledger(preexisting, nowTicks());
  const names = new Map<string, ContainerInfo>();
  const bringUpDoneS = new Map<string, number>();
  const t0 = Date.now();
  const busy0 = machineBusyTicks();
  const self0 = process.cpuUsage();
  const elapsed = () => (Date.now() - t0) / 1000;

  // The command starts in its cgroup: the shell moves itself there, then becomes the command.
  const child = execa("sh", ["-c", `echo $$ > /sys/fs/cgroup/cpuacct/${runCg}/cgroup.procs && exec "$@"`, "sh", ...positionals], {
    all: true, reject: false, stdin: "ignore", lines: true, buffer: { all: false },
  });
  const logFile = join(outDir, "output.log");
  writeFileSync(logFile, "");
  const reading = (async () => {
    for await (const line of child.iterable({ from: "all" })) {
      const text = String(line);
      process.stdout.write(text + "\n");
      appendFileSync(logFile, `${elapsed().toFixed(1)} ${text}\n`);
      const m = text.match(/bringing up control plane of (\S+): done in/);
      if (m) bringUpDoneS.set(m[1]!, elapsed());
    }
  })();

  let lookingUp = false;
  const tick = async () => {
    // dockerd may be started by the command itself (a kind run's prepare): move it out of the command's cgroup.
    adoptEngineFromRun();
    ledger.sample(elapsed(), [runCg, engineCg], ["docker"]);
    const unknown = [...ledger.series.keys()].map((rel) => rel.split("/")[1]!).filter((id) => !names.has(id));
    if (unknown.length && !lookingUp) {
      lookingUp = true;
      for (const [id, info] of await dockerNames()) names.set(id, info);
      lookingUp = false;
    }
  };
  const adoptEngineFromRun = () => {
    for (const pid of engineStartedBy(runCg)) moveInto(engineCg, pid);
  };
  const timer = setInterval(() => void tick().catch((e: unknown) => process.stderr.write(`[cpu-sample] ${String(e)}\n`)), intervalMs);
  const result = await child;
  await reading;
  clearInterval(timer);
  await tick();

  const wallS = elapsed();
  const shares = ledger.shares();
  const sumUnder = (pred: (c: string) => boolean) => shares.filter((s) => pred(s.cgroup)).reduce((a, s) => a + s.coreS, 0);
  const containers: ContainerRow[] = [];
  for (const [rel, series] of ledger.series) {
    const id = rel.split("/")[1]!;
    const info = names.get(id) ?? { name: id.slice(0, 12), cluster: "" };
    const span = ledger.cgroupSpan(rel)!;
    const doneS = info.name.endsWith("-control-plane") ? bringUpDoneS.get(info.cluster) : undefined;
    const startNs = series[0]![1] && preexisting.has(rel) ? series[0]![1] : 0;
    const atDone = doneS === undefined ? undefined : (series.filter(([t]) => t <= doneS).pop()?.[1] ?? 0) - startNs;
    containers.push({ id, ...info, coreS: span.coreS, bringUpCoreS: atDone === undefined ? undefined : atDone / 1e9, lifeS: span.lastSeenS - span.firstSeenS });
  }
  const self = process.cpuUsage(self0);
  const totals = {
    wallS,
    machineBusyS: (machineBusyTicks() - busy0) / CLOCK_TICKS_PER_S,
    samplerS: (self.user + self.system) / 1e6,
    run: sumUnder((c) => c === runCg),
    engine: sumUnder((c) => c === engineCg),
    containers: sumUnder((c) => c.startsWith("docker/")),
  };
  const text = render(totals, runCg, engineCg, shares, containers);
  writeFileSync(join(outDir, "summary.txt"), text);
  writeFileSync(join(outDir, "summary.json"), JSON.stringify({ command: positionals, exitCode: result.exitCode, totals, containers, shares,
    bringUpDoneS: Object.fromEntries(bringUpDoneS), series: Object.fromEntries(ledger.series) }, null, 1));
  process.stdout.write(`\n[cpu-sample] ${outDir}\n${text}`);

  for (const [pid, home] of engineHome) {
    try {
      moveInto(home, pid);
    } catch {
      // exited
    }
  }
  removeCgroup(engineCg, "");
  removeCgroup(runCg, "");
  removeCgroup(base, "");
  process.exitCode = result.exitCode ?? 1;
}

await main();
