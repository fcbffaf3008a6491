import { describe, expect, it } from "@jest/globals";
import { ProvisionError } from "../errors";
import { cgroupDriverSource, judgeCgroupDriverSource } from "./cgroup-driver-source";

// Lines as kubelet v1.37.2 logs them (klog text format, --v=2).
const fromRuntime = 'I1129 11:02:03.123456   4242 server.go:1505] "Using cgroup driver setting received from the CRI runtime" cgroupDriver="cgroupfs"';
const fallback =
  'I1129 11:02:03.123456   4242 server.go:1479] "CRI implementation should be updated to support RuntimeConfig. Falling back to using cgroupDriver from kubelet config."';

describe("cgroup driver source in the kubelet log", () => {
  it("is the runtime when the kubelet took the driver from RuntimeConfig", () => {
    expect(cgroupDriverSource(`I1129 starting\n${fromRuntime}\nI1129 more`)).toEqual({ from: "runtime", line: fromRuntime });
  });

  it("is the fallback when the runtime lacks RuntimeConfig", () => {
    expect(cgroupDriverSource(`I1129 starting\n${fallback}\n`)).toEqual({ from: "fallback", line: fallback });
  });

  it("is unknown until the kubelet gets that far", () => {
    expect(cgroupDriverSource('I1129 11:02:03.0 4242 server.go:530] "Kubelet version" kubeletVersion="v1.37.2"\n')).toBeUndefined();
  });
});

describe("judging the cgroup driver source", () => {
  const o = { node: "n1", containerd: "/cache/bin/containerd", containerdLog: "/run/n1/logs/containerd.log" };

  it("fails the node start when the kubelet fell back although the runtime implements RuntimeConfig", () => {
    expect(() => judgeCgroupDriverSource({ from: "fallback", line: fallback }, { ...o, runtimeConfigExpected: true })).toThrow(ProvisionError);
    expect(() => judgeCgroupDriverSource({ from: "fallback", line: fallback }, { ...o, runtimeConfigExpected: true })).toThrow(/fell back to its own cgroup driver/);
  });

  it("accepts the fallback only for a containerd 1.x the user asked for", () => {
    expect(judgeCgroupDriverSource({ from: "fallback", line: fallback }, { ...o, runtimeConfigExpected: false })).toContain("from the kubelet config (fallback)");
  });

  it("says the driver came from the runtime, in the kubelet's words", () => {
    expect(judgeCgroupDriverSource({ from: "runtime", line: fromRuntime }, { ...o, runtimeConfigExpected: true })).toBe(
      'node n1: cgroup driver from the runtime: "Using cgroup driver setting received from the CRI runtime" cgroupDriver="cgroupfs"',
    );
  });
});
