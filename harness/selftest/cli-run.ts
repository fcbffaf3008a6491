import { spawn, type ChildProcess } from "node:child_process";
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

export function startCli(script: "main" | "cleanup-main", args: string[], env: Record<string, string> = {}): CliRun {
  const child = spawn(
    "node",
    ["--experimental-vm-modules", "--no-warnings=ExperimentalWarning", "--import", "tsx", `harness/cli/${script}.ts`, ...args],
    { cwd: REPO_ROOT, env: { ...process.env, ...env }, detached: true, stdio: ["ignore", "pipe", "pipe"] },
  );
  let out = "";
  child.stdout!.on("data", (d) => (out += d));
  child.stderr!.on("data", (d) => (out += d));
  const exit = new Promise<{ code: number | null; signal: string | null }>((resolve) => child.on("exit", (code, signal) => resolve({ code, signal })));
  return { child, output: () => out, exit };
}
