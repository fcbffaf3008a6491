import { describe, expect, it } from "@jest/globals";
import { NODECLIENT, NODE_BOOTSTRAPPER, SELFNODECLIENT, seedRbac } from "./seed-bindings";

const names = (r: ReturnType<typeof seedRbac>) => r.bindings.map((b) => `${b.metadata!.name}->${b.roleRef.name}`);

describe("seed RBAC", () => {
  it("binary-install: the three bindings of the docs' flow", () => {
    expect(names(seedRbac({ bindingStyle: "binary-install", autoApprove: { bootstrap: true, renewal: true } }))).toEqual([
      `kubelet-bootstrap->${NODE_BOOTSTRAPPER}`,
      `node-client-auto-approve-csr->${NODECLIENT}`,
      `auto-approve-renewals-for-nodes->${SELFNODECLIENT}`,
    ]);
  });

  it("kubeadm: kubeadm's names, bound to the default token's group", () => {
    const r = seedRbac({ bindingStyle: "kubeadm", autoApprove: { bootstrap: true, renewal: true } });
    expect(names(r)).toEqual([
      `kubeadm:kubelet-bootstrap->${NODE_BOOTSTRAPPER}`,
      "kubeadm:get-nodes->kubeadm:get-nodes",
      `kubeadm:node-autoapprove-bootstrap->${NODECLIENT}`,
      `kubeadm:node-autoapprove-certificate-rotation->${SELFNODECLIENT}`,
    ]);
    expect(r.bindings[0]!.subjects).toEqual([
      { kind: "Group", name: "system:bootstrappers:kubeadm:default-node-token", apiGroup: "rbac.authorization.k8s.io" },
    ]);
  });

  it("without auto-approve only the bootstrapper binding remains", () => {
    expect(names(seedRbac({ bindingStyle: "binary-install", autoApprove: { bootstrap: false, renewal: false } }))).toEqual([
      `kubelet-bootstrap->${NODE_BOOTSTRAPPER}`,
    ]);
  });
});
