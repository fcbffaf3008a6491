import { existsSync } from "node:fs";

/**
 * The host's cgroup mode as the kubelet sees it: "v2" only on the unified
 * hierarchy (libcontainer's IsCgroup2UnifiedMode: /sys/fs/cgroup is cgroup2);
 * a legacy or hybrid host (cgroup v1 controllers, maybe a v2 mount under
 * /sys/fs/cgroup/unified) is "v1".
 */
export function hostCgroupVersion(): "v1" | "v2" {
  return existsSync("/sys/fs/cgroup/cgroup.controllers") ? "v2" : "v1";
}

/**
 * What every kubelet the harness starts needs in its KubeletConfiguration on
 * this host. From 1.35 `failCgroupV1` defaults to true (KEP-5573,
 * pkg/kubelet/apis/config/v1beta1/defaults.go) and the kubelet refuses to start
 * on a cgroup v1 host (validation_linux.go); the v1 code itself is still there
 * through 1.38. On cgroup v2 nothing is set, so nothing is weakened there.
 */
export function cgroupV1KubeletSettings(host = hostCgroupVersion()): { failCgroupV1?: false } {
  return host === "v1" ? { failCgroupV1: false } : {};
}
