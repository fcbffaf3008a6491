import { existsSync } from "node:fs";
import { minorOf } from "./kubeadm-api";

export type CgroupVersion = "v1" | "v2";

/**
 * The host's cgroup version. kind's nodes share the host's kernel and
 * hierarchy, so it is also theirs (kind's entrypoint reads the same file).
 */
export function hostCgroupVersion(): CgroupVersion {
  return existsSync("/sys/fs/cgroup/cgroup.controllers") ? "v2" : "v1";
}

/**
 * The KubeletConfiguration fields a kubelet of this release needs on a host of
 * this cgroup version, and nothing more: from 1.35 `failCgroupV1` defaults to
 * true (pkg/kubelet/apis/config/v1beta1/defaults.go, KEP-5573) and the kubelet
 * refuses to start on a cgroup v1 host (validation/validation_linux.go).
 * kubeadm does not set it and kind only warns (create/create.go), so the
 * harness does, on cgroup v1 only; a cgroup v2 host keeps the default.
 */
export function cgroupKubeletFields(k8sVersion: string, cgroup: CgroupVersion): { failCgroupV1?: false } {
  return cgroup === "v1" && minorOf(k8sVersion) >= 35 ? { failCgroupV1: false } : {};
}
