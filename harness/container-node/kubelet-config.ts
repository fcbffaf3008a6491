import type { CoreV1Api } from "@kubernetes/client-node";
import { parse, stringify } from "yaml";
import { apiStatus } from "../kube/clients";
import { cgroupKubeletFields, type CgroupVersion } from "../host/cgroup";
import { KUBEADM_NODE_PATHS } from "./node";

export const CONTAINERD_SOCKET = "unix:///run/containerd/containerd.sock";

/** kubeadm-flags.env as `kubeadm join` writes it, plus the spec's extra kubelet flags. */
export function kubeletFlagsEnv(extraFlags: readonly string[]): string {
  return `KUBELET_KUBEADM_ARGS="${[`--container-runtime-endpoint=${CONTAINERD_SOCKET}`, ...extraFlags].join(" ")}"\n`;
}

/**
 * The KubeletConfiguration kubeadm uploads for a cluster of its defaults
 * (cmd/kubeadm/app/componentconfigs/kubelet.go Default): what a node container
 * joins a cluster with that has no kube-system/kubelet-config ConfigMap (one
 * kubeadm did not make). Client certificates verified against the CA file the
 * join writes, webhook authentication and authorization, the systemd cgroup
 * driver of kind's node image.
 */
export const KUBEADM_DEFAULT_KUBELET_CONFIG = {
  apiVersion: "kubelet.config.k8s.io/v1beta1",
  kind: "KubeletConfiguration",
  authentication: { anonymous: { enabled: false }, webhook: { enabled: true }, x509: { clientCAFile: KUBEADM_NODE_PATHS.caFile } },
  authorization: { mode: "Webhook" },
  cgroupDriver: "systemd",
  healthzBindAddress: "127.0.0.1",
  healthzPort: 10248,
  rotateCertificates: true,
  staticPodPath: "/etc/kubernetes/manifests",
};

/**
 * The kubelet configuration a joining node gets: kubeadm's kubelet-config
 * ConfigMap (what `kubeadm join` downloads), with the node's serverTLSBootstrap
 * and, on a cgroup v1 host from 1.35, failCgroupV1: false (harness/host/cgroup.ts). The
 * ConfigMap already carries it from the control plane's patch; setting it here
 * too keeps joined kubelets starting on clusters made from another config.
 */
export function joinKubeletConfig(configMapData: string, o: { serverTLSBootstrap: boolean; k8sVersion: string; hostCgroup: CgroupVersion }): string {
  const cfg = parse(configMapData) as Record<string, unknown>;
  return stringify({ ...cfg, serverTLSBootstrap: o.serverTLSBootstrap, ...cgroupKubeletFields(o.k8sVersion, o.hostCgroup) });
}

/** The cluster's kubelet-config ConfigMap (kubeadm's, what `kubeadm join` downloads), or kubeadm's defaults when the cluster has none. */
export async function clusterKubeletConfig(core: CoreV1Api): Promise<string> {
  try {
    const cm = await core.readNamespacedConfigMap({ name: "kubelet-config", namespace: "kube-system" });
    if (cm.data?.kubelet) return cm.data.kubelet;
  } catch (err) {
    if (apiStatus(err) !== 404) throw err;
  }
  return stringify(KUBEADM_DEFAULT_KUBELET_CONFIG);
}
