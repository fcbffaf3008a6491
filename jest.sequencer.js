// The order jest starts test files in. Suites run side by side (--parallel),
// so a run lasts about as long as its longest suite if that one starts first:
// the catalogue marks the suites whose wait is set by Kubernetes' own clocks
// ("longWait": renewal waits for 70-90 % of a certificate's life), and those
// go first. The harness's own tests do the same with a `@longWait` tag in
// their header comment (a renewal waited for, clusters brought up one after
// another): on a fresh clone jest has no timings cached and would start the
// smallest files last, whatever they wait for. The rest keep jest's order
// (slowest first by the times it cached, else the biggest file first).
import { readFileSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import Sequencer from "@jest/test-sequencer";

const root = dirname(fileURLToPath(import.meta.url));
const catalogue = JSON.parse(readFileSync(join(root, "suites", "catalogue.json"), "utf8"));
const longWaitSuites = new Set(catalogue.filter((s) => s.longWait).map((s) => `${s.name}.test.ts`));

/** The tag is in the file's header comment. */
const taggedLongWait = (path) => /^\s*\*\s*@longWait\b/m.test(readFileSync(path, "utf8").slice(0, 2048));

export default class LongestWaitFirst extends Sequencer {
  async sort(tests) {
    const sorted = await super.sort(tests);
    const long = (t) => longWaitSuites.has(basename(t.path)) || taggedLongWait(t.path);
    return [...sorted.filter(long), ...sorted.filter((t) => !long(t))];
  }
}
