import { readFile } from "node:fs/promises";
import type { KubeConfig } from "@kubernetes/client-node";
import { ProvisionError } from "../../errors";
import { NODE_BOOTSTRAPPER, NODECLIENT } from "../../kube/seed-bindings";
import type { KubeClients } from "../../kube/clients";

/** kube-apiserver publishes its --client-ca-file here for every client to read (pkg/controlplane/controller/clusterauthenticationtrust). */
const AUTHENTICATION_CONFIGMAP = { namespace: "kube-system", name: "extension-apiserver-authentication", key: "client-ca-file" } as const;

/** The CA bundle this kubeconfig verifies the API server with: the one the nodes' bootstrap kubeconfigs carry. */
export async function serverCaOf(kc: KubeConfig, kubeconfigPath: string): Promise<string> {
  const cluster = kc.getCurrentCluster()!;
  if (cluster.caData) return Buffer.from(cluster.caData, "base64").toString("utf8");
  if (cluster.caFile) return readFile(cluster.caFile, "utf8");
  throw new ProvisionError(`the kubeconfig ${kubeconfigPath} gives no certificate-authority for ${cluster.server}; the nodes' bootstrap kubeconfigs need the CA that verifies the API server`, {
    hint: "use a kubeconfig with certificate-authority-data (as kubeadm's admin.conf and kind's kubeconfig have)",
  });
}

/**
 * The CA bundle kube-apiserver accepts client certificates from
 * (--client-ca-file): a kubelet's client certificate, whoever signs it,
 * authenticates only if it chains to it. Upstream requires only this of the
 * kube-apiserver-client-kubelet signer (a distribution may sign with a CA of
 * its own: kube-controller-manager's --cluster-signing-kubelet-client-cert-file).
 */
export async function clientCaBundleOf(kube: KubeClients): Promise<string> {
  const cm = await kube.core.readNamespacedConfigMap({ name: AUTHENTICATION_CONFIGMAP.name, namespace: AUTHENTICATION_CONFIGMAP.namespace });
  const pem = cm.data?.[AUTHENTICATION_CONFIGMAP.key];
  if (!pem) {
    throw new ProvisionError(`${AUTHENTICATION_CONFIGMAP.namespace}/${AUTHENTICATION_CONFIGMAP.name} has no ${AUTHENTICATION_CONFIGMAP.key}: the API server accepts no client certificates, so no kubelet can authenticate with one`, {
      hint: "start kube-apiserver with --client-ca-file",
    });
  }
  return pem;
}

/**
 * The groups a bootstrap token must carry to be allowed what a node's
 * bootstrap needs on this cluster: every `system:bootstrappers:*` group bound
 * to system:node-bootstrapper (create a CSR) or to nodeclient (its automatic
 * approval), as `kubeadm token create` gives its tokens the one kubeadm binds.
 * Only that prefix may be an extra group of a token (bootstrap.go's
 * BootstrapGroupPattern); system:bootstrappers itself every token has.
 */
export async function bootstrapperGroupsOf(kube: KubeClients): Promise<string[]> {
  const bindings = await kube.rbac.listClusterRoleBinding();
  const groups = bindings.items
    .filter((b) => b.roleRef.name === NODE_BOOTSTRAPPER || b.roleRef.name === NODECLIENT)
    .flatMap((b) => b.subjects ?? [])
    .filter((s) => s.kind === "Group" && s.name.startsWith("system:bootstrappers:"))
    .map((s) => s.name);
  return [...new Set(groups)].sort();
}
