import type { V1CertificateSigningRequest, V1CertificateSigningRequestCondition } from "@kubernetes/client-node";
import { csrFacts, type CsrFacts } from "../pki/inspect";
import { eventually } from "../wait/eventually";
import { apiStatus, asAdmin, type KubeClients } from "./clients";
import { kubeletCause } from "./kubelet-cause";
import type { Node } from "../providers/provider";

export const KUBELET_CLIENT_SIGNER = "kubernetes.io/kube-apiserver-client-kubelet";
export const KUBELET_SERVING_SIGNER = "kubernetes.io/kubelet-serving";

export function requestPem(csr: V1CertificateSigningRequest): string {
  return Buffer.from(csr.spec.request, "base64").toString("utf8");
}

export function issuedCertificatePem(csr: V1CertificateSigningRequest): string | undefined {
  const c = csr.status?.certificate;
  return c ? Buffer.from(c, "base64").toString("utf8") : undefined;
}

export function condition(csr: V1CertificateSigningRequest, type: string): V1CertificateSigningRequestCondition | undefined {
  return csr.status?.conditions?.find((c) => c.type === type);
}

/** "Approved", "Denied", "Failed", "Issued" or "Pending", as kubectl shows it. */
export function csrState(csr: V1CertificateSigningRequest): string {
  const types = (csr.status?.conditions ?? []).filter((c) => c.status === "True").map((c) => c.type);
  const issued = csr.status?.certificate ? ["Issued"] : [];
  return [...types, ...issued].join(",") || "Pending";
}

export interface CsrWithFacts {
  csr: V1CertificateSigningRequest;
  facts: CsrFacts;
}

/** CSRs of a signer whose request subject is `system:node:<nodeName>`, oldest first. */
export async function csrsForNode(kube: KubeClients, nodeName: string, signerName = KUBELET_CLIENT_SIGNER): Promise<CsrWithFacts[]> {
  const list = await asAdmin("list CSRs", () => kube.certificates.listCertificateSigningRequest({ fieldSelector: `spec.signerName=${signerName}` }));
  const out: CsrWithFacts[] = [];
  for (const csr of list.items) {
    const facts = await csrFacts(requestPem(csr));
    if (facts.commonName === `system:node:${nodeName}`) out.push({ csr, facts });
  }
  return out.sort(
    (a, b) => (a.csr.metadata?.creationTimestamp?.getTime() ?? 0) - (b.csr.metadata?.creationTimestamp?.getTime() ?? 0),
  );
}

/**
 * Waits for the first CSR of a node, in any state (a product wait); on timeout
 * says how the node's kubelet is doing and the last error it logged, e.g. the
 * API refusing its bootstrap credential.
 */
export async function waitForNodeCsr(
  kube: KubeClients,
  node: Pick<Node, "name" | "kubeletStatus" | "kubeletLogTail">,
  timeoutMs: number,
  signerName = KUBELET_CLIENT_SIGNER,
): Promise<CsrWithFacts> {
  return eventually(async () => (await csrsForNode(kube, node.name, signerName))[0], {
    what: `a CSR with signer ${signerName} for node ${node.name}`,
    timeoutMs,
    blame: "product",
    describe: async (last) => `${typeof last === "string" ? last : JSON.stringify(last)}; ${await kubeletCause(node)}`,
  });
}

/** A CSR's state and its conditions with reason and message, for timeout messages. */
export function describeCsr(csr: V1CertificateSigningRequest): string {
  const conditions = (csr.status?.conditions ?? []).map((c) => `${c.type}=${c.status} (${c.reason ?? "no reason"}: ${c.message ?? ""})`);
  return `state ${csrState(csr)}; conditions: ${conditions.join(", ") || "none"}`;
}

/** Waits until the named CSR carries a certificate (a product wait), reporting its last state and conditions on timeout. */
export async function waitForIssued(kube: KubeClients, name: string, timeoutMs: number): Promise<V1CertificateSigningRequest> {
  let last = "not read yet";
  return eventually(
    async () => {
      const csr = await asAdmin(`read CSR ${name}`, () => kube.certificates.readCertificateSigningRequest({ name }));
      last = describeCsr(csr);
      return csr.status?.certificate ? csr : undefined;
    },
    { what: `CSR ${name} to be issued a certificate`, timeoutMs, blame: "product", describe: () => last },
  );
}

/**
 * Approves (or denies) a CSR through the /approval subresource the way
 * `kubectl certificate approve` does, re-reading on a 409 conflict. A harness
 * step: any other refusal ends it at once as a harness error.
 */
export async function setApproval(
  kube: KubeClients,
  name: string,
  decision: "Approved" | "Denied",
  reason = "KubeletTLSConformance",
): Promise<V1CertificateSigningRequest> {
  return eventually(
    async () => {
      const csr = await asAdmin(`read CSR ${name}`, () => kube.certificates.readCertificateSigningRequest({ name }));
      csr.status = csr.status ?? {};
      csr.status.conditions = [
        ...(csr.status.conditions ?? []),
        { type: decision, status: "True", reason, message: `${decision} by kubelet-tls-conformance`, lastUpdateTime: new Date() },
      ];
      try {
        return await asAdmin(`write the ${decision} condition of CSR ${name}`, () => kube.certificates.replaceCertificateSigningRequestApproval({ name, body: csr }));
      } catch (err) {
        if (apiStatus(err) === 409) return undefined;
        throw err;
      }
    },
    { what: `${decision} condition to be written to CSR ${name}`, timeoutMs: 30_000, blame: "harness" },
  );
}
