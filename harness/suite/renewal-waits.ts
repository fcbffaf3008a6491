import type { CsrWithFacts } from "../kube/csr";
import { csrState, csrsForNode } from "../kube/csr";
import type { KubeClients } from "../kube/clients";
import type { Node } from "../providers/provider";
import { kubeletCause } from "../kube/kubelet-cause";
import { eventually } from "../wait/eventually";
import { CLIENT_CERT_CURRENT } from "./node-waits";

/** Waits for a client CSR of the node other than the ones already known: its renewal request. */
export async function waitForRenewalCsr(kube: KubeClients, node: Node, known: string[], timeoutMs: number): Promise<CsrWithFacts> {
  let seen = "none";
  return eventually(
    async () => {
      const all = await csrsForNode(kube, node.name);
      seen = all.map((c) => `${c.csr.metadata!.name} (${csrState(c.csr)})`).join(", ") || "none";
      return all.find((c) => !known.includes(c.csr.metadata!.name!));
    },
    {
      what: `node ${node.name} to request a renewal of its client certificate (a CSR other than ${known.join(", ")})`,
      timeoutMs,
      blame: "product",
      describe: async () => `client CSRs of the node: ${seen}; ${await kubeletCause(node)}`,
    },
  );
}

/** Waits for kubelet-client-current.pem to point somewhere other than `oldTarget`; returns the new target. */
export async function waitForCurrentLinkMoved(node: Node, oldTarget: string, timeoutMs: number): Promise<string> {
  const path = `${node.certDir}/${CLIENT_CERT_CURRENT}`;
  return eventually(
    async () => {
      const target = (await node.stat(path)).linkTarget;
      return target && target !== oldTarget ? target : undefined;
    },
    { what: `${path} to move away from ${oldTarget}`, timeoutMs, blame: "product" },
  );
}
