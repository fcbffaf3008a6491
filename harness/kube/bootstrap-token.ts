import { randomInt } from "node:crypto";
import type { V1Secret } from "@kubernetes/client-node";
import type { KubeClients } from "./clients";

const ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789";

function randomString(n: number): string {
  let s = "";
  for (let i = 0; i < n; i++) s += ALPHABET[randomInt(ALPHABET.length)];
  return s;
}

export interface BootstrapToken {
  id: string;
  secret: string;
  /** "<id>.<secret>", the bearer token. */
  token: string;
  /** The user the API server authenticates it as. */
  user: string;
  expiration: Date;
}

/** A token matching BootstrapTokenPattern: 6 and 16 characters of [a-z0-9]. */
export function newBootstrapToken(ttlSeconds: number): BootstrapToken {
  const id = randomString(6);
  const secret = randomString(16);
  return { id, secret, token: `${id}.${secret}`, user: `system:bootstrap:${id}`, expiration: new Date(Date.now() + ttlSeconds * 1000) };
}

/** The `bootstrap-token-<id>` Secret of kube-system, as `kubeadm token create` writes it. */
export function bootstrapTokenSecret(
  t: BootstrapToken,
  opts: { extraGroups?: string[]; usageAuthentication?: boolean; description?: string } = {},
): V1Secret {
  return {
    apiVersion: "v1",
    kind: "Secret",
    metadata: { name: `bootstrap-token-${t.id}`, namespace: "kube-system" },
    type: "bootstrap.kubernetes.io/token",
    stringData: {
      "token-id": t.id,
      "token-secret": t.secret,
      expiration: t.expiration.toISOString().replace(/\.\d+Z$/, "Z"),
      description: opts.description ?? "kubelet-tls-conformance node join",
      ...(opts.usageAuthentication === false ? {} : { "usage-bootstrap-authentication": "true" }),
      ...(opts.extraGroups?.length ? { "auth-extra-groups": opts.extraGroups.join(",") } : {}),
    },
  };
}

export async function createBootstrapToken(
  kube: KubeClients,
  opts: { ttlSeconds: number; extraGroups?: string[] },
): Promise<BootstrapToken> {
  const t = newBootstrapToken(opts.ttlSeconds);
  await kube.core.createNamespacedSecret({ namespace: "kube-system", body: bootstrapTokenSecret(t, opts) });
  return t;
}
