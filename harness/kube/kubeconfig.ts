import { KubeConfig } from "@kubernetes/client-node";

export type KubeconfigAuth =
  | { kind: "token"; token: string }
  | { kind: "client-cert"; certPem: string; keyPem: string };

/**
 * Renders a kubeconfig with client-node's own serializer (no hand-written YAML).
 * The CA is embedded; callers that need a CA *file* reference (as a binary
 * install's bootstrap kubeconfig has) pass caFile instead.
 */
export function renderKubeconfig(opts: {
  server: string;
  user: string;
  auth: KubeconfigAuth;
  caPem?: string;
  caFile?: string;
  clusterName?: string;
}): string {
  const kc = new KubeConfig();
  const clusterName = opts.clusterName ?? "ktc";
  kc.loadFromOptions({
    clusters: [
      {
        name: clusterName,
        server: opts.server,
        ...(opts.caFile ? { caFile: opts.caFile } : { caData: Buffer.from(opts.caPem ?? "").toString("base64") }),
      },
    ],
    users: [
      opts.auth.kind === "token"
        ? { name: opts.user, token: opts.auth.token }
        : {
            name: opts.user,
            certData: Buffer.from(opts.auth.certPem).toString("base64"),
            keyData: Buffer.from(opts.auth.keyPem).toString("base64"),
          },
    ],
    contexts: [{ name: `${opts.user}@${clusterName}`, cluster: clusterName, user: opts.user }],
    currentContext: `${opts.user}@${clusterName}`,
  });
  return kc.exportConfig();
}
