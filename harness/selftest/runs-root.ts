import { randomBytes } from "node:crypto";
import { readdirSync, rmSync } from "node:fs";
import { eventually } from "../wait/eventually";
import { startCli, type CliRun } from "./cli-run";

/**
 * A private KTC_RUNS_ROOT for a teardown test, remembering every run id that
 * appeared under it (a swept run's directory is gone, but its id still names
 * the objects to look for).
 */
export class TestRunsRoot {
  readonly path: string;
  readonly seen = new Set<string>();

  constructor(prefix: string) {
    this.path = `/tmp/ktc-${prefix}${randomBytes(2).toString("hex")}`;
  }

  /** The run directories under the root now (and records their ids as seen). */
  runIds(): string[] {
    try {
      const ids = readdirSync(this.path);
      ids.forEach((id) => this.seen.add(id));
      return ids;
    } catch {
      return [];
    }
  }

  remove(): void {
    rmSync(this.path, { recursive: true, force: true });
  }

  /** Waits until `reached` holds (a timeout names `what` and the run's output so far), then killThenCleanUp. */
  async killWhen(run: CliRun, what: string, reached: () => Promise<boolean>): Promise<number | null> {
    await eventually(async () => ((await reached()) ? true : undefined), { what, timeoutMs: 5 * 60_000, describe: () => `output so far:\n${run.output().slice(-2000)}` });
    return this.killThenCleanUp(run);
  }

  /** Kills a run of this root (its whole process group, SIGKILL: nothing of it runs its own cleanup), then `npm run cleanup`; the cleanup's exit code. */
  async killThenCleanUp(run: CliRun): Promise<number | null> {
    process.kill(-run.child.pid!, "SIGKILL");
    await run.exit;
    return (await startCli("cleanup-main", [], { KTC_RUNS_ROOT: this.path }).exit).code;
  }

  /** `npm run cleanup` of this root (its runs, kept ones too), then the root itself. */
  async cleanUpAndRemove(): Promise<void> {
    await startCli("cleanup-main", [], { KTC_RUNS_ROOT: this.path }).exit;
    this.remove();
  }
}
