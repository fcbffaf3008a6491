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
 * declared and every user of a spec is done, the cluster is released (an
 * O_EXCL claim: one releaser) by the last of its users, or, when they all
 * ended before the run's last suite was collected, by that suite as it starts
 * (releaseUnneededClusters, from conformance-suite.ts). A suite that has not started yet
 * keeps every cluster, so a cluster is never released under a suite that
 * could still ask for it; one whose worker died never marks done, and its
 * clusters go in the final sweep as before.
 */

const USERS_SUFFIX = ".users";

/** Where a run's pooled clusters are, which suites it has, and who destroys its clusters. */
interface RunClusters {
  runDir: string;
  suites: readonly string[];
  provider: ClusterProvider;
}

/** The directory of a spec's declared users: one file per useCluster, and its `.done` marker. */
export const usersDir = (runDir: string, spec: ClusterSpec) => `${entryPath(runDir, spec)}${USERS_SUFFIX}`;

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
export async function finishUse(o: RunClusters & { spec: ClusterSpec; doneMarker: string }): Promise<boolean> {
  writeFileSync(o.doneMarker, "");
  return (await releaseIfUnneeded(entryPath(o.runDir, o.spec), o)) !== undefined;
}

/**
 * Releases every pooled cluster of the run whose users are all done: for the
 * suite whose collection completed the run's declarations. A suite that ends
 * before the others have all been collected (on 2 cores, 5 kind workers for
 * 7 suites: lifetime ends before certdir starts) cannot release its own
 * clusters then; without this they idled until the final sweep (two kind
 * control planes, ~120 s each, ~40 core-seconds of a ~340 core-second run).
 * Returns the names of the clusters it released.
 */
export async function releaseUnneededClusters(o: RunClusters): Promise<string[]> {
  const pool = join(o.runDir, "pool");
  const entries = existsSync(pool) ? readdirSync(pool).filter((f) => f.endsWith(USERS_SUFFIX)).map((f) => join(pool, f.slice(0, -USERS_SUFFIX.length))) : [];
  const released = await Promise.all(entries.map((entry) => releaseIfUnneeded(entry, o)));
  return released.filter((name): name is string => name !== undefined);
}

/**
 * Releases the pool entry's cluster if every suite has declared and every
 * user of it is done (one releaser: an O_EXCL claim); its name if it did.
 */
async function releaseIfUnneeded(entry: string, o: RunClusters): Promise<string | undefined> {
  if (!allDeclared(o.runDir, o.suites)) return undefined;
  const files = readdirSync(`${entry}${USERS_SUFFIX}`);
  if (files.some((f) => !f.endsWith(".done") && !files.includes(`${f}.done`))) return undefined;
  if (!existsSync(entry)) return undefined; // never brought up (its checks were skipped, or its bring-up failed), or released
  try {
    await (await open(`${entry}.released`, "wx")).close();
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "EEXIST") return undefined;
    throw err;
  }
  const { handle, name } = JSON.parse(await readFile(entry, "utf8")) as { handle: string; name: string };
  // Out of the pool first: nothing may attach to a cluster being destroyed.
  await rename(entry, `${entry}.gone`);
  info(`releasing cluster ${name}: every suite of the run that uses it is done`);
  await (await o.provider.attach(handle)).destroy();
  return name;
}
