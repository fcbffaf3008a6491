import { describe, expect, it } from "@jest/globals";
import { resolveSpec } from "../spec";
import { offeredAutoApprove, tokenFileAutoApproved, unmetForTokenFile, unmetOnRunningCluster, type ClusterOffer } from "./cluster-offer";
import { existingDefinition } from "./definition";
import type { ExistingSettings } from "./settings";

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

describe("a node joined with the vendor's token-file credential", () => {
  /** A binary install's token-file line (the identity a SelfSubjectReview made with its token gives). */
  const KUBELET_BOOTSTRAP = { user: "kubelet-bootstrap", groups: ["system:authenticated", "system:kubelet-bootstrap"] };
  const autoApproving = resolveSpec({}, { autoApprove: { bootstrap: true, renewal: true } });
  const byHand = resolveSpec({}, { autoApprove: { bootstrap: false, renewal: true } });

  it("is approved automatically when nodeclient is bound to its user or one of its groups, and only then", () => {
    expect(tokenFileAutoApproved({ nodeclient: ["User kubelet-bootstrap"], selfnodeclient: [] }, KUBELET_BOOTSTRAP)).toBe(true);
    expect(tokenFileAutoApproved({ nodeclient: ["Group system:bootstrappers", "Group system:kubelet-bootstrap"], selfnodeclient: [] }, KUBELET_BOOTSTRAP)).toBe(true);
    // kubeadm's bindings name its token group only: a token-file identity outside it is not approved by itself.
    expect(tokenFileAutoApproved(KUBEADM, KUBELET_BOOTSTRAP)).toBe(false);
    expect(tokenFileAutoApproved({ nodeclient: ["Group system:kubelet-bootstrap"], selfnodeclient: [] }, { user: "kubelet-bootstrap", groups: ["system:authenticated"] })).toBe(false);
  });

  it("has its checks skipped, with whom nodeclient is bound to, when the cluster does not treat that identity as the suite's spec needs", () => {
    expect(unmetForTokenFile(KUBEADM, KUBELET_BOOTSTRAP, autoApproving)).toBe(
      "they need the token-file node's first client certificate approved automatically, and the cluster binds the nodeclient ClusterRole neither to User kubelet-bootstrap nor to one of its groups (bound to Group system:bootstrappers:kubeadm:default-node-token)",
    );
    expect(unmetForTokenFile({ nodeclient: ["User kubelet-bootstrap"], selfnodeclient: [] }, KUBELET_BOOTSTRAP, byHand)).toBe(
      "they need the token-file node's first client certificate left for approval by hand, and the cluster approves kubelet-bootstrap's automatically (nodeclient bound to User kubelet-bootstrap)",
    );
    expect(unmetForTokenFile({ nodeclient: ["Group system:kubelet-bootstrap"], selfnodeclient: [] }, KUBELET_BOOTSTRAP, autoApproving)).toBeUndefined();
    expect(unmetForTokenFile(NONE, KUBELET_BOOTSTRAP, byHand)).toBeUndefined();
  });

  it("joins only when the config declared the credential; bootstrap-token nodes always join", () => {
    const settings = { offer: { nodeclient: ["Group system:kubelet-bootstrap"], selfnodeclient: [] } } as unknown as ExistingSettings;
    const declared = { ...settings, tokenFile: { declared: { key: "tokenFileToken", config: "/etc/ktc.yaml" }, identity: KUBELET_BOOTSTRAP } } as ExistingSettings;
    expect(existingDefinition.cannotJoinWith!(settings, "token-file", autoApproving)).toBe(
      "a running cluster's token file is unknown to the harness, and the config declares none of its tokens (tokenFileToken or tokenFileBootstrapKubeconfig)",
    );
    expect(existingDefinition.cannotJoinWith!(declared, "token-file", autoApproving)).toBeUndefined();
    expect(existingDefinition.cannotJoinWith!(settings, "bootstrap-token", autoApproving)).toBeUndefined();
  });
});
