import { afterAll, describe, expect, it, jest } from "@jest/globals";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { execa } from "execa";
import { HarnessError } from "../errors";
import { eventually } from "../wait/eventually";
import { withHostLock } from "./host-lock";

// A real flock(1) on a private lock dir: the lock's semantics are the kernel's, not a fake's.
// Each case spawns a few processes; on a loaded 2-core machine that takes seconds.
jest.setTimeout(30_000);
const dir = mkdtempSync(join(tmpdir(), "ktc-lock-"));
process.env.KTC_HOST_LOCK_DIR = dir;
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const isHeld = async (name: string) => (await execa("flock", ["--nonblock", join(dir, `${name}.lock`), "true"], { reject: false })).exitCode !== 0;

describe("withHostLock", () => {
  it("runs critical sections of one name one at a time", async () => {
    const log: string[] = [];
    const section = (id: string) =>
      withHostLock("same", async () => {
        log.push(`${id} in`);
        await execa("true");
        log.push(`${id} out`);
      });
    await Promise.all([section("a"), section("b")]);
    expect(log.map((l) => l.split(" ")[1])).toEqual(["in", "out", "in", "out"]);
    expect(await isHeld("same")).toBe(false);
  });

  it("says which lock it waited for when the wait runs out", async () => {
    const err = await withHostLock("busy", () => withHostLock("busy", async () => "taken twice", { timeoutS: 1 })).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(HarnessError);
    expect((err as Error).message).toContain(`could not take the host lock ${join(dir, "busy.lock")} within 1s`);
  });

  it("is free again once a holder is killed: the kernel releases it", async () => {
    // flock --close: the lock stays with flock itself, not with the `cat` it runs.
    const holder = execa("flock", ["--exclusive", "--close", join(dir, "killed.lock"), "cat"], { stdin: "pipe", reject: false });
    await eventually(async () => (await isHeld("killed")) || undefined, { what: "the other process to take the lock", timeoutMs: 10_000, blame: "harness" });
    holder.kill("SIGKILL");
    try {
      await expect(withHostLock("killed", async () => "taken", { timeoutS: 10 })).resolves.toBe("taken");
    } finally {
      holder.stdin!.end(); // its orphaned `cat` reads EOF and exits
      await holder;
    }
  });
});
