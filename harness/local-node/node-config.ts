import { stringify } from "yaml";
import { cgroupKubeletFields } from "../host/cgroup";

/** Files and sockets of one binary-provider node, all under its own directory. */
export interface NodeLayout {
  dir: string;
  rootDir: string;
  certDir: string;
  kubeconfig: string;
  bootstrapKubeconfig: string;
  kubeletConfig: string;
  /** The CA bundle the bootstrap kubeconfig verifies the API server with. */
  caFile: string;
  /** The CA bundle the kubelet verifies client certificates with (authentication.x509.clientCAFile). */
  clientCaFile: string;
  containerdConfig: string;
  containerdSocket: string;
  podLogsDir: string;
}

export function nodeLayout(dir: string): NodeLayout {
  return {
    dir,
    rootDir: `${dir}/kubelet`,
    certDir: `${dir}/kubelet/pki`,
    kubeconfig: `${dir}/kubelet.kubeconfig`,
    bootstrapKubeconfig: `${dir}/bootstrap-kubelet.kubeconfig`,
    kubeletConfig: `${dir}/kubelet-config.yaml`,
    caFile: `${dir}/ca.crt`,
    clientCaFile: `${dir}/client-ca.crt`,
    containerdConfig: `${dir}/containerd/config.toml`,
    containerdSocket: `${dir}/containerd/containerd.sock`,
    podLogsDir: `${dir}/pod-logs`,
  };
}

/**
 * KubeletConfiguration for a kubelet that shares a cgroup v1 host with other
 * kubelets: no per-QoS cgroup tree (it would be shared by all nodes), hence no
 * node-allocatable enforcement, which requires it (validation.go); cgroupfs,
 * which containerd 2 reports through the CRI RuntimeConfig call and the kubelet
 * takes from there (the setting here is only for a containerd 1.x a user asks
 * for, which lacks that call: containerd-config.ts); swap tolerated.
 */
export function kubeletConfiguration(o: {
  layout: NodeLayout;
  address: string;
  serverTLSBootstrap: boolean;
  /** `kubelet --version`: from 1.35 a cgroup v1 host needs failCgroupV1: false. */
  kubeletVersion: string;
  /** A serving pair given by flags instead of the self-signed kubelet.crt (a negative control). */
  servingPair?: { cert: string; key: string };
}): string {
  return stringify({
    apiVersion: "kubelet.config.k8s.io/v1beta1",
    kind: "KubeletConfiguration",
    address: o.address,
    port: 10250,
    readOnlyPort: 0,
    // On the node address, so the harness on the host can probe it.
    healthzBindAddress: o.address,
    healthzPort: 10248,
    authentication: {
      anonymous: { enabled: false },
      webhook: { enabled: true },
      x509: { clientCAFile: o.layout.clientCaFile },
    },
    authorization: { mode: "Webhook" },
    rotateCertificates: true,
    serverTLSBootstrap: o.serverTLSBootstrap,
    containerRuntimeEndpoint: `unix://${o.layout.containerdSocket}`,
    cgroupDriver: "cgroupfs",
    cgroupsPerQOS: false,
    enforceNodeAllocatable: [],
    failSwapOn: false,
    ...cgroupKubeletFields(o.kubeletVersion),
    podLogsDir: o.layout.podLogsDir,
    ...(o.servingPair ? { tlsCertFile: o.servingPair.cert, tlsPrivateKeyFile: o.servingPair.key } : {}),
    imageGCHighThresholdPercent: 100,
    evictionHard: { "nodefs.available": "0%", "nodefs.inodesFree": "0%", "imagefs.available": "0%" },
  });
}

export function kubeletArgv(bin: string, o: { layout: NodeLayout; nodeName: string; address: string; extraFlags: string[] }): string[] {
  return [
    bin,
    `--config=${o.layout.kubeletConfig}`,
    `--bootstrap-kubeconfig=${o.layout.bootstrapKubeconfig}`,
    `--kubeconfig=${o.layout.kubeconfig}`,
    `--cert-dir=${o.layout.certDir}`,
    `--root-dir=${o.layout.rootDir}`,
    `--hostname-override=${o.nodeName}`,
    `--node-ip=${o.address}`,
    "--v=2",
    ...o.extraFlags,
  ];
}
