/**
 * `npm run soak`: runs the suites N times in a row, each run the normal CLI
 * on fresh clusters, and prints a table: per run its exit code, passed,
 * failed and broken checks, what it left behind and its wall time; then the
 * checks that did not pass in every run, and the wall time distribution. A
 * script, not a test: a verdict is only worth something if it repeats.
 *
 *   npm run soak -- --runs N [--provider binary|kind] [--suite a,b] [--k8s-version V ...]
 *
 * Several --k8s-version flags take turns, run n using the ((n-1) mod count)th:
 * three full runs with three versions repeat each supported release once.
 *
 * The runs use a runs root of their own (/tmp/ktc-s<hex>), so what is found
 * after a run is that run's, never another engineer's on the same machine.
 * Each run's output and Allure results stay in reports/soak/<time>/run-<n>/.
 */
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { execa } from "execa";
import { findLeaks, describeLeaks, type Leaks } from "../../harness/run/leak-scan";
import { reportsDir } from "../../harness/report/report-dirs";
import { readResults } from "../../harness/selftest/allure-results";
import { TestRunsRoot } from "../../harness/selftest/runs-root";

interface SoakRun {
  n: number;
  exitCode: number;
  passed: number;
  failed: number;
  broken: number;
  leaks: Leaks;
  wallS: number;
  /** The --k8s-version the run was given, or "default". */
  version: string;
  /** Checks that did not pass: "suite › check" → "failed" | "broken". */
  notPassed: Map<string, string>;
}

const RUN_LINE = /\brun (\w+): suites /;

async function soakRun(n: number, version: string, args: string[], runsRoot: string, dir: string): Promise<SoakRun> {
  mkdirSync(dir, { recursive: true });
  const allure = join(dir, "allure");
  const t0 = Date.now();
  const child = execa("node", ["--experimental-vm-modules", "--no-warnings=ExperimentalWarning", "--import", "tsx", "harness/cli/main.ts", ...args], {
    all: true,
    reject: false,
    stdin: "ignore",
    env: { KTC_RUNS_ROOT: runsRoot, KTC_ALLURE_RESULTS: allure, KTC_JUNIT_DIR: join(dir, "junit") },
  });
  const result = await child;
  const wallS = (Date.now() - t0) / 1000;
  const output = String(result.all ?? "");
  writeFileSync(join(dir, "output.log"), output);
  const runIds = [...output.matchAll(new RegExp(RUN_LINE, "g"))].map((m) => m[1]!);
  const results = (() => {
    try {
      return readResults(allure);
    } catch {
      return [];
    }
  })();
  const notPassed = new Map<string, string>();
  for (const r of results) {
    const suite = r.labels.find((l) => l.name === "feature")?.value ?? "?";
    if (r.status !== "passed") notPassed.set(`${suite} › ${r.name}`, r.status);
  }
  const count = (s: string) => results.filter((r) => r.status === s).length;
  return { n, version, exitCode: result.exitCode ?? -1, passed: count("passed"), failed: count("failed"), broken: count("broken"), leaks: await findLeaks(runsRoot, runIds), wallS, notPassed };
}

function quantile(sorted: number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
}

function table(runs: SoakRun[], what: string): string {
  const row = (c: string[]) => `${c[0]!.padEnd(4)} ${c[1]!.padEnd(8)} ${c[2]!.padStart(4)} ${c[3]!.padStart(6)} ${c[4]!.padStart(6)} ${c[5]!.padStart(6)} ${c[6]!.padStart(8)}  ${c[7]}\n`;
  let out = `\nsoak: ${runs.length} run(s) of ${what}\n\n` + row(["run", "k8s", "exit", "passed", "failed", "broken", "wall", "leaks after the run"]);
  for (const r of runs) out += row([String(r.n), r.version, String(r.exitCode), String(r.passed), String(r.failed), String(r.broken), `${r.wallS.toFixed(1)}s`, describeLeaks(r.leaks)]);
  const clean = runs.filter((r) => r.exitCode === 0 && r.failed + r.broken === 0).length;
  const leaky = runs.filter((r) => describeLeaks(r.leaks) !== "none").length;
  out += `\n${clean}/${runs.length} runs passed entirely; ${leaky} run(s) left something behind\n`;
  const perCheck = new Map<string, { failed: number; broken: number }>();
  for (const r of runs) {
    for (const [check, status] of r.notPassed) {
      const c = perCheck.get(check) ?? { failed: 0, broken: 0 };
      if (status === "broken") c.broken++;
      else c.failed++;
      perCheck.set(check, c);
    }
  }
  if (perCheck.size) {
    out += `\nchecks that did not pass (failed / broken, of ${runs.length} runs):\n`;
    for (const [check, c] of [...perCheck].sort()) out += `  ${c.failed} / ${c.broken}  ${check}\n`;
  } else {
    out += "every check passed in every run\n";
  }
  const walls = runs.map((r) => r.wallS).sort((a, b) => a - b);
  const mean = walls.reduce((a, b) => a + b, 0) / walls.length;
  out += `\nwall time: min ${walls[0]!.toFixed(1)}s, median ${quantile(walls, 0.5).toFixed(1)}s, p90 ${quantile(walls, 0.9).toFixed(1)}s, max ${walls[walls.length - 1]!.toFixed(1)}s, mean ${mean.toFixed(1)}s\n`;
  return out;
}

async function main(): Promise<number> {
  const usage = "usage: npm run soak -- --runs N [--provider binary|kind] [--suite a,b] [--k8s-version V ...]\n";
  let values;
  try {
    ({ values } = parseArgs({
      options: {
        runs: { type: "string" },
        provider: { type: "string" },
        suite: { type: "string", multiple: true },
        "k8s-version": { type: "string", multiple: true },
        help: { type: "boolean", short: "h" },
      },
      strict: true,
    }));
  } catch (err) {
    process.stderr.write(`soak: ${(err as Error).message.split("\n")[0]}\n${usage}`);
    return 2;
  }
  if (values.help) {
    process.stdout.write(usage);
    return 0;
  }
  const runs = Number(values.runs);
  if (!Number.isInteger(runs) || runs < 1) {
    process.stderr.write(usage);
    return 2;
  }
  const common = [...(values.provider ? ["--provider", values.provider] : []), ...(values.suite ?? []).flatMap((s) => ["--suite", s])];
  const versions = values["k8s-version"] ?? [];
  const versionOf = (n: number) => versions[(n - 1) % versions.length];
  const argsOf = (n: number) => (versions.length ? [...common, "--k8s-version", versionOf(n)!] : common);
  const what = `${values.suite?.join(",") ?? "all suites"} on ${values.provider ?? "binary"}${versions.length ? `, Kubernetes ${versions.join(", ")} in turn` : ""}`;
  const root = new TestRunsRoot("s");
  const outDir = join(reportsDir(), "soak", new Date().toISOString().replace(/[:.]/g, "-"));
  const done: SoakRun[] = [];
  try {
    for (let n = 1; n <= runs; n++) {
      process.stderr.write(`[soak] run ${n}/${runs}: npm test -- ${argsOf(n).join(" ")}\n`);
      const r = await soakRun(n, versionOf(n) ?? "default", argsOf(n), root.path, join(outDir, `run-${n}`));
      process.stderr.write(`[soak] run ${n}: exit ${r.exitCode}, ${r.passed} passed, ${r.failed} failed, ${r.broken} broken, leaks: ${describeLeaks(r.leaks)}, ${r.wallS.toFixed(1)}s\n`);
      done.push(r);
    }
  } finally {
    if (done.length) process.stdout.write(table(done, what) + `\noutputs and results: ${outDir}\n`);
    // Only an empty root is removed: anything left in it is a leak the table reports, kept for inspection.
    if (done.every((r) => describeLeaks(r.leaks) === "none")) rmSync(root.path, { recursive: true, force: true });
  }
  return done.every((r) => r.exitCode === 0 && r.failed + r.broken === 0 && describeLeaks(r.leaks) === "none") ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (err: Error) => {
    process.stderr.write(`soak: ${err.stack ?? err.message}\n`);
    process.exit(1);
  },
);


