import { stringify } from "yaml";
import type { ClusterSpec } from "../spec";
import { defaultClusterSpec } from "../spec";
import { cgroupKubeletFields, type CgroupVersion } from "../../host/cgroup";
import { extraArgs, kubeadmApiVersion, parseFlags } from "./kubeadm-api";

/** Where the control-plane node sees the harness's files (token file, CA). */
export const NODE_KTC_DIR = "/etc/kubernetes/ktc";
export const NODE_TOKEN_FILE = `${NODE_KTC_DIR}/tokens.csv`;

export interface KindConfigInput {
  spec: ClusterSpec;
  /** Release of the node image, e.g. v1.37.2: selects the kubeadm API version kind generates. */
  k8sVersion: string;
  /** The host's cgroup version: on v1, kubelets from 1.35 need failCgroupV1: false. */
  hostCgroup: CgroupVersion;
  /** Host directory holding tokens.csv, mounted read-only at NODE_KTC_DIR on the control plane. */
  ktcHostDir: string;
  /** Host paths of a CA made by the harness, when the spec wants a CA validity kubeadm does not make. */
  caFiles?: { cert: string; key: string };
  /** The etcd image tag the node image carries (label io.ktc.etcd-tag), when it differs from kubeadm's default. */
  etcdImageTag?: string;
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
 * token file on the API server, and the spec's signing duration as a kubeadm
 * patch. The auto-approve bindings are kind's
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
  const flags = (component: "kube-apiserver" | "kube-controller-manager") => parseFlags(spec.extraFlags[component] ?? [], component);
  const clusterConfiguration = {
    apiVersion,
    kind: "ClusterConfiguration",
    ...(i.etcdImageTag ? { etcd: { local: { imageTag: i.etcdImageTag } } } : {}),
    apiServer: {
      extraArgs: extraArgs(apiVersion, [["token-auth-file", NODE_TOKEN_FILE], ...flags("kube-apiserver")]),
      extraVolumes: [{ name: "ktc", hostPath: NODE_KTC_DIR, mountPath: NODE_KTC_DIR, readOnly: true, pathType: "Directory" }],
    },
    controllerManager: {
      extraArgs: extraArgs(apiVersion, [["cluster-signing-duration", goDuration(spec.signingDurationSeconds)], ...flags("kube-controller-manager")]),
    },
  };
  const patches = [stringify(clusterConfiguration)];
  // kubeadm init uploads this KubeletConfiguration as the kubelet-config
  // ConfigMap, which joined nodes start from (container-node/kubelet-config.ts joinKubeletConfig).
  // serverTLSBootstrap is a joined node's own (NodeSpec), never the control plane's.
  const kubelet = cgroupKubeletFields(i.k8sVersion, i.hostCgroup);
  if (Object.keys(kubelet).length) {
    patches.push(stringify({ apiVersion: "kubelet.config.k8s.io/v1beta1", kind: "KubeletConfiguration", ...kubelet }));
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
