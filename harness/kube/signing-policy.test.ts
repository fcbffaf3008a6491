import { describe, expect, it } from "@jest/globals";
import { expectedLifetimeSeconds } from "./signing-policy";

describe("signer lifetime (policies.go)", () => {
  it("keeps the whole TTL after the 5 min backdate below 8 h, and exactly the TTL from 8 h on", () => {
    expect(expectedLifetimeSeconds(180)).toBe(480);
    expect(expectedLifetimeSeconds(2 * 3600)).toBe(2 * 3600 + 300);
    expect(expectedLifetimeSeconds(8 * 3600)).toBe(8 * 3600);
    expect(expectedLifetimeSeconds(365 * 24 * 3600)).toBe(365 * 24 * 3600);
  });
});
