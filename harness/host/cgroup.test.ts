import { describe, expect, it } from "@jest/globals";
import { cgroupV1KubeletSettings } from "./cgroup";

describe("kubelet settings for the host's cgroup mode", () => {
  it("lets 1.35+ kubelets start on cgroup v1 and leaves cgroup v2 hosts at the defaults", () => {
    expect(cgroupV1KubeletSettings("v1")).toEqual({ failCgroupV1: false });
    expect(cgroupV1KubeletSettings("v2")).toEqual({});
  });
});
