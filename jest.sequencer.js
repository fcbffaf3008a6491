// The order jest starts test files in. Suites run side by side (--parallel),
// so a run lasts about as long as its longest suite if that one starts first:
// the catalogue marks the suites whose wait is set by Kubernetes' own clocks
// ("longWait": renewal waits for 70-90 % of a certificate's life), and those
// go first. The rest keep jest's order (slowest first by the times it cached).
import { readFileSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import Sequencer from "@jest/test-sequencer";

const root = dirname(fileURLToPath(import.meta.url));
const catalogue = JSON.parse(readFileSync(join(root, "suites", "catalogue.json"), "utf8"));
const longWait = new Set(catalogue.filter((s) => s.longWait).map((s) => `${s.name}.test.ts`));

export default class LongestWaitFirst extends Sequencer {
  async sort(tests) {
    const sorted = await super.sort(tests);
    return [...sorted.filter((t) => longWait.has(basename(t.path))), ...sorted.filter((t) => !longWait.has(basename(t.path)))];
  }
}
