import { readFile } from "node:fs/promises";
import { resolve } from "node:path";
import { parse } from "yaml";
import { UsageError } from "../errors";
import { FAULTS, type Fault } from "../providers/fault-injection";
import type { ClusterSpec } from "../providers/spec";
import { registerSecret } from "../report/redact";
import { parseDurationSeconds } from "./duration";

/**
 * The vendor's knobs, from a YAML file (`--config FILE` or KTC_CONFIG):
 *
 *   distro: my-k8s                 # shown in the report
 *   provider: binary
 *   kubeconfig: /path/admin.conf   # provider existing: the running cluster to test
 *   tokenFileToken: <token>        # provider existing: the token of one line of its --token-auth-file
 *   tokenFileBootstrapKubeconfig: /path/bootstrap-kubelet.conf  # or: a bootstrap kubeconfig whose user has such a token
 *   nodes:                         # provider existing: where the run's kubelets run
 *     placement: container         # process (default: local processes in network namespaces) or container
 *     image: <kind node image>     # container: a kind node image of the cluster's release (kubelet, containerd, systemd)
 *     network: kind                # container: the docker network the node containers join (it must reach the API server)
 *   kubernetesVersion: v1.34.4
 *   k8sBinDir: /opt/my-k8s/bin     # the distribution's own binaries
 *   bindingStyle: kubeadm          # which bootstrap bindings the distro ships
 *   signingDuration: 8760h         # the cluster signing duration it configures
 *   extraFlags:
 *     kube-apiserver: [--v=2]
 *     kube-controller-manager: []
 *     kubelet: []
 *
 * Flags on the command line win over the file. `faults` exists for the
 * harness's negative controls only. The token-file credential (one of the two
 * keys) lets the existing provider join nodes the way the vendor's own
 * token-file nodes join; it is a secret, registered for redaction as soon as
 * it is read and never printed.
 */
export interface RunConfig {
  distro: string;
  provider?: string;
  kubernetesVersion?: string;
  k8sBinDir?: string;
  /** Provider existing: a cluster-admin's kubeconfig of the running cluster to test. */
  kubeconfig?: string;
  /** Provider existing: the vendor's own token-file credential, if declared. */
  tokenFile?: TokenFileDeclaration;
  /** Provider existing: where the run's kubelets run, if the config says. */
  nodes?: NodePlacementDeclaration;
  base: Partial<ClusterSpec>;
  /** Negative controls only: every cluster of the run is broken so (providers with fault injection). */
  faults?: Fault[];
}

/**
 * Where the vendor's token-file token is: in this config file (its token is
 * read again from it where a node joins, so the token itself never travels in
 * the run's settings), or in a bootstrap kubeconfig of theirs. Paths are absolute.
 */
export type TokenFileDeclaration = { key: "tokenFileToken"; config: string } | { key: "tokenFileBootstrapKubeconfig"; kubeconfig: string };

export const TOKEN_FILE_KEYS = ["tokenFileToken", "tokenFileBootstrapKubeconfig"] as const;

/**
 * Where a running cluster's test nodes run: local kubelet processes, each in
 * a network namespace of its own (the default), or node containers of a kind
 * node image on a docker network, as the kind provider's extra nodes.
 */
export type NodePlacementDeclaration = { placement: "process" } | { placement: "container"; image: string; network: string };

const KEYS = ["distro", "provider", "kubeconfig", ...TOKEN_FILE_KEYS, "nodes", "kubernetesVersion", "k8sBinDir", "bindingStyle", "signingDuration", "extraFlags", "faults"];
const COMPONENTS = ["kube-apiserver", "kube-controller-manager", "kubelet"];

function fail(path: string, message: string): never {
  throw new UsageError(`config ${path}: ${message}`, { hint: `valid keys: ${KEYS.join(", ")}` });
}

export function parseRunConfig(text: string, path: string): RunConfig {
  const doc = (parse(text) ?? {}) as Record<string, unknown>;
  if (typeof doc !== "object" || Array.isArray(doc)) fail(path, "must be a YAML mapping");
  for (const k of Object.keys(doc)) if (!KEYS.includes(k)) fail(path, `unknown key ${JSON.stringify(k)}`);
  const str = (k: string) => {
    const v = doc[k];
    if (v !== undefined && typeof v !== "string") fail(path, `${k} must be a string`);
    return v as string | undefined;
  };
  const base: Partial<ClusterSpec> = {};
  let faults: Fault[] | undefined;
  const style = str("bindingStyle");
  if (style !== undefined) {
    if (style !== "binary-install" && style !== "kubeadm") fail(path, `bindingStyle must be binary-install or kubeadm, got ${style}`);
    base.bindingStyle = style;
  }
  const duration = str("signingDuration");
  if (duration !== undefined) {
    try {
      base.signingDurationSeconds = parseDurationSeconds(duration);
    } catch (err) {
      fail(path, `signingDuration: ${(err as Error).message}`);
    }
  }
  if (doc.extraFlags !== undefined) {
    const flags = doc.extraFlags as Record<string, unknown>;
    for (const [c, v] of Object.entries(flags)) {
      if (!COMPONENTS.includes(c)) fail(path, `extraFlags: unknown component ${c} (valid: ${COMPONENTS.join(", ")})`);
      if (!Array.isArray(v) || v.some((f) => typeof f !== "string")) fail(path, `extraFlags.${c} must be a list of strings`);
    }
    base.extraFlags = flags as ClusterSpec["extraFlags"];
  }
  if (doc.faults !== undefined) {
    const listed = doc.faults as unknown[];
    if (!Array.isArray(listed)) fail(path, "faults must be a list");
    for (const f of listed) if (!FAULTS.includes(f as Fault)) fail(path, `unknown fault ${String(f)} (valid: ${FAULTS.join(", ")})`);
    faults = doc.faults as Fault[];
  }
  const tokenFile = tokenFileDeclaration(doc, path);
  const nodes = nodePlacement(doc.nodes, path);
  return {
    distro: str("distro") ?? "upstream",
    provider: str("provider"),
    kubernetesVersion: str("kubernetesVersion"),
    k8sBinDir: str("k8sBinDir"),
    kubeconfig: str("kubeconfig"),
    ...(tokenFile ? { tokenFile } : {}),
    ...(nodes ? { nodes } : {}),
    base,
    faults,
  };
}

/**
 * A token of a --token-auth-file line is its first CSV field: no comma, no
 * quote, no whitespace (kube-apiserver's tokenfile reader). Never put in a message.
 */
const TOKEN_FILE_TOKEN = /^[^\s,"]+$/;

function tokenFileDeclaration(doc: Record<string, unknown>, path: string): TokenFileDeclaration | undefined {
  const token = doc.tokenFileToken;
  const kubeconfig = doc.tokenFileBootstrapKubeconfig;
  if (token !== undefined && kubeconfig !== undefined) fail(path, "tokenFileToken and tokenFileBootstrapKubeconfig both declare the token-file credential: keep one");
  if (kubeconfig !== undefined) {
    if (typeof kubeconfig !== "string" || !kubeconfig) fail(path, "tokenFileBootstrapKubeconfig must be the path of a kubeconfig file");
    return { key: "tokenFileBootstrapKubeconfig", kubeconfig: resolve(kubeconfig) };
  }
  if (token === undefined) return undefined;
  // Numbers and the like are refused without echoing them: the value is a secret.
  if (typeof token !== "string") fail(path, "tokenFileToken must be a string (quote it)");
  registerSecret(token);
  if (!TOKEN_FILE_TOKEN.test(token)) fail(path, "tokenFileToken must be the first field of a --token-auth-file line (no commas, quotes or whitespace); its value is not shown");
  return { key: "tokenFileToken", config: resolve(path) };
}

function nodePlacement(v: unknown, path: string): NodePlacementDeclaration | undefined {
  if (v === undefined) return undefined;
  if (!v || typeof v !== "object" || Array.isArray(v)) fail(path, "nodes must be a mapping: placement, and for placement container its image and network");
  const n = v as Record<string, unknown>;
  for (const k of Object.keys(n)) if (!["placement", "image", "network"].includes(k)) fail(path, `nodes: unknown key ${JSON.stringify(k)} (valid: placement, image, network)`);
  if (n.placement === undefined || n.placement === "process") {
    if (n.image !== undefined || n.network !== undefined) fail(path, "nodes: image and network are for placement: container");
    return { placement: "process" };
  }
  if (n.placement !== "container") fail(path, `nodes.placement must be process or container, got ${JSON.stringify(n.placement)}`);
  const need = (k: "image" | "network", what: string) => {
    if (typeof n[k] !== "string" || !n[k]) fail(path, `nodes.${k} is required with placement: container (${what})`);
    return n[k];
  };
  return { placement: "container", image: need("image", "a kind node image of the cluster's release"), network: need("network", "the docker network the node containers join") };
}

export async function loadRunConfig(path: string | undefined): Promise<RunConfig> {
  if (!path) return { distro: "upstream", base: {} };
  return parseRunConfig(await readConfigText(path), path);
}

/** The token the config file at `config` declares in tokenFileToken: read again where a node joins. */
export async function tokenFileTokenOf(config: string): Promise<string> {
  const text = await readConfigText(config);
  if (parseRunConfig(text, config).tokenFile?.key !== "tokenFileToken") {
    throw new UsageError(`config ${config}: tokenFileToken is no longer declared in it`, { hint: "leave the config file as it was when the run started" });
  }
  return (parse(text) as { tokenFileToken: string }).tokenFileToken;
}

async function readConfigText(path: string): Promise<string> {
  try {
    return await readFile(path, "utf8");
  } catch (err) {
    throw new UsageError(`cannot read config ${path}: ${(err as Error).message}`);
  }
}
