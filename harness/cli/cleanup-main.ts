import { describeError } from "../errors";
import { readdirSync } from "node:fs";
import { sweepOrphanDockerObjects } from "../run/docker-sweep";
import { RUNS_ROOT } from "../run/run-dir";
import { sweepStaleRuns } from "../run/stale-runs";

/**
 * `npm run cleanup`: removes the processes, network namespaces, links and
 * directories of runs whose owner is gone (a killed run, or one kept with
 * --keep). `--all` also removes runs whose owner is still alive, and the
 * docker objects of runs of this runs root whose directory is gone (kind
 * provider, e.g. after /tmp was wiped; found through the run's network).
 */
const all = process.argv.includes("--all");
async function cleanup(): Promise<string[]> {
  const lines: string[] = [];
  const swept = await sweepStaleRuns({ includeLive: all });
  if (swept.length) lines.push(`removed runs: ${swept.join(", ")}`);
  if (all) {
    let live: string[] = [];
    try {
      live = readdirSync(RUNS_ROOT);
    } catch {
      // no runs root: no live runs
    }
    const orphans = await sweepOrphanDockerObjects(RUNS_ROOT, new Set(live));
    if (orphans.length) lines.push(`removed docker objects of lost runs: ${orphans.join(", ")}`);
  }
  return lines;
}
cleanup().then(
  (lines) => {
    process.stdout.write(lines.length ? lines.join("\n") + "\n" : "nothing to clean up\n");
  },
  (err) => {
    process.stderr.write(`error: ${describeError(err)}\n`);
    process.exit(1);
  },
);
