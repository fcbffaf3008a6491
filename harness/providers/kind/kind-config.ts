import { stringify } from "yaml";
import { UsageError } from "../../errors";
import type { ClusterSpec } from "../spec";
import { defaultClusterSpec } from "../spec";

/** Where the control-plane node sees the harness's files (token file, CA). */
export const NODE_KTC_DIR = "/etc/kubernetes/ktc";
export const NODE_TOKEN_FILE = `${NODE_KTC_DIR}/tokens.csv`;

export interface KindConfigInput {
  spec: ClusterSpec;
  /** Release of the node image, e.g. v1.34.4: selects the kubeadm API version kind generates. */
  k8sVersion: string;
  /** Host directory holding tokens.csv, mounted read-only at NODE_KTC_DIR on the control plane. */
  ktcHostDir: string;
  /** Host paths of a CA made by the harness, when the spec wants a CA validity kubeadm does not make. */
  caFiles?: { cert: string; key: string };
  /** The etcd image tag the node image carries (label io.ktc.etcd-tag), when it differs from kubeadm's default. */
  etcdImageTag?: string;
}

/**
 * The kubeadm API version kind v0.30 writes for a release
 * (pkg/cluster/internal/kubeadm/config.go: v1beta2 below 1.23, else v1beta3).
 * A kubeadmConfigPatches entry only applies when its apiVersion matches, and
 * extraArgs is a map in both (v1beta4's list form is not used by kind v0.30).
 */
export function kubeadmApiVersion(k8sVersion: string): string {
  const m = /^v?(\d+)\.(\d+)\./.exec(k8sVersion);
  if (!m) throw new UsageError(`not a Kubernetes version: ${k8sVersion}`);
  const minor = Number(m[2]);
  if (Number(m[1]) !== 1 || minor < 23) {
    throw new UsageError(`the kind provider supports Kubernetes 1.23 and later, not ${k8sVersion}`);
  }
  return "kubeadm.k8s.io/v1beta3";
}

/** `--name=value` flags as kubeadm's extraArgs map (a bare `--name` means "true"). */
export function flagsToExtraArgs(flags: readonly string[], component: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const f of flags) {
    const m = /^--([A-Za-z0-9][A-Za-z0-9-]*)(?:=(.*))?$/.exec(f);
    if (!m) throw new UsageError(`extra flag for ${component} must look like --name=value, got ${JSON.stringify(f)}`);
    out[m[1]!] = m[2] ?? "true";
  }
  return out;
}

/** Go duration as kube-controller-manager prints it, e.g. 180 → "3m0s". */
export function goDuration(seconds: number): string {
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = seconds % 60;
  return `${h ? `${h}h` : ""}${h || m ? `${m}m` : ""}${s}s`;
}

/**
 * The kind Cluster config for a spec: one control-plane node, no default CNI
 * and no kube-proxy (TLS bootstrap needs neither; see tools/kind), the static
 * token file on the API server, and the spec's signing duration and
 * serverTLSBootstrap as kubeadm patches. The auto-approve bindings are kind's
 * default; the provider deletes them through the API when the spec turns them
 * off, before any node joins (kubeadm has no switch to skip only them).
 */
export function renderKindConfig(i: KindConfigInput): string {
  const apiVersion = kubeadmApiVersion(i.k8sVersion);
  const { spec } = i;
  const extraMounts: object[] = [{ hostPath: i.ktcHostDir, containerPath: NODE_KTC_DIR, readOnly: true }];
  if (i.caFiles) {
    // kubeadm's certs phase uses an existing ca.crt/ca.key instead of making its own.
    extraMounts.push(
      { hostPath: i.caFiles.cert, containerPath: "/etc/kubernetes/pki/ca.crt", readOnly: true },
      { hostPath: i.caFiles.key, containerPath: "/etc/kubernetes/pki/ca.key", readOnly: true },
    );
  }
  const clusterConfiguration = {
    apiVersion,
    kind: "ClusterConfiguration",
    ...(i.etcdImageTag ? { etcd: { local: { imageTag: i.etcdImageTag } } } : {}),
    apiServer: {
      extraArgs: { "token-auth-file": NODE_TOKEN_FILE, ...flagsToExtraArgs(spec.extraFlags["kube-apiserver"] ?? [], "kube-apiserver") },
      extraVolumes: [{ name: "ktc", hostPath: NODE_KTC_DIR, mountPath: NODE_KTC_DIR, readOnly: true, pathType: "Directory" }],
    },
    controllerManager: {
      extraArgs: {
        "cluster-signing-duration": goDuration(spec.signingDurationSeconds),
        ...flagsToExtraArgs(spec.extraFlags["kube-controller-manager"] ?? [], "kube-controller-manager"),
      },
    },
  };
  const patches = [stringify(clusterConfiguration)];
  if (spec.serverTLSBootstrap) {
    patches.push(stringify({ apiVersion: "kubelet.config.k8s.io/v1beta1", kind: "KubeletConfiguration", serverTLSBootstrap: true }));
  }
  return stringify({
    kind: "Cluster",
    apiVersion: "kind.x-k8s.io/v1alpha4",
    networking: { disableDefaultCNI: true, kubeProxyMode: "none" },
    nodes: [{ role: "control-plane", extraMounts }],
    kubeadmConfigPatches: patches,
  });
}

/** Whether the spec's CA validity differs from kubeadm's own (10 years), so the harness must supply the CA. */
export function needsOwnCa(spec: ClusterSpec): boolean {
  return spec.caValiditySeconds !== defaultClusterSpec().caValiditySeconds;
}
