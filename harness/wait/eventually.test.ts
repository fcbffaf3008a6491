import { describe, expect, it } from "@jest/globals";
import { ExecError, HarnessApiError, HarnessTimeoutError, WaitTimeoutError } from "../errors";
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
        { what: "CSR csr-abc to be approved", timeoutMs: 50, intervalMs: 10, blame: "product" },
      ),
    ).rejects.toThrow(/waiting for CSR csr-abc to be approved; last seen: CSR csr-abc is Pending/);
  });

  it("takes its category from the caller: a product wait fails the check, a harness wait is broken", async () => {
    const never = async () => undefined;
    const product = await eventually(never, { what: "x", timeoutMs: 20, intervalMs: 5, blame: "product" }).catch((e: unknown) => e);
    const harness = await eventually(never, { what: "x", timeoutMs: 20, intervalMs: 5, blame: "harness" }).catch((e: unknown) => e);
    expect({ product: (product as Error).constructor.name, harness: (harness as Error).constructor.name }).toEqual({
      product: WaitTimeoutError.name,
      harness: HarnessTimeoutError.name,
    });
  });

  it("keeps polling through a failing command, but not through an API call refused for the harness's own credentials", async () => {
    let n = 0;
    const daemonUp = await eventually(
      async () => {
        if (++n < 3) throw new ExecError("ctr: cannot access socket");
        return "up";
      },
      { what: "the daemon", timeoutMs: 5000, intervalMs: 1 },
    );
    expect(daemonUp).toBe("up");
    let calls = 0;
    const refused = eventually(
      async () => {
        calls++;
        throw new HarnessApiError("403 Forbidden");
      },
      { what: "a CSR", timeoutMs: 30_000, intervalMs: 1, blame: "product" },
    );
    await expect(refused).rejects.toThrow(HarnessApiError);
    expect(calls).toBe(1);
  });
});

describe("consistently", () => {
  it("fails as soon as the probe reports a violation", async () => {
    await expect(consistently(async () => "it was approved", { what: "the CSR to stay Pending", windowMs: 1000 })).rejects.toThrow(
      /expected the CSR to stay Pending for 1s, but: it was approved/,
    );
  });
});
