import { readFile } from "node:fs/promises";
import { parse } from "yaml";
import { UsageError } from "../errors";
import { FAULTS, type Fault } from "../providers/fault-injection";
import type { ClusterSpec } from "../providers/spec";
import { parseDurationSeconds } from "./duration";

/**
 * The vendor's knobs, from a YAML file (`--config FILE` or KTC_CONFIG):
 *
 *   distro: my-k8s                 # shown in the report
 *   provider: binary
 *   kubeconfig: /path/admin.conf   # provider existing: the running cluster to test
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
 * harness's negative controls only.
 */
export interface RunConfig {
  distro: string;
  provider?: string;
  kubernetesVersion?: string;
  k8sBinDir?: string;
  /** Provider existing: a cluster-admin's kubeconfig of the running cluster to test. */
  kubeconfig?: string;
  base: Partial<ClusterSpec>;
  /** Negative controls only: every cluster of the run is broken so (providers with fault injection). */
  faults?: Fault[];
}

const KEYS = ["distro", "provider", "kubeconfig", "kubernetesVersion", "k8sBinDir", "bindingStyle", "signingDuration", "extraFlags", "faults"];
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
  return {
    distro: str("distro") ?? "upstream",
    provider: str("provider"),
    kubernetesVersion: str("kubernetesVersion"),
    k8sBinDir: str("k8sBinDir"),
    kubeconfig: str("kubeconfig"),
    base,
    faults,
  };
}

export async function loadRunConfig(path: string | undefined): Promise<RunConfig> {
  if (!path) return { distro: "upstream", base: {} };
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (err) {
    throw new UsageError(`cannot read config ${path}: ${(err as Error).message}`);
  }
  return parseRunConfig(text, path);
}
