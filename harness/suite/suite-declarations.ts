import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";

/**
 * A suite has "declared" once jest has collected its file: every cluster it
 * will use is known (cluster-release.ts counts their users) and, for the
 * suites that go first, every bring-up turn it will take is reserved
 * (bring-up-turns.ts). A marker file per suite in the run's pool directory,
 * written synchronously, as collection is.
 */
const declaredDir = (runDir: string) => join(runDir, "pool", "declared");

export function markSuiteDeclared(runDir: string, suite: string): void {
  mkdirSync(declaredDir(runDir), { recursive: true });
  writeFileSync(join(declaredDir(runDir), suite), "");
}

export function allDeclared(runDir: string, suites: readonly string[]): boolean {
  return suites.every((s) => existsSync(join(declaredDir(runDir), s)));
}
