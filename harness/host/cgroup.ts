import { existsSync } from "node:fs";
import { compareVersions } from "../binaries/pinned-version";

export type CgroupVersion = "v1" | "v2";

/**
 * The host's cgroup mode as the kubelet sees it: "v2" only on the unified
 * hierarchy (libcontainer's IsCgroup2UnifiedMode: /sys/fs/cgroup is cgroup2);
 * a legacy or hybrid host (cgroup v1 controllers, maybe a v2 mount under
 * /sys/fs/cgroup/unified) is "v1". kind's nodes share the host's kernel and
 * hierarchy, so it is theirs too.
 */
export function hostCgroupVersion(): CgroupVersion {
  return existsSync("/sys/fs/cgroup/cgroup.controllers") ? "v2" : "v1";
}

/**
 * The KubeletConfiguration fields a kubelet of this release needs on a host of
 * this cgroup mode, and nothing more. From 1.35 `failCgroupV1` defaults to
 * true (pkg/kubelet/apis/config/v1beta1/defaults.go, KEP-5573) and the kubelet
 * refuses to start on a cgroup v1 host (validation/validation_linux.go); the
 * v1 code itself is still there through 1.38. kubeadm does not set it and kind
 * only warns (create/create.go), so the harness does, for every kubelet it
 * starts, on cgroup v1 only: a cgroup v2 host keeps the default.
 * `kubeletVersion` is "v1.36.3" or `kubelet --version`'s "Kubernetes v1.36.3".
 */
export function cgroupKubeletFields(kubeletVersion: string, host: CgroupVersion = hostCgroupVersion()): { failCgroupV1?: false } {
  // An unknown version gets the setting: it is the default before 1.35 anyway.
  const version = kubeletVersion.split(" ").pop() ?? "";
  const older = /^v\d+\.\d+\.\d+/.test(version) && compareVersions(version, "v1.35.0") < 0;
  return host === "v1" && !older ? { failCgroupV1: false } : {};
}
