import { splitVersion } from "../../binaries/pinned-version";
import { UsageError } from "../../errors";

/**
 * The kubeadm config API kind writes for a release, and the shape of its
 * extraArgs, so the harness's kubeadmConfigPatches match what kind generates.
 */
export type KubeadmApi = "kubeadm.k8s.io/v1beta3" | "kubeadm.k8s.io/v1beta4";

/** v1beta3: `extraArgs: {name: value}`; v1beta4: `extraArgs: [{name, value}]` (an ordered list that may repeat a name). */
export type ExtraArgs = Record<string, string> | { name: string; value: string }[];

/** The minor of a release, e.g. 37 for v1.37.2 (the kind provider supports 1.x only). */
export function minorOf(k8sVersion: string): number {
  let v: ReturnType<typeof splitVersion>;
  try {
    v = splitVersion(k8sVersion.startsWith("v") ? k8sVersion : `v${k8sVersion}`);
  } catch {
    throw new UsageError(`not a Kubernetes version: ${k8sVersion}`);
  }
  if (v.major !== "1") throw new UsageError(`the kind provider supports Kubernetes 1.x, not ${k8sVersion}`);
  return Number(v.minor);
}

/**
 * kind v0.33.0, pkg/cluster/internal/kubeadm/config.go `Config`: the v1beta4
 * template from Kubernetes 1.36.0, v1beta3 for 1.23-1.35 (v1beta2 below, which
 * the harness does not support). kubeadm 1.37 reads v1beta4 only. A patch
 * applies only when its apiVersion matches (pkg/internal/patch/resource.go),
 * so the harness writes its patches in the same API.
 */
export function kubeadmApiVersion(k8sVersion: string): KubeadmApi {
  const minor = minorOf(k8sVersion);
  if (minor < 23) throw new UsageError(`the kind provider supports Kubernetes 1.23 and later, not ${k8sVersion}`);
  return minor >= 36 ? "kubeadm.k8s.io/v1beta4" : "kubeadm.k8s.io/v1beta3";
}

/** `--name=value` flags as ordered (name, value) pairs (a bare `--name` means "true"). */
export function parseFlags(flags: readonly string[], component: string): [string, string][] {
  return flags.map((f) => {
    const m = /^--([A-Za-z0-9][A-Za-z0-9-]*)(?:=(.*))?$/.exec(f);
    if (!m) throw new UsageError(`extra flag for ${component} must look like --name=value, got ${JSON.stringify(f)}`);
    return [m[1]!, m[2] ?? "true"];
  });
}

/**
 * extraArgs in the API's own shape. A later pair wins over an earlier one of
 * the same name in both (the harness's own flags come first, so a vendor's
 * extra flag overrides them): v1beta3's map keeps the last value; for v1beta4
 * the pair is replaced in place, since kind merges v1beta4 extraArgs by name
 * (pkg/internal/patch/kubeadm_merge.go mergeExtraArgs) and kubeadm would pass
 * a repeated name twice.
 */
export function extraArgs(api: KubeadmApi, pairs: readonly [string, string][]): ExtraArgs {
  const byName = new Map<string, string>();
  for (const [name, value] of pairs) byName.set(name, value);
  if (api === "kubeadm.k8s.io/v1beta3") return Object.fromEntries(byName);
  return [...byName].map(([name, value]) => ({ name, value }));
}
