import { buildArgv, runCLI } from "jest";
import { REPO_ROOT } from "../binaries/layout";

export interface JestOutcome {
  success: boolean;
  numFailedTests: number;
  numPassedTests: number;
  numTotalTests: number;
  /** Per suite (jest project): passed, failed, seconds. */
  perSuite: { suite: string; passed: number; failed: number; seconds: number }[];
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
  const perSuite = new Map<string, { passed: number; failed: number; seconds: number }>();
  for (const file of results.testResults) {
    const suite = file.displayName?.name ?? file.testFilePath;
    const s = perSuite.get(suite) ?? { passed: 0, failed: 0, seconds: 0 };
    s.passed += file.numPassingTests;
    s.failed += file.numFailingTests + (file.testExecError ? 1 : 0);
    s.seconds += (file.perfStats.end - file.perfStats.start) / 1000;
    perSuite.set(suite, s);
  }
  return {
    success: results.success,
    numFailedTests: results.numFailedTests,
    numPassedTests: results.numPassedTests,
    numTotalTests: results.numTotalTests,
    perSuite: [...perSuite].map(([suite, s]) => ({ suite, ...s })),
  };
}
