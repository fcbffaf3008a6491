import type { V1Node } from "@kubernetes/client-node";
import { asAdmin, type KubeClients } from "../kube/clients";
import type { Node } from "../providers/provider";
import { kubeletCause } from "../kube/kubelet-cause";
import { eventually } from "../wait/eventually";

export const CLIENT_CERT_CURRENT = "kubelet-client-current.pem";

/** Waits for the kubelet to have written its client certificate, reporting the cert-dir contents on timeout. */
export async function waitForClientCertificate(node: Node, timeoutMs: number): Promise<void> {
  let listing = "cert dir not created yet";
  await eventually(
    async () => {
      const entries = await node.listCertDir().catch(() => []);
      listing = entries.map((e) => e.name).join(", ") || "empty";
      return entries.some((e) => e.name === CLIENT_CERT_CURRENT) ? true : undefined;
    },
    {
      what: `node ${node.name} to write ${node.certDir}/${CLIENT_CERT_CURRENT}`,
      timeoutMs,
      blame: "product",
      describe: async () => `cert dir holds: ${listing}; ${await kubeletCause(node)}`,
    },
  );
}

/** Waits for the Node object the kubelet registers with its new certificate. */
export async function waitForNodeObject(kube: KubeClients, name: string, timeoutMs: number): Promise<V1Node> {
  return eventually(() => asAdmin(`read Node ${name}`, () => kube.core.readNode({ name })), { what: `Node ${name} to be registered`, timeoutMs, blame: "product" });
}
