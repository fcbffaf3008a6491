import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "@jest/globals";
import { countResults, exitCodeFor } from "./verdict";

const dir = mkdtempSync(join(tmpdir(), "ktc-verdict-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("the run's verdict", () => {
  it("counts the Allure results by status", async () => {
    for (const [i, status] of ["passed", "failed", "broken", "broken"].entries()) writeFileSync(join(dir, `${i}-result.json`), JSON.stringify({ status }));
    writeFileSync(join(dir, "x-container.json"), JSON.stringify({ status: "failed" }));
    expect(await countResults(dir)).toEqual({ passed: 1, failed: 1, broken: 2, skipped: 0 });
  });

  it("exits 1 for a product defect, 3 for a harness error only, 0 when all passed", () => {
    const none = { passed: 5, failed: 0, broken: 0, skipped: 0 };
    expect([exitCodeFor({ ...none, failed: 1, broken: 1 }, false), exitCodeFor({ ...none, broken: 2 }, false), exitCodeFor(none, false), exitCodeFor(none, true)]).toEqual([1, 3, 3, 0]);
  });
});
