import { stripVTControlCharacters } from "node:util";
import { buildArgv, runCLI } from "jest";
import { REPO_ROOT } from "../binaries/layout";

export interface JestOutcome {
  success: boolean;
  numFailedTests: number;
  numPassedTests: number;
  numTotalTests: number;
  /** Per suite (jest project): passed, failed, skipped, seconds. */
  perSuite: SuiteOutcome[];
  /** Why checks were skipped (the reason check() puts in a skipped check's name), and how many each. */
  skipReasons: { reason: string; checks: number }[];
  /** Each failed check (or suite file that could not run) and the first lines of why. */
  failures: CheckFailure[];
}

export interface CheckFailure {
  suite: string;
  check: string;
  why: string[];
}

export interface SuiteOutcome {
  suite: string;
  passed: number;
  failed: number;
  skipped: number;
  seconds: number;
}

/** check() names a skipped check "<story> (skipped: <reason>)". */
const SKIPPED_NAME = /\(skipped: (.+)\)$/;

/** The first lines of a failure message worth a console line: no colours, no stack frames, no blanks. */
export function firstLinesOf(message: string, lines = 4, width = 240): string[] {
  return stripVTControlCharacters(message)
    .split("\n")
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith("at "))
    .slice(0, lines)
    .map((l) => (l.length > width ? `${l.slice(0, width - 1)}…` : l));
}

/**
 * Runs the selected suites as jest projects. With `parallel` 1 they run one
 * at a time in this process; otherwise up to `parallel` at once, each in a
 * jest worker process. Either way the run's sweep finds what they started
 * from the run directory's records (the signal handler needs no process tree),
 * and suites with equal specs share a cluster through the file-backed pool.
 */
export async function runSuites(suites: string[], parallel: number): Promise<JestOutcome> {
  const argv = await buildArgv([
    "--config",
    `${REPO_ROOT}/jest.config.js`,
    ...(parallel > 1 ? [`--maxWorkers=${parallel}`] : ["--runInBand"]),
    "--ci",
    "--testTimeout=900000",
    "--selectProjects",
    ...suites,
  ]);
  const { results } = await runCLI(argv, [REPO_ROOT]);
  const perSuite = new Map<string, Omit<SuiteOutcome, "suite">>();
  const skipReasons = new Map<string, number>();
  const failures: CheckFailure[] = [];
  for (const file of results.testResults) {
    const suite = file.displayName?.name ?? file.testFilePath;
    const s = perSuite.get(suite) ?? { passed: 0, failed: 0, skipped: 0, seconds: 0 };
    s.passed += file.numPassingTests;
    s.failed += file.numFailingTests + (file.testExecError ? 1 : 0);
    s.skipped += file.numPendingTests;
    s.seconds += (file.perfStats.end - file.perfStats.start) / 1000;
    perSuite.set(suite, s);
    for (const t of file.testResults.filter((r) => r.status === "pending")) {
      const reason = t.title.match(SKIPPED_NAME)?.[1] ?? "skipped without a reason (a harness bug: check() gives every skip one)";
      skipReasons.set(reason, (skipReasons.get(reason) ?? 0) + 1);
    }
    for (const t of file.testResults.filter((r) => r.status === "failed")) {
      failures.push({ suite, check: t.fullName, why: firstLinesOf(t.failureMessages.join("\n")) });
    }
    if (file.testExecError) failures.push({ suite, check: "(the suite file could not run)", why: firstLinesOf(file.testExecError.message) });
  }
  return {
    success: results.success,
    numFailedTests: results.numFailedTests,
    numPassedTests: results.numPassedTests,
    numTotalTests: results.numTotalTests,
    perSuite: [...perSuite].map(([suite, s]) => ({ suite, ...s })),
    skipReasons: [...skipReasons].map(([reason, checks]) => ({ reason, checks })),
    failures,
  };
}
