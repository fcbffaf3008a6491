import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, mkdtempSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { ProvisionError } from "../errors";
import { processStartTime } from "../exec/process-table";

/**
 * Every run owns one directory under RUNS_ROOT; everything the run creates is
 * recorded there (processes, network namespaces, links) so a sweep can remove
 * it all, even after the run itself was killed. The root is short on purpose:
 * containerd's socket lives under it and unix socket paths are limited to 108 bytes.
 */
export const RUNS_ROOT = process.env.KTC_RUNS_ROOT ?? "/tmp/ktc";

/** Environment variable through which the CLI hands the run directory to jest. */
export const RUN_DIR_ENV = "KTC_RUN_DIR";

export interface RunOwner {
  pid: number;
  startTime: string;
  createdAt: string;
}

/** Short, lowercase, so it fits in interface names (15 bytes) and node names. */
export function newRunId(): string {
  return randomBytes(4).toString("hex").slice(0, 6);
}

/**
 * Creates the run's directory with its owner file already inside: it is
 * written in a staging directory that is then renamed into place, so another
 * run's stale-run sweep never sees a run directory without its owner (it
 * would take it for a dead run and remove it).
 */
export function createRunDir(runId = newRunId()): { runId: string; runDir: string } {
  const runDir = join(RUNS_ROOT, runId);
  mkdirSync(RUNS_ROOT, { recursive: true });
  // Not named like a run id, so no sweep takes it for one.
  const staging = mkdtempSync(join(RUNS_ROOT, `.new-${runId}-`));
  const owner: RunOwner = {
    pid: process.pid,
    startTime: processStartTime(process.pid) ?? "unknown",
    createdAt: new Date().toISOString(),
  };
  writeFileSync(join(staging, "owner.json"), JSON.stringify(owner, null, 2));
  try {
    renameSync(staging, runDir);
  } catch (err) {
    rmSync(staging, { recursive: true, force: true });
    throw new ProvisionError(`could not create the run directory ${runDir}: ${(err as Error).message}`);
  }
  return { runId, runDir };
}

export async function readOwner(runDir: string): Promise<RunOwner | undefined> {
  try {
    return JSON.parse(await readFile(join(runDir, "owner.json"), "utf8")) as RunOwner;
  } catch {
    return undefined;
  }
}

/**
 * A run left running by --keep says so in its directory: the next run's
 * sweep of stale runs leaves it alone (its clusters may be what that run
 * tests, with --provider existing); `npm run cleanup` removes it.
 */
export async function markKept(runDir: string): Promise<void> {
  await writeFile(join(runDir, "kept"), "");
}

export function isKept(runDir: string): boolean {
  return existsSync(join(runDir, "kept"));
}

export function runIdOf(runDir: string): string {
  return runDir.split("/").filter(Boolean).pop()!;
}

/** Takes the next free cluster directory c0, c1... of the run (exclusive mkdir, so concurrent creators never share one). */
export async function claimClusterDir(runDir: string): Promise<{ index: number; dir: string }> {
  for (let index = 0; index < 10; index++) {
    const dir = join(runDir, `c${index}`);
    try {
      await mkdir(dir);
      return { index, dir };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
    }
  }
  throw new ProvisionError(`more than 10 clusters in run ${runDir}`);
}
