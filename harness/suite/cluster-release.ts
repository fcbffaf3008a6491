import { existsSync, mkdirSync, readdirSync, writeFileSync } from "node:fs";
import { open, readFile, rename } from "node:fs/promises";
import { join } from "node:path";
import { info } from "../log";
import type { ClusterProvider } from "../providers/provider";
import type { ClusterSpec } from "../providers/spec";
import { entryPath } from "./cluster-pool";
import { allDeclared } from "./suite-declarations";

/**
 * A pooled cluster goes as soon as no suite of the run can need it any more,
 * rather than at the run's final sweep: an idle control plane still costs
 * CPU (a kind control plane ~0.16 of a core), and the suites that need it
 * are often done long before the renewal suite is.
 *
 * "No suite can need it" is known from files of the run, as the pool is:
 * each suite declares its clusters while jest collects its file (one user
 * file per useCluster), then marks itself declared (suite-declarations.ts);
 * each user marks itself done when its describe block ends. Once every suite of the run has
 * declared and every user of a spec is done, the last of them releases the
 * cluster (an O_EXCL claim: one releaser). A suite that has not started yet
 * keeps every cluster, so a cluster is never released under a suite that
 * could still ask for it; one whose worker died never marks done, and its
 * clusters go in the final sweep as before.
 */

/** The directory of a spec's declared users: one file per useCluster, and its `.done` marker. */
export const usersDir = (runDir: string, spec: ClusterSpec) => `${entryPath(runDir, spec)}.users`;

let users = 0;

/** At collection time (synchronous, as jest collects): one more user of the spec's cluster; returns its done-marker path. */
export function declareUser(runDir: string, spec: ClusterSpec, suite: string): string {
  const dir = usersDir(runDir, spec);
  mkdirSync(dir, { recursive: true });
  const user = join(dir, `${suite}.${process.pid}.${++users}`);
  writeFileSync(user, "");
  return `${user}.done`;
}

/**
 * Marks this user done; if it was the last user of the spec and every suite
 * has declared, releases the cluster (destroys it through its provider) and
 * says so. Returns whether it released it.
 */
export async function finishUse(o: { runDir: string; spec: ClusterSpec; doneMarker: string; suites: readonly string[]; provider: ClusterProvider }): Promise<boolean> {
  writeFileSync(o.doneMarker, "");
  if (!allDeclared(o.runDir, o.suites)) return false;
  const dir = usersDir(o.runDir, o.spec);
  const files = readdirSync(dir);
  if (files.some((f) => !f.endsWith(".done") && !files.includes(`${f}.done`))) return false;
  const entry = entryPath(o.runDir, o.spec);
  if (!existsSync(entry)) return false; // never brought up (its checks were skipped, or its bring-up failed)
  try {
    await (await open(`${entry}.released`, "wx")).close();
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "EEXIST") return false;
    throw err;
  }
  const { handle, name } = JSON.parse(await readFile(entry, "utf8")) as { handle: string; name: string };
  // Out of the pool first: nothing may attach to a cluster being destroyed.
  await rename(entry, `${entry}.gone`);
  info(`releasing cluster ${name}: every suite of the run that uses it is done`);
  await (await o.provider.attach(handle)).destroy();
  return true;
}
