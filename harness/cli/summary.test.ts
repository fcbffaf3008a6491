import { describe, expect, it } from "@jest/globals";
import { summaryTable } from "./summary";

describe("summaryTable", () => {
  it("lists each suite and ends with the totals line", () => {
    const out = summaryTable([
      { suite: "bootstrap", passed: 22, failed: 0, skipped: 0, seconds: 7.04 },
      { suite: "renewal", passed: 3, failed: 1, skipped: 0, seconds: 120 },
    ]);
    expect(out).toMatch(/bootstrap\s+22\s+0\s+7\.0s/);
    expect(out).toMatch(/renewal\s+3\s+1\s+120\.0s/);
    expect(out.trimEnd().split("\n").pop()).toBe("25 passed, 1 failed");
  });

  it("with skipped checks: a skipped column, the total, and each reason with its count", () => {
    const out = summaryTable(
      [
        { suite: "bootstrap", passed: 11, failed: 0, skipped: 11, seconds: 4.5 },
        { suite: "renewal", passed: 0, failed: 0, skipped: 7, seconds: 2.4 },
      ],
      [
        { reason: "a token-file credential of that cluster is unknown to it", checks: 11 },
        { reason: "they need kube-controller-manager --cluster-signing-duration=3m", checks: 7 },
      ],
    );
    expect(out).toMatch(/suite\s+passed\s+failed\s+skipped\s+time/);
    expect(out).toMatch(/bootstrap\s+11\s+0\s+11\s+4\.5s/);
    expect(out).toContain("\n11 passed, 0 failed, 18 skipped\n");
    expect(out).toContain("skipped, and why:\n  11 check(s): a token-file credential of that cluster is unknown to it\n  7 check(s): they need kube-controller-manager --cluster-signing-duration=3m\n");
  });
});
