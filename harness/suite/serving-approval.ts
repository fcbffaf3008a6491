import type { V1CertificateSigningRequest } from "@kubernetes/client-node";
import { csrState, csrsForNode, issuedCertificatePem, KUBELET_SERVING_SIGNER, setApproval } from "../kube/csr";
import type { KubeClients } from "../kube/clients";
import { kubeletCause } from "../kube/kubelet-cause";
import { info } from "../log";
import { pemBlocks } from "../pki/inspect";
import type { Node } from "../providers/provider";
import { eventually } from "../wait/eventually";

/**
 * A node can hold more than one serving CSR, and the kubelet waits on the
 * newest only. client-go's certificate manager (`rotateCerts`) treats any
 * error of the create call as "not requested" and retries after 2 s with a new
 * key and a new CSR (`wait.Backoff{2s, ×2, 5 steps}`, then every 32 s), then
 * waits up to 15 min on that one (`certificateWaitTimeout`). The create call
 * can fail after the API server has stored the CSR: the kubelet closes all its
 * API connections when its client certificate rotates ("Certificate rotation
 * detected, shutting down client connections", pkg/kubelet/certificate), and
 * right after bootstrap that is when its first serving CSR is in flight. The
 * stored one is then an orphan nobody waits on; approving it alone writes no
 * kubelet-server-current.pem. So, as an operator does who approves what the
 * node asks for, every pending serving CSR of the node is approved.
 */
export async function approvePendingServingCsrs(kube: KubeClients, nodeName: string, approved: Set<string>): Promise<V1CertificateSigningRequest[]> {
  const all = (await csrsForNode(kube, nodeName, KUBELET_SERVING_SIGNER)).map((c) => c.csr);
  for (const name of servingCsrsToApprove(all, nodeName, approved)) {
    await setApproval(kube, name, "Approved");
    approved.add(name);
    if (approved.size > 1) info(`${nodeName}: approved serving CSR ${name} too (approved so far: ${[...approved].join(", ")}): the kubelet asked again`);
  }
  return all;
}

/**
 * The names, oldest first, of the CSRs to approve now: pending, not approved
 * before, and asked for by the node's own kubelet (the API server sets
 * spec.username to the requester, so no one else's CSR for the node's name).
 */
export function servingCsrsToApprove(csrs: readonly V1CertificateSigningRequest[], nodeName: string, approved: ReadonlySet<string>): string[] {
  return csrs
    .filter((c) => !approved.has(c.metadata!.name!) && csrState(c) === "Pending" && c.spec.username === `system:node:${nodeName}`)
    .map((c) => c.metadata!.name!);
}

/** "csr-a (Approved,Issued), csr-b (Pending)": the node's serving CSRs for a timeout message. */
export function servingCsrStates(csrs: readonly V1CertificateSigningRequest[]): string {
  return csrs.map((c) => `${c.metadata!.name} (${csrState(c)})`).join(", ") || "none";
}

/**
 * Waits for `path` to exist while approving each serving CSR of the node that
 * turns up pending (see approvePendingServingCsrs). A product wait; its
 * timeout names every serving CSR of the node with its state and what the
 * kubelet last said.
 */
export async function approveServingUntilWritten(kube: KubeClients, node: Node, path: string, approved: Set<string>, timeoutMs: number): Promise<void> {
  let seen: V1CertificateSigningRequest[] = [];
  await eventually(
    async () => {
      seen = await approvePendingServingCsrs(kube, node.name, approved);
      return (await node.exists(path)) ? true : undefined;
    },
    {
      what: `${path} to be written`,
      timeoutMs,
      blame: "product",
      describe: async (last) => `${typeof last === "string" ? last : JSON.stringify(last)}; serving CSRs of the node: ${servingCsrStates(seen)}, approved by the harness: ${[...approved].join(", ")}; ${await kubeletCause(node)}`,
    },
  );
}

/** The CSR among `csrs` whose issued certificate is `certificatePem` (one PEM block), if any. */
export function csrIssuing(csrs: readonly V1CertificateSigningRequest[], certificatePem: string | undefined): V1CertificateSigningRequest | undefined {
  if (!certificatePem) return undefined;
  return csrs.find((c) => {
    const issued = issuedCertificatePem(c);
    return issued !== undefined && pemBlocks(issued, "CERTIFICATE")[0] === certificatePem;
  });
}
