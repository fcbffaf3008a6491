import type { KubeClients } from "../../kube/clients";

/**
 * The objects of a cluster a run against it could create or change, by
 * kind: name and resourceVersion (a changed object has a new one). Equal
 * snapshots before and after a run prove it left the cluster as it was.
 * Leases renew and CSRs of the cluster's own nodes come and go by
 * themselves, so those are compared by name only.
 */
export interface ClusterObjectsSnapshot {
  nodes: string[];
  nodeLeases: string[];
  csrs: string[];
  kubeSystemSecrets: string[];
  clusterRoleBindings: string[];
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
  };
}
