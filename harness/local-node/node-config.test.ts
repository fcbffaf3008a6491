import { describe, expect, it } from "@jest/globals";
import { parse } from "yaml";
import { kubeletArgv, kubeletConfiguration, nodeLayout } from "./node-config";
import { cgroupKubeletFields } from "../host/cgroup";

const layout = nodeLayout("/tmp/ktc/r/c0/nodes/n1");

describe("kubelet configuration", () => {
  it("rotates client certificates and follows the node's serverTLSBootstrap", () => {
    const cfg = parse(kubeletConfiguration({ layout, kubeletVersion: "Kubernetes v1.37.2", address: "10.213.20.10", serverTLSBootstrap: true }));
    expect(cfg).toMatchObject({
      kind: "KubeletConfiguration",
      rotateCertificates: true,
      serverTLSBootstrap: true,
      address: "10.213.20.10",
      containerRuntimeEndpoint: `unix://${layout.containerdSocket}`,
      authentication: { x509: { clientCAFile: layout.clientCaFile }, anonymous: { enabled: false } },
    });
  });

  it("runs on a shared cgroup v1 host: no QoS cgroups, so nothing to enforce, cgroupfs, swap tolerated", () => {
    const cfg = parse(kubeletConfiguration({ layout, kubeletVersion: "Kubernetes v1.37.2", address: "10.0.0.1", serverTLSBootstrap: false }));
    expect(cfg).toMatchObject({ cgroupsPerQOS: false, enforceNodeAllocatable: [], cgroupDriver: "cgroupfs", failSwapOn: false, ...cgroupKubeletFields("v1.37.2") });
  });

  it("starts with a bootstrap kubeconfig and a --kubeconfig path that does not exist yet", () => {
    const argv = kubeletArgv("/bin/kubelet", { layout, nodeName: "n1", address: "10.0.0.1", extraFlags: [] });
    expect(argv).toEqual(
      expect.arrayContaining([
        `--bootstrap-kubeconfig=${layout.bootstrapKubeconfig}`,
        `--kubeconfig=${layout.kubeconfig}`,
        `--cert-dir=${layout.certDir}`,
        "--hostname-override=n1",
      ]),
    );
  });
});
