import { describeError } from "../errors";
import { readdirSync } from "node:fs";
import { sweepOrphanDockerObjects } from "../run/docker-sweep";
import { RUNS_ROOT } from "../run/run-dir";
import { sweepStaleRuns } from "../run/stale-runs";

/**
 * `npm run cleanup`: removes the processes, network namespaces, links and
 * directories of runs whose owner is gone (a killed run, or one kept with
 * --keep). `--all` also removes runs whose owner is still alive, and docker
 * objects named or labelled for a run whose directory is gone (kind provider,
 * e.g. after /tmp was wiped). Only with --all: without a run directory the
 * harness cannot tell a lost run from one under another KTC_RUNS_ROOT.
 */
const all = process.argv.includes("--all");
async function cleanup(): Promise<string[]> {
  const swept = (await sweepStaleRuns({ includeLive: all })).map((id) => `run ${id}`);
  let live: string[] = [];
  try {
    live = readdirSync(RUNS_ROOT);
  } catch {
    // no runs root: no live runs
  }
  return all ? [...swept, ...(await sweepOrphanDockerObjects(new Set(live)))] : swept;
}
cleanup().then(
  (removed) => {
    process.stdout.write(removed.length ? `removed: ${removed.join(", ")}\n` : "nothing to clean up\n");
  },
  (err) => {
    process.stderr.write(`error: ${describeError(err)}\n`);
    process.exit(1);
  },
);
