import { describe, expect, it } from "@jest/globals";
import { cgroupDriverSource } from "./cgroup-driver-source";

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
