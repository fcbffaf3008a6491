import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "@jest/globals";
import { listResources, recordResource, type ResourceDeleter } from "./resources";
import { sweepRecorded } from "./sweep";

/** Records in a scratch run directory, deleted by fake deleters: nothing real is made or removed. */
const scratch = mkdtempSync(join(tmpdir(), "ktc-sweep-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe("sweeping a run's records", () => {
  it("deletes each record with its kind's deleter, in the deleters' order, of one owner; a kind no deleter knows is an error and keeps its record", async () => {
    const runDir = join(scratch, "a1b2c3");
    mkdirSync(runDir);
    writeFileSync(join(runDir, "owner.json"), "{}"); // an open run (closing.ts)
    for (const r of [
      { kind: "network", name: "n0", owner: "c0" },
      { kind: "container", name: "k0", owner: "c0" },
      { kind: "container", name: "k1", owner: "c1" },
      { kind: "gadget", name: "g0", owner: "c0" },
    ]) {
      await recordResource(runDir, r);
    }
    const deleted: string[] = [];
    const deleter = (kind: string): ResourceDeleter => ({ kind, delete: async (r) => void deleted.push(`${r.kind} ${r.name}`) });
    const errors = await sweepRecorded(runDir, [deleter("container"), deleter("network")], "c0");
    expect(deleted).toEqual(["container k0", "network n0"]);
    expect(errors).toEqual([expect.stringMatching(/^delete gadget g0: no provider deletes objects of kind gadget/)]);
    expect((await listResources(runDir)).map((r) => r.name).sort()).toEqual(["g0", "k1"]);
  });
});
