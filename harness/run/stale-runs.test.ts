/**
 * The sweep of stale runs that starts every run: a killed run's leftovers
 * go, a run kept with --keep stays (a later run may be testing its cluster
 * through --provider existing) until `npm run cleanup`. Scratch run
 * directories whose owner pid cannot exist; nothing real is made or removed.
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "@jest/globals";

const root = mkdtempSync(join(tmpdir(), "ktc-stale-"));
process.env.KTC_RUNS_ROOT = root;
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** A run directory whose owner is gone: pid 2^22+1 is above pid_max's ceiling. */
function goneRun(id: string, kept: boolean): string {
  const dir = join(root, id);
  mkdirSync(dir);
  writeFileSync(join(dir, "owner.json"), JSON.stringify({ pid: 2 ** 22 + 1, startTime: 1 }));
  if (kept) writeFileSync(join(dir, "kept"), "");
  return dir;
}

describe("sweeping stale runs", () => {
  it("removes a killed run, leaves a kept one to `npm run cleanup`", async () => {
    // Imported after KTC_RUNS_ROOT is set: the runs root is read when run-dir.ts loads.
    const { sweepStaleRuns } = await import("./stale-runs");
    const killed = goneRun("a1a1a1", false);
    const kept = goneRun("b2b2b2", true);
    expect(await sweepStaleRuns([])).toEqual(["a1a1a1"]);
    expect({ killed: existsSync(killed), kept: existsSync(kept) }).toEqual({ killed: false, kept: true });
    expect(await sweepStaleRuns([], { includeKept: true })).toEqual(["b2b2b2"]);
    expect(existsSync(kept)).toBe(false);
  });
});
