import { describe, expect, it } from "@jest/globals";
import { consistently, eventually } from "./eventually";

describe("eventually", () => {
  it("returns the first defined value", async () => {
    let n = 0;
    expect(await eventually(async () => (++n >= 3 ? n : undefined), { what: "n to reach 3", timeoutMs: 5000, intervalMs: 1 })).toBe(3);
  });

  it("names what it awaited and the last state seen when the deadline passes", async () => {
    await expect(
      eventually(
        async () => {
          throw new Error("CSR csr-abc is Pending");
        },
        { what: "CSR csr-abc to be approved", timeoutMs: 50, intervalMs: 10 },
      ),
    ).rejects.toThrow(/waiting for CSR csr-abc to be approved; last seen: CSR csr-abc is Pending/);
  });
});

describe("consistently", () => {
  it("fails as soon as the probe reports a violation", async () => {
    await expect(consistently(async () => "it was approved", { what: "the CSR to stay Pending", windowMs: 1000 })).rejects.toThrow(
      /expected the CSR to stay Pending for 1s, but: it was approved/,
    );
  });
});
