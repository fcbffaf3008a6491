import { isIP } from "node:net";
import { DiscoveryV1Api, type KubeConfig } from "@kubernetes/client-node";
import { ProvisionError } from "../../errors";

/**
 * The API server URL as the run's nodes reach it. The kubeconfig's server is
 * how this machine reaches it; the nodes run in network namespaces of their
 * own, where a loopback address (kind's https://127.0.0.1:<port>, a tunnel)
 * is the namespace itself. Then the nodes use the address the API server
 * advertises: the endpoints of the `kubernetes` Service in `default`, which
 * every kube-apiserver keeps to its --advertise-address and secure port
 * (pkg/controlplane/reconcilers), and which its serving certificate names.
 */
export async function apiServerUrlForNodes(kc: KubeConfig): Promise<{ url: string; why: string }> {
  const server = new URL(kc.getCurrentCluster()!.server);
  if (!isLoopback(server.hostname)) return { url: server.origin, why: "the kubeconfig's server" };
  const slices = await kc.makeApiClient(DiscoveryV1Api).listNamespacedEndpointSlice({ namespace: "default", labelSelector: "kubernetes.io/service-name=kubernetes" });
  for (const slice of slices.items) {
    const port = slice.ports?.find((p) => p.name === "https")?.port ?? slice.ports?.[0]?.port;
    const address = slice.endpoints.find((e) => e.conditions?.ready !== false)?.addresses[0];
    if (port && address) {
      const host = isIP(address) === 6 ? `[${address}]` : address;
      return { url: `https://${host}:${port}`, why: `the kubeconfig's server ${server.origin} is a loopback address; the API server advertises ${address}:${port} (EndpointSlice of default/kubernetes)` };
    }
  }
  throw new ProvisionError(`the kubeconfig's server ${server.origin} is a loopback address, which the nodes' network namespaces cannot reach, and the \`kubernetes\` Service in default lists no ready endpoint to use instead`, {
    hint: "give a kubeconfig whose server is an address this machine's network namespaces can route to (not 127.0.0.1 or localhost)",
  });
}

function isLoopback(hostname: string): boolean {
  const h = hostname.replace(/^\[|\]$/g, "");
  return h === "localhost" || h === "::1" || (isIP(h) === 4 && h.startsWith("127."));
}
