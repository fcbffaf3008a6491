import { describe, expect, it } from "@jest/globals";
import { summaryTable } from "./summary";

describe("summaryTable", () => {
  it("lists each suite and ends with the totals line", () => {
    const out = summaryTable([
      { suite: "bootstrap", passed: 22, failed: 0, seconds: 7.04 },
      { suite: "renewal", passed: 3, failed: 1, seconds: 120 },
    ]);
    expect(out).toMatch(/bootstrap\s+22\s+0\s+7\.0s/);
    expect(out).toMatch(/renewal\s+3\s+1\s+120\.0s/);
    expect(out.trimEnd().split("\n").pop()).toBe("25 passed, 1 failed");
  });
});
