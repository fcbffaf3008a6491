import { createHash } from "node:crypto";
import { access, constants, readFile } from "node:fs/promises";
import { join } from "node:path";
import { cacheRoot } from "./layout";

/**
 * The cache directory of tools built from pinned Go modules:
 * <cache>/<name>/<hash of the modules' go.mod and go.sum>/bin. The pins
 * themselves are the key, so a new pin builds afresh and an old build is
 * never taken for it.
 */
export async function pinnedBuildDir(name: string, moduleDirs: readonly string[]): Promise<string> {
  const h = createHash("sha256");
  for (const dir of moduleDirs) {
    for (const f of ["go.mod", "go.sum"]) h.update(await readFile(join(dir, f)));
  }
  return join(cacheRoot(), name, h.digest("hex").slice(0, 12), "bin");
}

export async function isExecutable(path: string): Promise<boolean> {
  return access(path, constants.X_OK).then(() => true, () => false);
}
