import { describe, expect, it } from "@jest/globals";
import { firstLinesOf } from "./run-jest";
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

  it("with failed checks: each one named after the totals, with the first lines of why", () => {
    const out = summaryTable(
      [{ suite: "renewal", passed: 6, failed: 1, skipped: 0, seconds: 200 }],
      [],
      [{ suite: "renewal", check: "renewal without selfnodeclient it stays pending", why: ["timed out after 60s waiting for the CSR", "last seen: Approved"] }],
    );
    expect(out).toContain("\n6 passed, 1 failed\n\nfailed, and why:\n  [renewal] renewal without selfnodeclient it stays pending\n      timed out after 60s waiting for the CSR\n      last seen: Approved\n");
  });
});

describe("firstLinesOf", () => {
  it("drops colours, blank lines and stack frames, keeps the first lines, shortens long ones", () => {
    const message = "\u001b[31mError: timed out\u001b[39m\n\n    at foo (x.ts:1:1)\n  last state: Pending\n" + "x".repeat(300);
    const lines = firstLinesOf(message, 3, 50);
    expect(lines.slice(0, 2)).toEqual(["Error: timed out", "last state: Pending"]);
    expect(lines[2]).toHaveLength(50);
    expect(lines).toHaveLength(3);
  });
});
