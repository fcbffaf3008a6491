/**
 * Bring-up turns over the real file system, with bring-ups that end when the
 * test says so: at most `atOnce` under way, the first suites' ahead of the
 * others' that are still waiting, the others' waiting until the first suites
 * have reserved theirs, and a dead process's ticket never blocks.
 */
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { mkdir } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "@jest/globals";
import { eventually } from "../wait/eventually";
import { inBringUpTurn, reserveFirstTurn } from "./bring-up-turns";
import { markSuiteDeclared } from "./suite-declarations";

const scratch = mkdtempSync(join(tmpdir(), "ktc-turns-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** A bring-up that records when it started and ends on release(). */
function gated(log: string[], name: string) {
  let release!: () => void;
  const done = new Promise<void>((r) => (release = r));
  return { release, run: async () => (log.push(name), await done, name) };
}

describe("bring-up turns", () => {
  it("let at most atOnce bring-ups run, and a first suite's go before the others still waiting", async () => {
    const runDir = mkdtempSync(join(scratch, "run-"));
    const started: string[] = [];
    const others = new Map(["a", "b", "c"].map((n) => [n, gated(started, n)]));
    const runs = [...others].map(([n, g]) => inBringUpTurn({ runDir, atOnce: 2, first: false, firstSuites: [], what: n }, g.run));
    await eventually(async () => (started.length === 2 ? true : undefined), { what: "two bring-ups under way", timeoutMs: 10_000 });
    const renewal = gated(started, "renewal");
    const first = inBringUpTurn({ runDir, atOnce: 2, first: true, firstSuites: [], what: "renewal" }, renewal.run);
    // With four waiting or running, two slots are taken and two still wait.
    const queue = () => readdirSync(join(runDir, "bring-ups"));
    await eventually(async () => (queue().filter((f) => !f.startsWith("slot-")).length === 4 ? true : undefined), { what: "renewal's ticket", timeoutMs: 10_000 });
    expect({ started: started.length, slots: queue().filter((f) => f.startsWith("slot-")).length }).toEqual({ started: 2, slots: 2 });
    // Arrivals of equal priority within a few milliseconds may go in either order.
    others.get(started[0]!)!.release();
    await eventually(async () => (started.length === 3 ? true : undefined), { what: "a third bring-up", timeoutMs: 10_000 });
    expect(started[2]).toBe("renewal");
    for (const g of others.values()) g.release();
    renewal.release();
    await Promise.all([...runs, first]);
    expect(started.length).toBe(4);
  });

  it("drop the ticket of a process that is gone", async () => {
    const runDir = mkdtempSync(join(scratch, "run-"));
    await mkdir(join(runDir, "bring-ups"));
    // pid 2^22+1 is above pid_max's ceiling: no such process.
    writeFileSync(join(runDir, "bring-ups", `0-000000000000001-000001-${2 ** 22 + 1}-abcdef`), "a crashed worker's bring-up");
    expect(await inBringUpTurn({ runDir, atOnce: 1, first: false, firstSuites: [], what: "x" }, async () => "went")).toBe("went");
  });

  it("keep the others' bring-ups waiting until the first suites are collected, then give the first suites' reserved turns first", async () => {
    const runDir = mkdtempSync(join(scratch, "run-"));
    const started: string[] = [];
    const other = gated(started, "other");
    const otherRun = inBringUpTurn({ runDir, atOnce: 1, first: false, firstSuites: ["renewal"], what: "other" }, other.run);
    // Renewal's worker comes later: while jest collects its file it reserves its turn, then marks it collected.
    await eventually(async () => (readdirSync(join(runDir, "bring-ups")).length === 1 ? true : undefined), { what: "the other suite's ticket", timeoutMs: 10_000 });
    const reserved = reserveFirstTurn(runDir, "renewal");
    markSuiteDeclared(runDir, "renewal");
    const renewal = gated(started, "renewal");
    const renewalRun = inBringUpTurn({ runDir, atOnce: 1, first: true, firstSuites: ["renewal"], reserved, what: "renewal" }, renewal.run);
    await eventually(async () => (started.length === 1 ? true : undefined), { what: "one bring-up under way", timeoutMs: 10_000 });
    expect(started).toEqual(["renewal"]);
    renewal.release();
    await eventually(async () => (started.length === 2 ? true : undefined), { what: "the other bring-up", timeoutMs: 10_000 });
    other.release();
    await Promise.all([otherRun, renewalRun]);
    expect(started).toEqual(["renewal", "other"]);
  });

  it("among the others, give a cluster more suites declared its turn first", async () => {
    const runDir = mkdtempSync(join(scratch, "run-"));
    const usersOf = (name: string, n: number) => {
      const dir = join(runDir, `${name}.users`);
      mkdirSync(dir);
      for (let i = 0; i < n; i++) writeFileSync(join(dir, `suite${i}`), "");
      return dir;
    };
    const started: string[] = [];
    const busy = gated(started, "busy");
    const busyRun = inBringUpTurn({ runDir, atOnce: 1, first: false, firstSuites: [], what: "busy" }, busy.run);
    await eventually(async () => (started.length === 1 ? true : undefined), { what: "the first bring-up under way", timeoutMs: 10_000 });
    const single = gated(started, "single");
    const singleRun = inBringUpTurn({ runDir, atOnce: 1, first: false, firstSuites: [], sharedBy: usersOf("single", 1), what: "single" }, single.run);
    const shared = gated(started, "shared");
    const sharedRun = inBringUpTurn({ runDir, atOnce: 1, first: false, firstSuites: [], sharedBy: usersOf("shared", 3), what: "shared" }, shared.run);
    await eventually(async () => (readdirSync(join(runDir, "bring-ups")).filter((f) => !f.startsWith("slot-")).length === 3 ? true : undefined), { what: "three tickets", timeoutMs: 10_000 });
    busy.release();
    await eventually(async () => (started.length === 2 ? true : undefined), { what: "a second bring-up", timeoutMs: 10_000 });
    expect(started).toEqual(["busy", "shared"]);
    shared.release();
    single.release();
    await Promise.all([busyRun, singleRun, sharedRun]);
    expect(started).toEqual(["busy", "shared", "single"]);
  });
});
