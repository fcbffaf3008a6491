import type { V1ClusterRole, V1ClusterRoleBinding } from "@kubernetes/client-node";
import type { BindingStyle, ClusterSpec } from "../providers/spec";

export const NODE_BOOTSTRAPPER = "system:node-bootstrapper";
export const NODECLIENT = "system:certificates.k8s.io:certificatesigningrequests:nodeclient";
export const SELFNODECLIENT = "system:certificates.k8s.io:certificatesigningrequests:selfnodeclient";

/** The user and group of the static token-file line, by binding style. */
export const TOKEN_FILE_USER = "kubelet-bootstrap";
export const TOKEN_FILE_UID = "10001";

/** The group that the bootstrap identities are bound through, by style. */
export function bootstrapGroup(style: BindingStyle): string {
  return style === "kubeadm" ? "system:bootstrappers:kubeadm:default-node-token" : "system:kubelet-bootstrap";
}

/** Extra groups a bootstrap-token Secret carries in `auth-extra-groups` (kubeadm's default token has one). */
export function bootstrapTokenExtraGroups(style: BindingStyle): string[] {
  return style === "kubeadm" ? [bootstrapGroup(style)] : [];
}

export type Subject = { kind: "User" | "Group"; name: string };

/** A ClusterRoleBinding the harness creates, labelled as its own. */
export function binding(name: string, role: string, subjects: Subject[]): V1ClusterRoleBinding {
  return {
    apiVersion: "rbac.authorization.k8s.io/v1",
    kind: "ClusterRoleBinding",
    metadata: { name, labels: { "app.kubernetes.io/managed-by": "kubelet-tls-conformance" } },
    roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: role },
    subjects: subjects.map((s) => ({ ...s, apiGroup: "rbac.authorization.k8s.io" })),
  };
}

export interface SeedRbac {
  roles: V1ClusterRole[];
  bindings: V1ClusterRoleBinding[];
}

/**
 * The bindings a distribution seeds for TLS bootstrapping. binary-install:
 * the names of the Kubernetes docs' binary-install flow, with the bootstrap
 * binding also covering bootstrap-token users (group system:bootstrappers).
 * kubeadm: the names kubeadm (and so kind) creates.
 */
export function seedRbac(spec: Pick<ClusterSpec, "bindingStyle" | "autoApprove">): SeedRbac {
  const nodes: Subject = { kind: "Group", name: "system:nodes" };
  if (spec.bindingStyle === "kubeadm") {
    const group: Subject = { kind: "Group", name: bootstrapGroup("kubeadm") };
    const getNodes: V1ClusterRole = {
      apiVersion: "rbac.authorization.k8s.io/v1",
      kind: "ClusterRole",
      metadata: { name: "kubeadm:get-nodes" },
      rules: [{ apiGroups: [""], resources: ["nodes"], verbs: ["get"] }],
    };
    return {
      roles: [getNodes],
      bindings: [
        binding("kubeadm:kubelet-bootstrap", NODE_BOOTSTRAPPER, [group]),
        binding("kubeadm:get-nodes", "kubeadm:get-nodes", [group]),
        ...(spec.autoApprove.bootstrap ? [binding("kubeadm:node-autoapprove-bootstrap", NODECLIENT, [group])] : []),
        ...(spec.autoApprove.renewal ? [binding("kubeadm:node-autoapprove-certificate-rotation", SELFNODECLIENT, [nodes])] : []),
      ],
    };
  }
  const bootstrappers: Subject[] = [
    { kind: "Group", name: bootstrapGroup("binary-install") },
    { kind: "Group", name: "system:bootstrappers" },
  ];
  return {
    roles: [],
    bindings: [
      binding("kubelet-bootstrap", NODE_BOOTSTRAPPER, [{ kind: "User", name: TOKEN_FILE_USER }, ...bootstrappers]),
      ...(spec.autoApprove.bootstrap ? [binding("node-client-auto-approve-csr", NODECLIENT, bootstrappers)] : []),
      ...(spec.autoApprove.renewal ? [binding("auto-approve-renewals-for-nodes", SELFNODECLIENT, [nodes])] : []),
    ],
  };
}
