import type { KubeClients } from "../../kube/clients";

/**
 * The objects of a cluster a run against it could create or change, by
 * kind: name and resourceVersion (a changed object has a new one). Equal
 * snapshots before and after a run prove it left the cluster as it was.
 * Leases renew and CSRs of the cluster's own nodes come and go by
 * themselves, so those are compared by name only. A binding the run changed
 * and put back has a new resourceVersion but the same object (uid), role and
 * subjects: `clusterRoleBindingContents` compares those.
 */
export interface ClusterObjectsSnapshot {
  nodes: string[];
  nodeLeases: string[];
  csrs: string[];
  kubeSystemSecrets: string[];
  clusterRoleBindings: string[];
  /** "<name> <uid> <role>: <Kind name>, ...", subjects sorted. */
  clusterRoleBindingContents: string[];
}

export async function snapshotClusterObjects(kube: KubeClients): Promise<ClusterObjectsSnapshot> {
  type Named = { metadata?: { name?: string; resourceVersion?: string } };
  const versioned = (items: Named[]) => items.map((o) => `${o.metadata!.name} ${o.metadata!.resourceVersion}`).sort();
  const named = (items: Named[]) => items.map((o) => o.metadata!.name!).sort();
  const [nodes, leases, csrs, secrets, bindings] = await Promise.all([
    kube.core.listNode(),
    kube.coordination.listNamespacedLease({ namespace: "kube-node-lease" }),
    kube.certificates.listCertificateSigningRequest(),
    kube.core.listNamespacedSecret({ namespace: "kube-system" }),
    kube.rbac.listClusterRoleBinding(),
  ]);
  return {
    nodes: named(nodes.items),
    nodeLeases: named(leases.items),
    csrs: named(csrs.items),
    kubeSystemSecrets: versioned(secrets.items),
    clusterRoleBindings: versioned(bindings.items),
    clusterRoleBindingContents: bindings.items
      .map((b) => `${b.metadata!.name} ${b.metadata!.uid} ${b.roleRef.name}: ${(b.subjects ?? []).map((x) => `${x.kind} ${x.name}`).sort().join(", ")}`)
      .sort(),
  };
}
