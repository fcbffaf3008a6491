import { readdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { createBootstrapToken } from "../kube/bootstrap-token";
import type { KubeClients } from "../kube/clients";
import { TOKEN_FILE_USER } from "../kube/seed-bindings";
import { registerSecret } from "../report/redact";
import type { ComponentVersions } from "./provider";
import type { BootstrapCredential, ClusterSpec } from "./spec";

/**
 * What every provider keeps about a cluster in <dir>/cluster.json, so a later
 * suite (another jest module registry) can attach to it: the pool shares one
 * cluster between suites with equal specs. Providers add their own fields.
 */
export interface ClusterStateBase {
  name: string;
  runDir: string;
  dir: string;
  spec: ClusterSpec;
  apiServerUrl: string;
  adminKubeconfigPath: string;
  caCertPem: string;
  /** The CA bundle that verifies the API server, when it is not caCertPem (a running cluster's). */
  serverCaPem?: string;
  /** The extra groups of its bootstrap tokens, when not the binding style's (a running cluster's own). */
  bootstrapperGroups?: string[];
  /** The static token of the token-auth-file line (redacted from reports). */
  tokenFileToken: string;
  versions: ComponentVersions;
  timingsMs: Record<string, number>;
}

export function stateFile(clusterDir: string): string {
  return join(clusterDir, "cluster.json");
}

export async function saveClusterState(s: ClusterStateBase): Promise<void> {
  await writeFile(stateFile(s.dir), JSON.stringify(s, null, 2), { mode: 0o600 });
}

export async function loadClusterState<S extends ClusterStateBase>(clusterDir: string): Promise<S> {
  const s = JSON.parse(await readFile(stateFile(clusterDir), "utf8")) as S;
  registerSecret(s.tokenFileToken);
  return s;
}

/** Lifetime of the bootstrap-token Secrets created per join. */
export const BOOTSTRAP_TOKEN_TTL_SECONDS = 3600;

/**
 * The token a joining node bootstraps with, and who it authenticates as: the
 * cluster's static token-file line, or a fresh bootstrap-token Secret created
 * through the API for this node (with the style's extra group and an expiry).
 */
export async function bootstrapCredential(
  kube: KubeClients,
  s: Pick<ClusterStateBase, "tokenFileToken">,
  extraGroups: readonly string[],
  credential: BootstrapCredential,
): Promise<{ token: string; bootstrapUser: string }> {
  if (credential === "token-file") return { token: s.tokenFileToken, bootstrapUser: TOKEN_FILE_USER };
  const t = await createBootstrapToken(kube, { ttlSeconds: BOOTSTRAP_TOKEN_TTL_SECONDS, extraGroups: [...extraGroups] });
  registerSecret(t.token);
  return { token: t.token, bootstrapUser: t.user };
}

/**
 * Component versions of the clusters a run created, as their providers
 * recorded them (for the report's environment panel); {} when none came up.
 */
export async function runComponentVersions(runDir: string): Promise<ComponentVersions> {
  const dirs = (await readdir(runDir).catch(() => [] as string[])).filter((d) => /^c\d+$/.test(d)).sort();
  const merged: ComponentVersions = {};
  for (const d of dirs) {
    const s = await readFile(stateFile(join(runDir, d)), "utf8").then((t) => JSON.parse(t) as ClusterStateBase, () => undefined);
    if (s) Object.assign(merged, s.versions);
  }
  return merged;
}
