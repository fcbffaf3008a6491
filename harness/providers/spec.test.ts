import { describe, expect, it } from "@jest/globals";
import { defaultClusterSpec, resolveSpec, specKey } from "./spec";

describe("cluster specs", () => {
  it("layer the suite's needs over the vendor's base, merging flags", () => {
    const s = resolveSpec(
      { bindingStyle: "kubeadm", signingDurationSeconds: 3600, extraFlags: { kubelet: ["--v=2"] } },
      { signingDurationSeconds: 180, autoApprove: { bootstrap: true, renewal: false }, extraFlags: { kubelet: ["--v=4"] } },
    );
    expect(s).toMatchObject({
      bindingStyle: "kubeadm",
      signingDurationSeconds: 180,
      autoApprove: { bootstrap: true, renewal: false },
      extraFlags: { kubelet: ["--v=2", "--v=4"] },
    });
  });

  it("give equal keys to equal specs whatever the key order, and different keys to nested differences", () => {
    const a = defaultClusterSpec();
    const b = Object.fromEntries(Object.entries(a).reverse()) as typeof a;
    expect(specKey(b)).toBe(specKey(a));
    expect(specKey(defaultClusterSpec({ autoApprove: { bootstrap: true, renewal: false } }))).not.toBe(specKey(a));
  });
});
