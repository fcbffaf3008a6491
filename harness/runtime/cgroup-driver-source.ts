import { ProvisionError } from "../errors";

/**
 * Where a kubelet took its cgroup driver from, as its log says. The kubelet
 * asks the runtime through the CRI RuntimeConfig call; a runtime without it
 * (containerd 1.x) makes the kubelet fall back to its own config and log a
 * deprecation line, and kubelet 1.38 drops that fallback. Both lines are
 * cmd/kubelet/app/server.go getCgroupDriverFromCRI, the same text in
 * v1.34.4, v1.35.4, v1.36.3 and v1.37.2.
 */
export const RUNTIME_CONFIG_FALLBACK = "CRI implementation should be updated to support RuntimeConfig";
export const CGROUP_DRIVER_FROM_RUNTIME = "Using cgroup driver setting received from the CRI runtime";

export type CgroupDriverSource = { from: "runtime" | "fallback"; line: string };

/** The line that tells, or undefined while the kubelet has not got that far. */
export function cgroupDriverSource(kubeletLog: string): CgroupDriverSource | undefined {
  for (const line of kubeletLog.split("\n")) {
    if (line.includes(RUNTIME_CONFIG_FALLBACK)) return { from: "fallback", line };
    if (line.includes(CGROUP_DRIVER_FROM_RUNTIME)) return { from: "runtime", line };
  }
  return undefined;
}

/**
 * The verdict on that line: a harness error when the kubelet fell back although
 * its runtime implements RuntimeConfig (our containerd 2: the node would not
 * run a kubelet 1.38), else the console line saying which path it took, in the
 * kubelet's own words. Shared by the providers (kind nodes log the same lines).
 */
export function judgeCgroupDriverSource(
  seen: CgroupDriverSource,
  o: { node: string; runtimeConfigExpected: boolean; containerd: string; containerdLog: string },
): string {
  if (seen.from === "fallback" && o.runtimeConfigExpected) {
    throw new ProvisionError(`the kubelet of node ${o.node} fell back to its own cgroup driver: its runtime did not answer RuntimeConfig\n${seen.line}`, {
      hint: `the node runtime should be containerd 2 (${o.containerd}); see ${o.containerdLog}`,
    });
  }
  const words = seen.line.replace(/^.*?\] /, "");
  return `node ${o.node}: cgroup driver ${seen.from === "runtime" ? "from the runtime" : "from the kubelet config (fallback)"}: ${words}`;
}
