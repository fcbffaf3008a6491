import { existsSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { HarnessError } from "../errors";

/**
 * Once a sweep of a run has begun, nothing new may be created in it: a suite
 * still running when Ctrl-C arrives would otherwise start a kubelet after the
 * sweep listed the run's processes. The marker is a file, so it is seen by
 * every module registry in the process (jest loads the harness once per suite).
 */
export class RunClosingError extends HarnessError {}

function marker(runDir: string): string {
  return join(runDir, "closing");
}

export function markClosing(runDir: string): void {
  try {
    writeFileSync(marker(runDir), new Date().toISOString());
  } catch {
    // The run directory is already gone: nothing can be created in it anyway.
  }
}

/**
 * Closing, or already removed. A run directory without owner.json is one the
 * sweep removed and a late mkdir -p recreated (a suite still in flight after
 * Ctrl-C): its marker is gone with it, so the missing owner file counts too.
 */
export function isClosing(runDir: string): boolean {
  return existsSync(marker(runDir)) || !existsSync(join(runDir, "owner.json"));
}

export function assertOpen(runDir: string, what: string): void {
  if (isClosing(runDir)) {
    throw new RunClosingError(`not starting ${what}: run ${runDir} is being torn down`, {
      hint: "the run was interrupted or is finishing; this is not a conformance failure",
    });
  }
}
