import type { NodeRuntime } from "../runtime/node-runtime";
import type { NodeLayout } from "./node-config";

/**
 * Plugins no binary node uses. NRI is off because its socket is one path for
 * the whole host (/var/run/nri/nri.sock), which every node's containerd (and
 * other runs') would fight over; the snapshotters are never selected.
 */
const DISABLED_PLUGINS = [
  "io.containerd.nri.v1.nri",
  "io.containerd.snapshotter.v1.aufs",
  "io.containerd.snapshotter.v1.btrfs",
  "io.containerd.snapshotter.v1.zfs",
  "io.containerd.snapshotter.v1.devmapper",
  "io.containerd.tracing.processor.v1.otlp",
];

/**
 * The config version a containerd reads without migrating it (and logging a
 * warning about that): 2 for 1.x, 3 for 2.0-2.2, 4 from 2.3, where the
 * listeners moved from [grpc]/[ttrpc] into server plugins
 * (cmd/containerd/server/config/config.go `migrations`, serviceMigrate).
 */
export function containerdConfigVersion(containerdVersion: string): 2 | 3 | 4 {
  const [major, minor] = containerdVersion.split(".").map((n) => parseInt(n, 10));
  if (!major || major < 2) return 2;
  return major === 2 && (minor ?? 0) < 3 ? 3 : 4;
}

/**
 * containerd's config for one node, confined to the node's directory (root,
 * state, sockets, opt, CNI config), naming the very shim and runc it runs so
 * no PATH lookup picks the host's. From version 3 (containerd 2) the CRI
 * settings live in the `io.containerd.cri.v1.runtime` plugin
 * (plugins/cri/runtime/plugin.go); version 2 (containerd 1.x, only when the
 * user asks for it with KTC_CONTAINERD_BIN) has them in `io.containerd.grpc.v1.cri`.
 *
 * runc's SystemdCgroup = false: the kubelets run outside systemd units and
 * share one host, so cgroupfs. containerd 2 answers the kubelet's
 * RuntimeConfig call with it (internal/cri/server/runtime_config_linux.go),
 * and the kubelet takes its cgroup driver from there.
 */
export function containerdConfig(layout: NodeLayout, runtime: Pick<NodeRuntime, "containerdVersion" | "shim" | "runc">): string {
  const q = (s: string) => JSON.stringify(s);
  const version = containerdConfigVersion(runtime.containerdVersion);
  const cri = version === 2 ? '"io.containerd.grpc.v1.cri"' : '"io.containerd.cri.v1.runtime"';
  const listeners =
    version === 4
      ? ['[plugins."io.containerd.server.v1.grpc"]', '[plugins."io.containerd.server.v1.ttrpc"]']
      : ["[grpc]", "[ttrpc]"];
  return [
    `version = ${version}`,
    `root = ${q(`${layout.dir}/containerd/root`)}`,
    `state = ${q(`${layout.dir}/containerd/state`)}`,
    `disabled_plugins = [${DISABLED_PLUGINS.map(q).join(", ")}]`,
    listeners[0],
    `  address = ${q(layout.containerdSocket)}`,
    listeners[1],
    `  address = ${q(`${layout.containerdSocket}.ttrpc`)}`,
    '[plugins."io.containerd.internal.v1.opt"]',
    `  path = ${q(`${layout.dir}/containerd/opt`)}`,
    `[plugins.${cri}]`,
    "  enable_cdi = false",
    `[plugins.${cri}.cni]`,
    // bin_dirs from 2.1 (bin_dir deprecated there); 2.0 and 1.x know only bin_dir.
    version === 4 ? '  bin_dirs = ["/usr/lib/cni"]' : '  bin_dir = "/usr/lib/cni"',
    `  conf_dir = ${q(`${layout.dir}/cni/net.d`)}`,
    `[plugins.${cri}.containerd]`,
    '  default_runtime_name = "runc"',
    `[plugins.${cri}.containerd.runtimes.runc]`,
    '  runtime_type = "io.containerd.runc.v2"',
    `  runtime_path = ${q(runtime.shim)}`,
    `[plugins.${cri}.containerd.runtimes.runc.options]`,
    `  BinaryName = ${q(runtime.runc)}`,
    "  SystemdCgroup = false",
    "",
  ].join("\n");
}
