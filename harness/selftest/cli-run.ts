import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { REPO_ROOT } from "../binaries/layout";

/**
 * Runs the harness CLI as a user would (a separate process), for the
 * harness's own tests: teardown checks and negative controls.
 */
export interface CliRun {
  child: ChildProcess;
  output: () => string;
  exit: Promise<{ code: number | null; signal: string | null }>;
}

/**
 * Harness tests run side by side, and a run replaces its results directory:
 * a run whose test does not read its report writes it into a directory of its
 * own, removed when the run exits, never into the clone's reports/.
 */
function privateReportDirs(env: Record<string, string>): { env: Record<string, string>; remove: () => void } {
  if (env.KTC_ALLURE_RESULTS) return { env, remove: () => undefined };
  const dir = mkdtempSync(join(tmpdir(), "ktc-selftest-report-"));
  return {
    env: { ...env, KTC_ALLURE_RESULTS: join(dir, "allure-results"), KTC_JUNIT_DIR: join(dir, "junit") },
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}

export function startCli(script: "main" | "cleanup-main", args: string[], env: Record<string, string> = {}): CliRun {
  const reports = privateReportDirs(env);
  const child = spawn(
    "node",
    ["--experimental-vm-modules", "--no-warnings=ExperimentalWarning", "--import", "tsx", `harness/cli/${script}.ts`, ...args],
    { cwd: REPO_ROOT, env: { ...process.env, ...reports.env }, detached: true, stdio: ["ignore", "pipe", "pipe"] },
  );
  let out = "";
  child.stdout!.on("data", (d) => (out += d));
  child.stderr!.on("data", (d) => (out += d));
  const exit = new Promise<{ code: number | null; signal: string | null }>((resolve) =>
    child.on("exit", (code, signal) => {
      reports.remove();
      resolve({ code, signal });
    }),
  );
  return { child, output: () => out, exit };
}
