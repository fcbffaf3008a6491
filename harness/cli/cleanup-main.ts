import { describeError } from "../errors";
import { readdirSync } from "node:fs";
import { allResourceDeleters, PROVIDER_DEFINITIONS } from "../providers/registry";
import { RUNS_ROOT } from "../run/run-dir";
import { sweepStaleRuns } from "../run/stale-runs";

/**
 * `npm run cleanup`: removes the processes, recorded objects (each deleted by
 * its provider's deleter) and directories of runs whose owner is gone (a
 * killed run, or one kept with --keep). `--all` also removes runs whose owner
 * is still alive, and what runs of this runs root left outside a directory
 * that is gone (e.g. after /tmp was wiped), as each provider finds it.
 */
const all = process.argv.includes("--all");
async function cleanup(): Promise<string[]> {
  const lines: string[] = [];
  const swept = await sweepStaleRuns(allResourceDeleters(), { includeLive: all, includeKept: true });
  if (swept.length) lines.push(`removed runs: ${swept.join(", ")}`);
  if (all) {
    let live: string[] = [];
    try {
      live = readdirSync(RUNS_ROOT);
    } catch {
      // no runs root: no live runs
    }
    for (const p of PROVIDER_DEFINITIONS) if (p.sweepLostRuns) lines.push(...(await p.sweepLostRuns(RUNS_ROOT, new Set(live))));
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
