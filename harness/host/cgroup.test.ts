import { describe, expect, it } from "@jest/globals";
import { cgroupKubeletFields } from "./cgroup";

describe("kubelet settings for the host's cgroup mode", () => {
  it("lets 1.35+ kubelets start on cgroup v1 and leaves cgroup v2 hosts and older kubelets at the defaults", () => {
    expect(cgroupKubeletFields("v1.36.3", "v1")).toEqual({ failCgroupV1: false });
    expect(cgroupKubeletFields("Kubernetes v1.37.2", "v1")).toEqual({ failCgroupV1: false });
    expect(cgroupKubeletFields("v1.36.3", "v2")).toEqual({});
    expect(cgroupKubeletFields("v1.34.4", "v1")).toEqual({});
  });
});
