import type { V1ResourceAttributes } from "@kubernetes/client-node";

/**
 * What the harness does on a cluster it did not create, as the API's
 * authorizer sees it: one SelfSubjectAccessReview each, asked before the run
 * (preflight.ts), so missing rights are one clear error up front rather than
 * a 403 in the middle of a suite. Each right says why the run needs it.
 */
export interface RequiredRight {
  attributes: V1ResourceAttributes;
  why: string;
}

const csr = (verb: string, subresource?: string): V1ResourceAttributes => ({
  group: "certificates.k8s.io",
  resource: "certificatesigningrequests",
  verb,
  ...(subresource ? { subresource } : {}),
});

export const REQUIRED_RIGHTS: readonly RequiredRight[] = [
  ...["get", "list", "watch"].map((verb) => ({ attributes: csr(verb), why: "the suites watch the kubelets' CSRs" })),
  { attributes: csr("create"), why: "the renewal suite requests a short-lived first certificate for a node" },
  { attributes: csr("delete"), why: "the run removes the CSRs of its nodes at the end" },
  { attributes: csr("update", "approval"), why: "the suites approve and deny CSRs by hand" },
  {
    // certificates.k8s.io's approval admission asks for this too (plugin/pkg/admission/certificates/approval).
    attributes: { group: "certificates.k8s.io", resource: "signers", verb: "approve", name: "kubernetes.io/kube-apiserver-client-kubelet" },
    why: "approving a kubelet client CSR needs `approve` on its signer",
  },
  ...["create", "get", "delete"].map((verb) => ({
    attributes: { resource: "secrets", namespace: "kube-system", verb },
    why: "each node joins with a bootstrap-token Secret of its own in kube-system, removed at the end",
  })),
  ...["create", "get", "list", "delete"].map((verb) => ({
    attributes: { resource: "nodes", verb },
    why: "the run's kubelets register Nodes, which the run removes at the end",
  })),
  {
    attributes: { group: "coordination.k8s.io", resource: "leases", namespace: "kube-node-lease", verb: "delete" },
    why: "the run removes its nodes' Leases at the end",
  },
  {
    attributes: { resource: "configmaps", namespace: "kube-system", name: "extension-apiserver-authentication", verb: "get" },
    why: "the harness reads the API server's client CA bundle (client-ca-file), which kubelet client certificates must chain to",
  },
  {
    attributes: { group: "discovery.k8s.io", resource: "endpointslices", namespace: "default", verb: "list" },
    why: "when the kubeconfig's server is a loopback address, the nodes use the address the API server advertises (the kubernetes Service's endpoints)",
  },
  ...["list", "get"].map((verb) => ({
    attributes: { group: "rbac.authorization.k8s.io", resource: "clusterrolebindings", verb },
    why: "the harness reads which subjects the nodeclient and selfnodeclient ClusterRoles are bound to",
  })),
];

/**
 * What --allow-cluster-changes adds: the run binds the auto-approve roles to
 * groups and nodes of its own, removes the subjects that would approve every
 * token or node from the cluster's bindings for the run, and confirms each
 * change took effect before a node relies on it (approval-bindings.ts).
 */
export const CLUSTER_CHANGES_RIGHTS: readonly RequiredRight[] = [
  ...["create", "update", "delete"].map((verb) => ({
    attributes: { group: "rbac.authorization.k8s.io", resource: "clusterrolebindings", verb },
    why: "--allow-cluster-changes: the run creates bindings of its own and changes the cluster's auto-approve bindings, and restores them",
  })),
  ...["system:node-bootstrapper", "system:certificates.k8s.io:certificatesigningrequests:nodeclient", "system:certificates.k8s.io:certificatesigningrequests:selfnodeclient"].map((name) => ({
    // RBAC's escalation check: binding a role needs `bind` on it, or every right it grants.
    attributes: { group: "rbac.authorization.k8s.io", resource: "clusterroles", verb: "bind", name },
    why: "--allow-cluster-changes: the run binds this ClusterRole to groups and nodes of its own",
  })),
  {
    attributes: { group: "authorization.k8s.io", resource: "subjectaccessreviews", verb: "create" },
    why: "--allow-cluster-changes: the run confirms each binding change took effect before a node relies on it",
  },
];

/** "create certificatesigningrequests.certificates.k8s.io/approval in kube-system", as kubectl auth can-i would name it. */
export function describeRight(a: V1ResourceAttributes): string {
  const resource = `${a.resource}${a.group ? `.${a.group}` : ""}${a.subresource ? `/${a.subresource}` : ""}${a.name ? ` ${a.name}` : ""}`;
  return `${a.verb} ${resource}${a.namespace ? ` in ${a.namespace}` : ""}`;
}
