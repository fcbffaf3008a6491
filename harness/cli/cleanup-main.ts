import { describeError } from "../errors";
import { sweepStaleRuns } from "../run/stale-runs";

/**
 * `npm run cleanup`: removes the processes, network namespaces, links and
 * directories of runs whose owner is gone (a killed run, or one kept with
 * --keep). `--all` also removes runs whose owner is still alive.
 */
const all = process.argv.includes("--all");
sweepStaleRuns({ includeLive: all }).then(
  (swept) => {
    process.stdout.write(swept.length ? `removed runs: ${swept.join(", ")}\n` : "nothing to clean up\n");
  },
  (err) => {
    process.stderr.write(`error: ${describeError(err)}\n`);
    process.exit(1);
  },
);
