/**
 * `npm run bench`: measures real runs of the harness on this machine and prints
 * a table to paste into the README. Not a test: nothing here asserts, it only
 * times `npm test` runs end to end (fresh clusters each) and reads the progress
 * lines every run prints: control-plane bring-up, node join, kubelet start →
 * client certificate on disk, and each suite's wall from the closing table.
 *
 *   npm run bench -- [--provider binary,kind] [--k8s-version V ...] [--alone renewal,...] [--no-serial] [--no-full]
 *
 * For each provider × version: every suite named by --alone (default renewal)
 * in a run of its own; all suites one after another (--parallel 1: each
 * suite's wall is its wall alone); all suites side by side (the provider's
 * default). The ratio column is a run's wall as a multiple of the renewal
 * suite's own run, and in brackets at the same renewal draws (sameDraws).
 * "renewal waits" is how long the renewal suite's nodes waited for their kubelets' renewal deadlines, which the kubelet draws at
 * random in 70–90 % of the certificate's life: most of a run's wall, and
 * different in every run, so compare ratios with it in view. Last, the
 * control-plane bring-up of each provider, and kind's as a multiple of binary's. "machine CPU
 * busy" tells a run bound by CPU (near 100 %) from one bound by waits.
 * Each run's whole console output is kept beside its results
 * (reports/bench/<label>/console.log). To see where a run's CPU went, run the
 * bench under `npm run cpu-sample -- -- npm run bench ...`.
 */
import { parseArgs } from "node:util";
import { createWriteStream, mkdirSync, readdirSync, readFileSync } from "node:fs";
import { availableParallelism } from "node:os";
import { join } from "node:path";
import { execa } from "execa";
import { REPO_ROOT } from "../../harness/binaries/layout";

interface RunMeasure {
  label: string;
  /** Its Allure results directory (reports/bench/<label>), kept for the comparison below. */
  results: string;
  /** Its whole console output (reports/bench/<label>/console.log): what a surprising figure is read back from. */
  consoleLog: string;
  wallS: number;
  passed: number;
  failed: number;
  bringUpS: number[];
  joinS: number[];
  certS: number[];
  /** How long each renewal-suite node waited for its kubelet's random 70–90 % deadline, by node name. */
  renewalWaitS: [node: string, seconds: number][];
  suiteS: Map<string, number>;
  /** CPU time the whole machine spent busy during the run (every process, not only the harness's), in core-seconds. */
  cpuBusyS: number;
}

const PATTERNS = {
  // Every provider's bring-up step (harness/providers/create-cluster.ts): "bringing up control plane of ktc-x-c0: done in 3.2s"
  // (for kind, `kind create cluster` and the removal of the bindings the spec does without).
  bringUp: /bringing up control plane of \S+: done in ([\d.]+)s/,
  join: /: token and kubelet start \([^)]*\): done in ([\d.]+)s/,
  cert: /client certificate on disk ([\d.]+)s after kubelet start/,
  renewalWait: /(\S+): renewal request \(the kubelet's deadline[^)]*\): done in ([\d.]+)s/,
  totals: /^(\d+) passed, (\d+) failed(?:, \d+ skipped)?$/,
  suiteRow: /^(\w+)\s+(\d+)\s+(\d+)(?:\s+\d+)?\s+([\d.]+)s$/,
};

async function measure(label: string, args: string[]): Promise<RunMeasure> {
  const dir = join(REPO_ROOT, "reports", "bench", label.replace(/[^\w.-]+/g, "-"));
  const results = join(dir, "allure-results");
  const consoleLog = join(dir, "console.log");
  mkdirSync(dir, { recursive: true });
  const log = createWriteStream(consoleLog);
  const m: RunMeasure = { label, results, consoleLog, wallS: 0, passed: 0, failed: 0, bringUpS: [], joinS: [], certS: [], renewalWaitS: [], suiteS: new Map(), cpuBusyS: 0 };
  process.stderr.write(`[bench] ${label}: npm test -- ${args.join(" ")}\n`);
  const t0 = Date.now();
  const cpu0 = machineCpu();
  const child = execa("npm", ["test", "--silent", "--", ...args], {
    all: true,
    reject: false,
    stdin: "ignore",
    lines: true,
    buffer: { all: false },
    env: { KTC_ALLURE_RESULTS: results, KTC_JUNIT_DIR: join(results, "..", "junit") },
  });
  for await (const line of child.iterable({ from: "all" })) {
    const text = String(line);
    log.write(`${text}\n`);
    let r: RegExpMatchArray | null;
    if ((r = text.match(PATTERNS.bringUp))) m.bringUpS.push(Number(r[1]));
    else if ((r = text.match(PATTERNS.join))) m.joinS.push(Number(r[1]));
    else if ((r = text.match(PATTERNS.cert))) m.certS.push(Number(r[1]));
    else if ((r = text.match(PATTERNS.renewalWait))) m.renewalWaitS.push([r[1]!, Number(r[2])]);
    else if ((r = text.match(PATTERNS.totals))) [m.passed, m.failed] = [Number(r[1]), Number(r[2])];
    else if ((r = text.match(PATTERNS.suiteRow))) m.suiteS.set(r[1]!, Number(r[4]));
  }
  const result = await child;
  await new Promise((done) => log.end(done));
  m.wallS = (Date.now() - t0) / 1000;
  const cpu1 = machineCpu();
  m.cpuBusyS = (cpu1.busy - cpu0.busy) / CLOCK_TICKS_PER_S;
  process.stderr.write(`[bench] ${label}: ${m.wallS.toFixed(0)}s, ${m.passed} passed, ${m.failed} failed (exit ${result.exitCode}; console: ${consoleLog})\n`);
  if (result.exitCode !== 0 && m.passed + m.failed === 0) throw new Error(`${label}: npm test exited ${result.exitCode} before any check ran; run it by hand to see why`);
  return m;
}

/** USER_HZ: /proc/stat counts in 1/100 s on every Linux architecture the harness runs on. */
const CLOCK_TICKS_PER_S = 100;

/**
 * The machine's busy CPU time so far (/proc/stat's "cpu" line: everything but
 * idle and iowait). Over a run, busy core-seconds ÷ cores is the least wall
 * the run could have taken on this machine however its suites were arranged.
 */
function machineCpu(): { busy: number } {
  const fields = readFileSync("/proc/stat", "utf8").split("\n")[0]!.trim().split(/\s+/).slice(1).map(Number);
  const [idle, iowait] = [fields[3] ?? 0, fields[4] ?? 0];
  // guest and guest_nice (fields 9, 10) are already counted in user and nice.
  const total = fields.slice(0, 8).reduce((a, b) => a + b, 0);
  return { busy: total - idle - iowait };
}

const span = (xs: number[]) => (xs.length ? `${Math.min(...xs).toFixed(1)}–${Math.max(...xs).toFixed(1)} s` : "–");

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      provider: { type: "string", default: "binary,kind" },
      "k8s-version": { type: "string", multiple: true },
      alone: { type: "string", default: "renewal" },
      "no-full": { type: "boolean", default: false },
      "no-serial": { type: "boolean", default: false },
      help: { type: "boolean", short: "h" },
    },
  });
  if (values.help) {
    process.stdout.write("npm run bench -- [--provider binary,kind] [--k8s-version V ...] [--alone renewal,...] [--no-serial] [--no-full]\n");
    return;
  }
  const providers = values.provider.split(",");
  const versions = values["k8s-version"] ?? [""];
  const alone = values.alone.split(",").filter(Boolean);
  const rows: string[] = [];
  const notes: string[] = [];
  const bringUps = new Map<string, number[]>();
  for (const version of versions) {
    for (const provider of providers) {
      const base = ["--provider", provider, ...(version ? ["--k8s-version", version] : [])];
      const cell = `${version || "default"} ${provider}`;
      const runs: RunMeasure[] = [];
      for (const suite of alone) runs.push(await measure(`${cell} ${suite} alone`, [...base, "--suite", suite]));
      if (!values["no-serial"]) runs.push(await measure(`${cell} all suites, one at a time`, [...base, "--parallel", "1"]));
      if (!values["no-full"]) runs.push(await measure(`${cell} all suites, side by side`, base));
      const renewal = runs.find((r) => r.label.endsWith("renewal alone"));
      const [serial, sideBySide] = [runs.find((r) => r.label.endsWith("one at a time")), runs.find((r) => r.label.endsWith("side by side"))];
      if (serial && sideBySide) notes.push(`${cell}: ${compareResults(serial.results, sideBySide.results)}`);
      for (const r of runs) {
        bringUps.set(provider, [...(bringUps.get(provider) ?? []), ...r.bringUpS]);
        const ratio = renewal && r !== renewal ? `${(r.wallS / renewal.wallS).toFixed(2)}× (${sameDraws(r, renewal)})` : "";
        const suites = [...r.suiteS].map(([s, t]) => `${s} ${t.toFixed(0)}`).join(", ");
        const waits = r.renewalWaitS.map(([node, w]) => `${node.replace(/-[0-9a-f]{4}$/, "")} ${w.toFixed(0)}`).join(", ") || "–";
        rows.push(`| ${r.label} | ${r.wallS.toFixed(0)} s | ${ratio} | ${r.passed}/${r.failed} | ${span(r.bringUpS)} | ${span(r.joinS)} | ${span(r.certS)} | ${waits} | ${suites} | ${cpuBusy(r)} |`);
      }
    }
  }
  const medians = [...bringUps].filter(([, xs]) => xs.length).map(([p, xs]) => [p, median(xs)] as const);
  const binary = medians.find(([p]) => p === "binary")?.[1];
  const bringUpLine = medians
    .map(([p, m]) => `${p} ${m.toFixed(1)} s${binary && p !== "binary" ? ` (${(m / binary).toFixed(1)}× binary)` : ""}`)
    .join(", ");
  process.stdout.write(
    [
      "| run | wall | × renewal alone (at the same draws) | passed/failed | cluster bring-up | node join | kubelet start → cert on disk | renewal waits (s) | suite walls (s) | machine CPU busy |",
      "|---|---|---|---|---|---|---|---|---|---|",
      ...rows,
      "",
      `Control-plane bring-up, median over every cluster above: ${bringUpLine || "none measured"}.`,
      ...notes.map((n) => `Allure results, one at a time vs side by side: ${n}.`),
    ].join("\n") + "\n",
  );
}

/**
 * Whether two runs reported the same: each check's name, status, and the
 * names of its evidence (with what differs between any two runs, node-name
 * suffixes, CSR names and run directories, masked).
 */
function compareResults(a: string, b: string): string {
  const read = (dir: string) =>
    new Set(
      readdirSync(dir)
        .filter((f) => f.endsWith("-result.json"))
        .map((f) => JSON.parse(readFileSync(join(dir, f), "utf8")) as { name: string; status: string; steps?: { name: string }[]; attachments?: { name: string }[] })
        .map((r) =>
          [r.name, r.status, ...[...(r.steps ?? []), ...(r.attachments ?? [])].map((x) => x.name).sort()]
            .join(" | ")
            .replace(/-[0-9a-f]{4}\b/g, "-XXXX")
            .replace(/csr-\w+/g, "csr-X")
            .replace(/ktc-sec-\w+/g, "ktc-sec-X")
            .replace(/\/tmp\/ktc\/\S+/g, "RUNDIR"),
        ),
    );
  const [x, y] = [read(a), read(b)];
  const onlyA = [...x].filter((k) => !y.has(k));
  const onlyB = [...y].filter((k) => !x.has(k));
  if (!onlyA.length && !onlyB.length) return `identical (${x.size} checks: names, statuses, evidence)`;
  return `DIFFERENT: only one at a time: ${onlyA.join("; ") || "none"}; only side by side: ${onlyB.join("; ") || "none"}`;
}

/**
 * The renewal suite's wall depends on the deadlines its kubelets drew (each
 * at random in 70–90 % of its certificate's life, which the signer backdates
 * by 5 minutes: a spread of 96–108 s here), so two runs compare only at the
 * same draws. The suite blocks on them in turn (the selfnodeclient node's
 * checks, then the other node's), so its draw-dependent part is the sum of
 * the time it blocked on each ("renewal waits"). "At the same draws": the
 * renewal-alone run's wall had its kubelets drawn what this run's drew (its
 * wall minus its own blocked time, plus this run's).
 */
function sameDraws(run: RunMeasure, renewalAlone: RunMeasure): string {
  const blocked = (m: RunMeasure) => (m.renewalWaitS.length === 2 ? m.renewalWaitS.reduce((sum, [, s]) => sum + s, 0) : undefined);
  const [mine, theirs] = [blocked(run), blocked(renewalAlone)];
  if (mine === undefined || theirs === undefined) return "–";
  return `${(run.wallS / (renewalAlone.wallS - theirs + mine)).toFixed(2)}×`;
}

/** Busy core-seconds, and as a share of the wall × cores: near 100 % the run is bound by CPU, not by waits. */
function cpuBusy(r: RunMeasure): string {
  const cores = availableParallelism();
  return `${r.cpuBusyS.toFixed(0)} core-s, ${((100 * r.cpuBusyS) / (r.wallS * cores)).toFixed(0)} % of ${cores} cores`;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

main().catch((err: Error) => {
  process.stderr.write(`bench: ${err.message}\n`);
  process.exit(1);
});
