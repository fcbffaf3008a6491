import { stringify } from "yaml";
import { cgroupV1KubeletSettings } from "../../host/cgroup";

/** Files and sockets of one binary-provider node, all under its own directory. */
export interface NodeLayout {
  dir: string;
  rootDir: string;
  certDir: string;
  kubeconfig: string;
  bootstrapKubeconfig: string;
  kubeletConfig: string;
  caFile: string;
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
    containerdConfig: `${dir}/containerd/config.toml`,
    containerdSocket: `${dir}/containerd/containerd.sock`,
    podLogsDir: `${dir}/pod-logs`,
  };
}

/**
 * KubeletConfiguration for a kubelet that shares a cgroup v1 host with other
 * kubelets: no per-QoS cgroup tree (it would be shared by all nodes), hence no
 * node-allocatable enforcement, which requires it (validation.go); cgroupfs to
 * match containerd 1.6's runc default; swap tolerated.
 */
export function kubeletConfiguration(o: {
  layout: NodeLayout;
  address: string;
  serverTLSBootstrap: boolean;
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
      x509: { clientCAFile: o.layout.caFile },
    },
    authorization: { mode: "Webhook" },
    rotateCertificates: true,
    serverTLSBootstrap: o.serverTLSBootstrap,
    containerRuntimeEndpoint: `unix://${o.layout.containerdSocket}`,
    cgroupDriver: "cgroupfs",
    cgroupsPerQOS: false,
    enforceNodeAllocatable: [],
    failSwapOn: false,
    ...cgroupV1KubeletSettings(),
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

/** containerd 1.6 config (version 2 schema) confined to the node's directory. */
export function containerdConfig(layout: NodeLayout): string {
  const q = (s: string) => JSON.stringify(s);
  return [
    "version = 2",
    `root = ${q(`${layout.dir}/containerd/root`)}`,
    `state = ${q(`${layout.dir}/containerd/state`)}`,
    'disabled_plugins = ["io.containerd.snapshotter.v1.aufs", "io.containerd.snapshotter.v1.btrfs", "io.containerd.snapshotter.v1.zfs", "io.containerd.snapshotter.v1.devmapper", "io.containerd.tracing.processor.v1.otlp"]',
    "[grpc]",
    `  address = ${q(layout.containerdSocket)}`,
    "[ttrpc]",
    `  address = ${q(`${layout.containerdSocket}.ttrpc`)}`,
    '[plugins."io.containerd.internal.v1.opt"]',
    `  path = ${q(`${layout.dir}/containerd/opt`)}`,
    '[plugins."io.containerd.grpc.v1.cri"]',
    "  enable_cdi = false",
    '[plugins."io.containerd.grpc.v1.cri".cni]',
    '  bin_dir = "/usr/lib/cni"',
    `  conf_dir = ${q(`${layout.dir}/cni/net.d`)}`,
    '[plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc]',
    '  runtime_type = "io.containerd.runc.v2"',
    "",
  ].join("\n");
}
