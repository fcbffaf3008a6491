import { describe, expect, it } from "@jest/globals";
import { resolveSpec } from "../spec";
import { offeredAutoApprove, unmetOnRunningCluster, type ClusterOffer } from "./cluster-offer";

/** kubeadm's bindings (kind's clusters): nodeclient to its token group, selfnodeclient to system:nodes. */
const KUBEADM: ClusterOffer = { nodeclient: ["Group system:bootstrappers:kubeadm:default-node-token"], selfnodeclient: ["Group system:nodes"] };
const NONE: ClusterOffer = { nodeclient: [], selfnodeclient: [] };

describe("what a running cluster offers the suites", () => {
  it("auto-approval follows whom nodeclient and selfnodeclient are bound to", () => {
    expect(offeredAutoApprove(KUBEADM)).toEqual({ bootstrap: true, renewal: true });
    expect(offeredAutoApprove({ nodeclient: ["Group system:bootstrappers"], selfnodeclient: [] })).toEqual({ bootstrap: true, renewal: false });
    // A user, or a group a bootstrap token cannot carry, approves nothing for the run's nodes.
    expect(offeredAutoApprove({ nodeclient: ["User kubelet-bootstrap", "Group system:kubelet-bootstrap"], selfnodeclient: ["User system:node:a"] })).toEqual({ bootstrap: false, renewal: false });
  });

  it("a spec that is the cluster as it is has no reason to skip", () => {
    expect(unmetOnRunningCluster(KUBEADM, resolveSpec({}, { autoApprove: { bootstrap: true, renewal: true } }), {})).toBeUndefined();
    expect(unmetOnRunningCluster(NONE, resolveSpec({}, { autoApprove: { bootstrap: false, renewal: false } }), {})).toBeUndefined();
    // The vendor config declares the cluster's own signing duration: a suite that keeps it runs.
    const base = { signingDurationSeconds: 86_400 };
    expect(unmetOnRunningCluster(KUBEADM, resolveSpec(base, {}), base)).toBeUndefined();
  });

  it("each difference is named with what the cluster has", () => {
    expect(unmetOnRunningCluster(KUBEADM, resolveSpec({}, { autoApprove: { bootstrap: false, renewal: true } }), {})).toBe(
      "they need first client certificates left for approval by hand, and the cluster approves them automatically (nodeclient bound to Group system:bootstrappers:kubeadm:default-node-token)",
    );
    expect(unmetOnRunningCluster(NONE, resolveSpec({}, { autoApprove: { bootstrap: false, renewal: true } }), {})).toBe(
      "they need renewals approved automatically, and the cluster binds the selfnodeclient ClusterRole to no Group system:nodes (bound to nobody)",
    );
    expect(unmetOnRunningCluster(KUBEADM, resolveSpec({}, { signingDurationSeconds: 180, caValiditySeconds: 3 * 3600 }), {})).toBe(
      "they need kube-controller-manager --cluster-signing-duration=3m, and a running cluster's signer is set up by its installer; " +
        "they need a cluster CA valid for 3h, and a running cluster's CA is its own",
    );
    expect(unmetOnRunningCluster(KUBEADM, resolveSpec({}, { extraFlags: { "kube-controller-manager": ["--controllers=*,-csrapproving"] } }), {})).toBe(
      "they need kube-controller-manager --controllers=*,-csrapproving, and a running cluster's flags are its own",
    );
  });
});
