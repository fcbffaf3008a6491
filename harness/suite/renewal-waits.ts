import type { CsrWithFacts } from "../kube/csr";
import { csrState, csrsForNode } from "../kube/csr";
import type { KubeClients } from "../kube/clients";
import type { Node } from "../providers/provider";
import { kubeletCause } from "../kube/kubelet-cause";
import { timed } from "../log";
import { eventually } from "../wait/eventually";
import { CLIENT_CERT_CURRENT } from "./node-waits";

/**
 * Waits for a client CSR of the node other than the ones already known: its
 * renewal request. Timed on the console: the kubelet picks its deadline at
 * random in 70–90 % of the certificate's life, so this wait is most of the
 * renewal suite's wall and differs from run to run (tools/bench reports it).
 */
export async function waitForRenewalCsr(kube: KubeClients, node: Node, known: string[], timeoutMs: number): Promise<CsrWithFacts> {
  let seen = "none";
  const { value } = await timed(`${node.name}: renewal request (the kubelet's deadline, at random in 70–90 % of its certificate's life)`, () =>
    eventually(
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
    ),
  );
  return value;
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
