import { describe, expect, it } from "@jest/globals";
import { containerdConfig, containerdConfigVersion } from "./containerd-config";
import { nodeLayout } from "./node-config";

const layout = nodeLayout("/tmp/ktc/r/c0/nodes/n1");
const built = { containerdVersion: "2.3.4", shim: "/cache/bin/containerd-shim-runc-v2", runc: "/cache/bin/runc" };

/** The lines of one [table] of the rendered TOML, up to the next table. */
function table(toml: string, header: string): string[] {
  const lines = toml.split("\n");
  const start = lines.indexOf(header);
  if (start < 0) throw new Error(`no ${header} in:\n${toml}`);
  const rest = lines.slice(start + 1);
  const end = rest.findIndex((l) => l.startsWith("["));
  return (end < 0 ? rest : rest.slice(0, end)).map((l) => l.trim()).filter(Boolean);
}

describe("containerd configuration", () => {
  it("takes the config version each containerd reads without migrating", () => {
    expect(containerdConfigVersion("1.6.20~ds1")).toBe(2);
    expect(containerdConfigVersion("2.0.7")).toBe(3);
    expect(containerdConfigVersion("2.2.9")).toBe(3);
    expect(containerdConfigVersion("2.3.4")).toBe(4);
    expect(containerdConfigVersion("2.4.2")).toBe(4);
  });

  it("puts the CRI settings under io.containerd.cri.v1.runtime and the listeners in server plugins for containerd 2.3", () => {
    const toml = containerdConfig(layout, built);
    expect(toml.split("\n")[0]).toBe("version = 4");
    expect(toml).not.toContain("io.containerd.grpc.v1.cri");
    expect(table(toml, '[plugins."io.containerd.server.v1.grpc"]')).toEqual([`address = "${layout.containerdSocket}"`]);
    expect(table(toml, '[plugins."io.containerd.server.v1.ttrpc"]')).toEqual([`address = "${layout.containerdSocket}.ttrpc"`]);
    expect(table(toml, '[plugins."io.containerd.cri.v1.runtime".cni]')).toEqual(['bin_dirs = ["/usr/lib/cni"]', `conf_dir = "${layout.dir}/cni/net.d"`]);
    expect(table(toml, '[plugins."io.containerd.cri.v1.runtime".containerd]')).toEqual(['default_runtime_name = "runc"']);
  });

  it("runs the very shim and runc it was given, with cgroupfs, which RuntimeConfig reports to the kubelet", () => {
    const toml = containerdConfig(layout, built);
    expect(table(toml, '[plugins."io.containerd.cri.v1.runtime".containerd.runtimes.runc]')).toEqual([
      'runtime_type = "io.containerd.runc.v2"',
      `runtime_path = "${built.shim}"`,
    ]);
    expect(table(toml, '[plugins."io.containerd.cri.v1.runtime".containerd.runtimes.runc.options]')).toEqual([
      `BinaryName = "${built.runc}"`,
      "SystemdCgroup = false",
    ]);
  });

  it("writes version 3 with [grpc]/[ttrpc] for containerd 2.0-2.2", () => {
    const toml = containerdConfig(layout, { ...built, containerdVersion: "2.2.9" });
    expect(toml.split("\n")[0]).toBe("version = 3");
    expect(table(toml, "[grpc]")).toEqual([`address = "${layout.containerdSocket}"`]);
    expect(table(toml, '[plugins."io.containerd.cri.v1.runtime".containerd.runtimes.runc.options]')).toContain(`BinaryName = "${built.runc}"`);
  });

  it("keeps version 2 and io.containerd.grpc.v1.cri for a containerd 1.x the user asks for", () => {
    const toml = containerdConfig(layout, { ...built, containerdVersion: "1.6.20~ds1" });
    expect(toml.split("\n")[0]).toBe("version = 2");
    expect(toml).not.toContain("io.containerd.cri.v1");
    expect(table(toml, "[grpc]")).toEqual([`address = "${layout.containerdSocket}"`]);
    expect(table(toml, '[plugins."io.containerd.grpc.v1.cri".cni]')).toContain('bin_dir = "/usr/lib/cni"');
    expect(table(toml, '[plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc.options]')).toContain(`BinaryName = "${built.runc}"`);
  });

  it("confines containerd to the node's directory and a socket path short enough for unix sockets", () => {
    const toml = containerdConfig(layout, built);
    expect(toml).toContain(`root = "${layout.dir}/containerd/root"`);
    expect(toml).toContain(`state = "${layout.dir}/containerd/state"`);
    expect(table(toml, '[plugins."io.containerd.internal.v1.opt"]')).toEqual([`path = "${layout.dir}/containerd/opt"`]);
    expect(Buffer.byteLength(layout.containerdSocket + ".ttrpc")).toBeLessThan(108);
  });

  it("turns NRI off: its socket is one path for the whole host", () => {
    expect(containerdConfig(layout, built)).toMatch(/^disabled_plugins = \[.*"io\.containerd\.nri\.v1\.nri".*\]$/m);
  });
});
