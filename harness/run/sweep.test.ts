import { spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "@jest/globals";
import { isAlive, processStartTime, recordProcess } from "../exec/process-table";
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

  it("stops a recorded process that ignores SIGTERM with SIGKILL once its own stop grace is over, not the default 10 s", async () => {
    const runDir = join(scratch, "d4e5f6");
    mkdirSync(runDir);
    writeFileSync(join(runDir, "owner.json"), "{}");
    const log = join(runDir, "stubborn.log");
    // A process group of its own, as the harness's daemons have; it ignores SIGTERM (and so does what it execs).
    const child = spawn("sh", ["-c", 'trap "" TERM; exec sleep 60'], { detached: true, stdio: "ignore" });
    const pid = child.pid!;
    await recordProcess(runDir, { name: "c0-stubborn", owner: "c0", tier: 1, pid, startTime: processStartTime(pid)!, argv: ["sh"], logPath: log, stopGraceMs: 500 });
    const started = Date.now();
    expect(await sweepRecorded(runDir, [], "c0")).toEqual([]);
    const tookMs = Date.now() - started;
    expect({ alive: isAlive({ pid, startTime: processStartTime(pid) ?? "gone" }), tookUnder5s: tookMs < 5_000 }).toEqual({ alive: false, tookUnder5s: true });
  });
});
