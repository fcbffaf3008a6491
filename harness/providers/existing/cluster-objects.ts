import { readFile } from "node:fs/promises";
import type { V1CertificateSigningRequest, V1ClusterRoleBinding } from "@kubernetes/client-node";
import { apiStatus, clientsFromFile, type KubeClients } from "../../kube/clients";
import { requestPem } from "../../kube/csr";
import { csrFacts } from "../../pki/inspect";
import { runIdOf } from "../../run/run-dir";
import { recordResource, type ResourceDeleter, type ResourceRecord } from "../../run/resources";

/**
 * What a run creates on a cluster it did not make, recorded in the run
 * directory before it is created (so `npm run cleanup` removes it from the
 * records alone after a SIGKILL) and deleted with the deleters below at the
 * end: the bootstrap-token Secret each node joins with, and each node's
 * footprint, which its kubelet creates (the Node, its Lease, and the CSRs it
 * or its bootstrap identity asked for), and what the suites create by
 * themselves (Cluster.willCreate: more tokens, CSRs by name prefix); with
 * --allow-cluster-changes, the run's own ClusterRoleBindings and the
 * cluster's bindings it changed (approval-bindings.ts), put back as they
 * were. The records carry the kubeconfig, so the deleters need nothing else.
 * A vendor's token-file token is theirs: never recorded, never deleted.
 */
export const EXISTING_RESOURCE_KINDS = {
  bootstrapToken: "bootstrap-token-secret",
  node: "cluster-node",
  csrs: "cluster-csrs",
  runBinding: "cluster-run-binding",
  bindingEdit: "cluster-binding-edit",
} as const;

export interface Where {
  runDir: string;
  /** The cluster name of the run (ktc-<run>-c<n>): owner of the record. */
  owner: string;
  kubeconfig: string;
}

/** Records the `bootstrap-token-<id>` Secret in kube-system, before it is created. */
export function recordBootstrapTokenSecret(w: Where, tokenId: string): Promise<void> {
  return recordResource(w.runDir, { kind: EXISTING_RESOURCE_KINDS.bootstrapToken, name: `bootstrap-token-${tokenId}`, owner: w.owner, detail: { kubeconfig: w.kubeconfig } });
}

/** Records a node's footprint, before its kubelet starts: the Node, its Lease, the CSRs of the node and of `bootstrapUser`. */
export function recordNodeFootprint(w: Where, node: string, bootstrapUser: string): Promise<void> {
  return recordResource(w.runDir, { kind: EXISTING_RESOURCE_KINDS.node, name: node, owner: w.owner, detail: { kubeconfig: w.kubeconfig, bootstrapUser } });
}

/** Records CSRs the suites will create with `prefix` as their generateName, before the first. */
export function recordCsrPrefix(w: Where, prefix: string): Promise<void> {
  return recordResource(w.runDir, { kind: EXISTING_RESOURCE_KINDS.csrs, name: prefix, owner: w.owner, detail: { kubeconfig: w.kubeconfig } });
}

/**
 * The run's bindings and its changes to the cluster's serve every spec of
 * the run, whichever spec made them: they belong to the run, not to that
 * spec's cluster, and go in the run's final sweep (a spec's cluster may be
 * released before the run ends).
 */
const runOwner = (w: Where) => `run ${runIdOf(w.runDir)}`;

/** Records a ClusterRoleBinding of the run's own, before it is created. */
export function recordRunBinding(w: Where, name: string): Promise<void> {
  return recordResource(w.runDir, { kind: EXISTING_RESOURCE_KINDS.runBinding, name, owner: runOwner(w), detail: { kubeconfig: w.kubeconfig } });
}

/** Records a change to one of the cluster's bindings, before it is made: `original` is the file holding the binding as the cluster had it. */
export function recordBindingEdit(w: Where, name: string, original: string): Promise<void> {
  return recordResource(w.runDir, { kind: EXISTING_RESOURCE_KINDS.bindingEdit, name, owner: runOwner(w), detail: { kubeconfig: w.kubeconfig, original } });
}

/**
 * Puts a changed binding back as the cluster had it: its subjects, in the
 * same object (same uid), or the whole binding again if someone deleted it
 * meanwhile.
 */
async function restoreBinding(kube: KubeClients, original: V1ClusterRoleBinding): Promise<void> {
  const name = original.metadata!.name!;
  for (;;) {
    let current: V1ClusterRoleBinding;
    try {
      current = await kube.rbac.readClusterRoleBinding({ name });
    } catch (err) {
      if (apiStatus(err) !== 404) throw err;
      const { name: n, labels, annotations } = original.metadata!;
      await kube.rbac.createClusterRoleBinding({ body: { ...original, metadata: { name: n, labels, annotations } } });
      return;
    }
    try {
      await kube.rbac.replaceClusterRoleBinding({ name, body: { ...current, subjects: original.subjects } });
      return;
    } catch (err) {
      if (apiStatus(err) !== 409) throw err; // changed meanwhile: read it again
    }
  }
}

/** Deleting what is already gone is no error (ResourceDeleter). */
async function ignoringNotFound(call: Promise<unknown>): Promise<void> {
  try {
    await call;
  } catch (err) {
    if (apiStatus(err) !== 404) throw err;
  }
}

function clientsOf(r: ResourceRecord): KubeClients {
  return clientsFromFile(r.detail!.kubeconfig!);
}

/**
 * The CSRs a node's kubelet asked for: its client and serving certificates
 * (username system:node:<node>) and its first one, by its bootstrap identity.
 */
async function deleteNodeCsrs(kube: KubeClients, node: string, bootstrapUser: string): Promise<void> {
  const csrs = await kube.certificates.listCertificateSigningRequest();
  for (const csr of csrs.items) {
    if (await askedForNode(csr, node, bootstrapUser)) await ignoringNotFound(kube.certificates.deleteCertificateSigningRequest({ name: csr.metadata!.name! }));
  }
}

/**
 * A bootstrap identity's CSR counts only if it asks for this node
 * (CN=system:node:<node>): a vendor's token-file identity is shared with the
 * vendor's own nodes, whose CSRs stay.
 */
async function askedForNode(csr: V1CertificateSigningRequest, node: string, bootstrapUser: string): Promise<boolean> {
  const requester = csr.spec.username ?? "";
  if (requester === `system:node:${node}`) return true;
  if (requester !== bootstrapUser) return false;
  const facts = await csrFacts(requestPem(csr)).catch(() => undefined);
  return facts?.commonName === `system:node:${node}`;
}

export const EXISTING_CLUSTER_DELETERS: readonly ResourceDeleter[] = [
  {
    kind: EXISTING_RESOURCE_KINDS.node,
    async delete(r) {
      const kube = clientsOf(r);
      await ignoringNotFound(kube.core.deleteNode({ name: r.name }));
      await ignoringNotFound(kube.coordination.deleteNamespacedLease({ name: r.name, namespace: "kube-node-lease" }));
      await deleteNodeCsrs(kube, r.name, r.detail!.bootstrapUser!);
    },
  },
  {
    kind: EXISTING_RESOURCE_KINDS.csrs,
    async delete(r) {
      const kube = clientsOf(r);
      const csrs = await kube.certificates.listCertificateSigningRequest();
      for (const csr of csrs.items.filter((c) => c.metadata!.name!.startsWith(r.name))) {
        await ignoringNotFound(kube.certificates.deleteCertificateSigningRequest({ name: csr.metadata!.name! }));
      }
    },
  },
  {
    kind: EXISTING_RESOURCE_KINDS.bindingEdit,
    async delete(r) {
      await restoreBinding(clientsOf(r), JSON.parse(await readFile(r.detail!.original!, "utf8")) as V1ClusterRoleBinding);
    },
  },
  {
    kind: EXISTING_RESOURCE_KINDS.runBinding,
    delete: (r) => ignoringNotFound(clientsOf(r).rbac.deleteClusterRoleBinding({ name: r.name })),
  },
  {
    kind: EXISTING_RESOURCE_KINDS.bootstrapToken,
    delete: (r) => ignoringNotFound(clientsOf(r).core.deleteNamespacedSecret({ name: r.name, namespace: "kube-system" })),
  },
];
