import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "@jest/globals";
import type { StartedTestContainer } from "testcontainers";
import { parse, parseAllDocuments } from "yaml";
import { REPO_ROOT } from "../../binaries/layout";
import { defaultClusterSpec } from "../spec";
import { joinKubeletConfig, kubeletFlagsEnv } from "../../container-node/kubelet-config";
import { cgroupKubeletFields } from "../../host/cgroup";
import { cataloguePath, CATALOGUE_K8S_VERSIONS, KIND_CONFIG_CATALOGUE, renderCatalogueFile } from "./config-catalogue";
import { createClusterArgv, deleteClusterArgv, exportLogsArgv, kindEnv } from "./kind-cli";
import { goDuration, NODE_TOKEN_FILE, renderKindConfig, type KindConfigInput } from "./kind-config";
import { extraArgs, kubeadmApiVersion, parseFlags } from "./kubeadm-api";
import { startJoinedKubelet } from "../../container-node/kubelet-start";
import { parseFindLine } from "../../container-node/node";
import { toolBuildArgv } from "./kind-tools";
import { isHarnessNodeImage, nodeImageTag } from "./node-image";

type KindConfig = {
  kind: string;
  apiVersion: string;
  networking: Record<string, unknown>;
  nodes: { role: string; extraMounts: { hostPath: string; containerPath: string; readOnly: boolean }[] }[];
  kubeadmConfigPatches: string[];
};

type Extra = Partial<Omit<KindConfigInput, "spec" | "ktcHostDir">>;
/** v1.35.4 on a cgroup v2 host unless `extra` says otherwise. */
const render = (o: Parameters<typeof defaultClusterSpec>[0] = {}, extra: Extra = {}) =>
  parse(renderKindConfig({ spec: defaultClusterSpec({ bindingStyle: "kubeadm", ...o }), k8sVersion: "v1.35.4", hostCgroup: "v2", ktcHostDir: "/r/c0/ktc", ...extra })) as KindConfig;
const v1beta4 = { k8sVersion: "v1.37.2" };

const patch = (cfg: KindConfig, kind: string) =>
  cfg.kubeadmConfigPatches.map((p) => parse(p) as Record<string, any>).find((p) => p.kind === kind); // eslint-disable-line @typescript-eslint/no-explicit-any

describe("kind cluster config rendering", () => {
  it("one control-plane node, no default CNI, no kube-proxy, the harness's directory mounted read-only", () => {
    const cfg = render();
    expect(cfg.kind).toBe("Cluster");
    expect(cfg.apiVersion).toBe("kind.x-k8s.io/v1alpha4");
    expect(cfg.networking).toEqual({ disableDefaultCNI: true, kubeProxyMode: "none" });
    expect(cfg.nodes).toEqual([{ role: "control-plane", extraMounts: [{ hostPath: "/r/c0/ktc", containerPath: "/etc/kubernetes/ktc", readOnly: true }] }]);
  });

  it("kubeadm's API is the one kind v0.33 writes: v1beta3 for 1.35, v1beta4 from 1.36 (pkg/cluster/internal/kubeadm/config.go)", () => {
    expect(["v1.23.0", "v1.35.4", "v1.36.0", "v1.36.3", "v1.37.2"].map(kubeadmApiVersion)).toEqual([
      "kubeadm.k8s.io/v1beta3", "kubeadm.k8s.io/v1beta3", "kubeadm.k8s.io/v1beta4", "kubeadm.k8s.io/v1beta4", "kubeadm.k8s.io/v1beta4",
    ]);
    expect(patch(render(), "ClusterConfiguration")!.apiVersion).toBe("kubeadm.k8s.io/v1beta3");
    expect(patch(render({}, v1beta4), "ClusterConfiguration")!.apiVersion).toBe("kubeadm.k8s.io/v1beta4");
  });

  it("the API server reads the static token file through a hostPath volume, extraArgs a map in v1beta3 and a name/value list in v1beta4", () => {
    const volumes = [{ name: "ktc", hostPath: "/etc/kubernetes/ktc", mountPath: "/etc/kubernetes/ktc", readOnly: true, pathType: "Directory" }];
    const b3 = patch(render(), "ClusterConfiguration")!;
    expect(b3.apiServer.extraArgs).toEqual({ "token-auth-file": NODE_TOKEN_FILE });
    expect(b3.apiServer.extraVolumes).toEqual(volumes);
    const b4 = patch(render({}, v1beta4), "ClusterConfiguration")!;
    expect(b4.apiServer.extraArgs).toEqual([{ name: "token-auth-file", value: NODE_TOKEN_FILE }]);
    expect(b4.apiServer.extraVolumes).toEqual(volumes);
  });

  it("the signing duration goes to kube-controller-manager as a Go duration", () => {
    expect(patch(render({ signingDurationSeconds: 180 }), "ClusterConfiguration")!.controllerManager.extraArgs).toEqual({ "cluster-signing-duration": "3m0s" });
    expect(patch(render(), "ClusterConfiguration")!.controllerManager.extraArgs["cluster-signing-duration"]).toBe("8760h0m0s");
    expect(patch(render({ signingDurationSeconds: 180 }, v1beta4), "ClusterConfiguration")!.controllerManager.extraArgs).toEqual([{ name: "cluster-signing-duration", value: "3m0s" }]);
  });

  it("on cgroup v2 the control plane's kubelet gets no KubeletConfiguration patch (serverTLSBootstrap is a joined node's own)", () => {
    expect(patch(render(), "KubeletConfiguration")).toBeUndefined();
    expect(patch(render({}, v1beta4), "KubeletConfiguration")).toBeUndefined();
  });

  it("on a cgroup v1 host kubelets from 1.35 get failCgroupV1: false, and nothing else changes", () => {
    expect(patch(render({}, { hostCgroup: "v1" }), "KubeletConfiguration")).toEqual({ apiVersion: "kubelet.config.k8s.io/v1beta1", kind: "KubeletConfiguration", failCgroupV1: false });
    expect(patch(render({}, { hostCgroup: "v1", k8sVersion: "v1.34.4" }), "KubeletConfiguration")).toBeUndefined();
    expect(cgroupKubeletFields("v1.36.3", "v1")).toEqual({ failCgroupV1: false });
    expect(cgroupKubeletFields("v1.36.3", "v2")).toEqual({});
    expect(cgroupKubeletFields("v1.34.4", "v1")).toEqual({});
  });

  it("the spec's extra flags become extraArgs; the harness's own come first and can be overridden, in place in v1beta4", () => {
    const extraFlags = { "kube-apiserver": ["--v=4", "--profiling"], "kube-controller-manager": ["--cluster-signing-duration=1h0m0s"] };
    const cc = patch(render({ extraFlags }), "ClusterConfiguration")!;
    expect(cc.apiServer.extraArgs).toEqual({ "token-auth-file": NODE_TOKEN_FILE, v: "4", profiling: "true" });
    expect(cc.controllerManager.extraArgs).toEqual({ "cluster-signing-duration": "1h0m0s" });
    const b4 = patch(render({ extraFlags }, v1beta4), "ClusterConfiguration")!;
    expect(b4.apiServer.extraArgs).toEqual([{ name: "token-auth-file", value: NODE_TOKEN_FILE }, { name: "v", value: "4" }, { name: "profiling", value: "true" }]);
    expect(b4.controllerManager.extraArgs).toEqual([{ name: "cluster-signing-duration", value: "1h0m0s" }]);
    expect(extraArgs("kubeadm.k8s.io/v1beta4", [["a", "1"], ["b", "2"], ["a", "3"]])).toEqual([{ name: "a", value: "3" }, { name: "b", value: "2" }]);
  });

  it("the node image's etcd tag is passed to kubeadm, and kubeadm's default is kept without one", () => {
    expect(patch(render({}, { etcdImageTag: "3.7.0-0" }), "ClusterConfiguration")!.etcd).toEqual({ local: { imageTag: "3.7.0-0" } });
    expect(patch(render({}, { ...v1beta4, etcdImageTag: "3.7.0-0" }), "ClusterConfiguration")!.etcd).toEqual({ local: { imageTag: "3.7.0-0" } });
    expect(patch(render(), "ClusterConfiguration")!.etcd).toBeUndefined();
  });

  it("a CA made by the harness is mounted where kubeadm's certs phase looks for an existing one", () => {
    const mounts = render({}, { caFiles: { cert: "/r/c0/ca.crt", key: "/r/c0/ca.key" } }).nodes[0]!.extraMounts;
    expect(mounts).toContainEqual({ hostPath: "/r/c0/ca.crt", containerPath: "/etc/kubernetes/pki/ca.crt", readOnly: true });
    expect(mounts).toContainEqual({ hostPath: "/r/c0/ca.key", containerPath: "/etc/kubernetes/pki/ca.key", readOnly: true });
  });

  it("refuses malformed extra flags and releases kind writes no v1beta3/v1beta4 config for", () => {
    expect(() => parseFlags(["v=4"], "kube-apiserver")).toThrow(/--name=value/);
    expect(() => kubeadmApiVersion("v1.22.9")).toThrow(/1.23 and later/);
    expect(() => kubeadmApiVersion("latest")).toThrow(/not a Kubernetes version/);
    expect(() => kubeadmApiVersion("v2.0.0")).toThrow(/1.x/);
  });

  it("Go durations", () => {
    expect([goDuration(59), goDuration(180), goDuration(7200), goDuration(3661)]).toEqual(["59s", "3m0s", "2h0m0s", "1h1m1s"]);
  });

  it("kind-configs/<api>/ holds exactly what the renderer writes, one directory per kubeadm API (npm run kind-configs)", () => {
    const expected = CATALOGUE_K8S_VERSIONS.flatMap((v) => KIND_CONFIG_CATALOGUE.map((e) => cataloguePath(e, v))).sort();
    const present = readdirSync(join(REPO_ROOT, "kind-configs"), { recursive: true, encoding: "utf8" }).filter((f) => f.endsWith(".yaml")).sort();
    expect(present).toEqual(expected);
    expect(new Set(expected.map((f) => f.split("/")[0]))).toEqual(new Set(["v1beta3", "v1beta4"]));
    for (const v of CATALOGUE_K8S_VERSIONS) {
      for (const e of KIND_CONFIG_CATALOGUE) {
        const committed = readFileSync(join(REPO_ROOT, "kind-configs", cataloguePath(e, v)), "utf8");
        expect(committed).toBe(renderCatalogueFile(e, v));
        expect(parseAllDocuments(committed).every((d) => d.errors.length === 0)).toBe(true);
        expect(committed).toContain(`apiVersion: ${kubeadmApiVersion(v)}`);
      }
    }
  });
});

describe("kind command lines", () => {
  it("create: named, with the node image, the config and a kubeconfig of its own, node kept on failure for the logs", () => {
    expect(createClusterArgv({ kindBin: "/c/kind", name: "ktc-ab12cd-c0", image: "ktc.local/kind-node:v1.37.2-x", configPath: "/r/c0/kind-config.yaml", kubeconfigPath: "/r/c0/admin.kubeconfig" })).toEqual([
      "/c/kind", "create", "cluster", "--name", "ktc-ab12cd-c0", "--image", "ktc.local/kind-node:v1.37.2-x", "--config", "/r/c0/kind-config.yaml", "--kubeconfig", "/r/c0/admin.kubeconfig", "--retain",
    ]);
  });

  it("export logs before delete, both by name; the run's own docker network", () => {
    expect(exportLogsArgv("kind", "ktc-ab12cd-c0", "/reports/kind-logs/ktc-ab12cd-c0")).toEqual(["kind", "export", "logs", "/reports/kind-logs/ktc-ab12cd-c0", "--name", "ktc-ab12cd-c0"]);
    expect(deleteClusterArgv("kind", "ktc-ab12cd-c0")).toEqual(["kind", "delete", "cluster", "--name", "ktc-ab12cd-c0"]);
    expect(kindEnv("ktc-ab12cd")).toEqual({ KIND_EXPERIMENTAL_DOCKER_NETWORK: "ktc-ab12cd" });
  });

  it("the pinned tools are built static and stripped from their wrapper modules", () => {
    const steps = toolBuildArgv("/cache/bin");
    expect(steps.map((s) => s.argv.slice(-2))).toEqual([["sigs.k8s.io/kind", "sigs.k8s.io/cri-tools/cmd/crictl"], ["/cache/bin/etcd", "go.etcd.io/etcd/server/v3"]]);
    expect(steps[0]!.cwd).toMatch(/tools\/kind\/tools-module$/);
    expect(steps[1]!.cwd).toMatch(/tools\/etcd$/);
  });

  it("node image tags name the release and the recipe", () => {
    expect(nodeImageTag("v1.37.2", "0123456789ab")).toBe("ktc.local/kind-node:v1.37.2-0123456789ab");
    expect([isHarnessNodeImage(nodeImageTag("v1.37.2", "0123456789ab")), isHarnessNodeImage("kindest/node:v1.37.0")]).toEqual([true, false]);
  });
});

describe("joining an extra kind node", () => {
  it("kubeadm-flags.env names containerd's socket and appends the spec's kubelet flags", () => {
    expect(kubeletFlagsEnv([])).toBe('KUBELET_KUBEADM_ARGS="--container-runtime-endpoint=unix:///run/containerd/containerd.sock"\n');
    expect(kubeletFlagsEnv(["--v=4"])).toContain("containerd.sock --v=4");
  });

  it("the kubelet config is kubeadm's ConfigMap with the spec's serverTLSBootstrap, and failCgroupV1: false on cgroup v1 from 1.35", () => {
    const cm = "apiVersion: kubelet.config.k8s.io/v1beta1\nkind: KubeletConfiguration\nrotateCertificates: true\ncgroupDriver: systemd\n";
    const v2 = { k8sVersion: "v1.37.2", hostCgroup: "v2" } as const;
    expect(parse(joinKubeletConfig(cm, { serverTLSBootstrap: true, ...v2 }))).toEqual({ apiVersion: "kubelet.config.k8s.io/v1beta1", kind: "KubeletConfiguration", rotateCertificates: true, cgroupDriver: "systemd", serverTLSBootstrap: true });
    expect(parse(joinKubeletConfig(cm, { serverTLSBootstrap: false, ...v2 })).serverTLSBootstrap).toBe(false);
    expect(parse(joinKubeletConfig(cm, { serverTLSBootstrap: false, k8sVersion: "v1.35.4", hostCgroup: "v1" }))).toEqual({
      apiVersion: "kubelet.config.k8s.io/v1beta1", kind: "KubeletConfiguration", rotateCertificates: true, cgroupDriver: "systemd", serverTLSBootstrap: false, failCgroupV1: false,
    });
  });

  it("cert-dir entries from find -printf", () => {
    expect(parseFindLine("kubelet-client-current.pem\tl\t777\t/var/lib/kubelet/pki/kubelet-client-2026-11-28-15-37-05.pem\t59")).toEqual({
      name: "kubelet-client-current.pem",
      type: "symlink",
      mode: "777",
      size: 59,
      linkTarget: "/var/lib/kubelet/pki/kubelet-client-2026-11-28-15-37-05.pem",
    });
    expect(parseFindLine("kubelet.key\tf\t600\t\t1675")).toEqual({ name: "kubelet.key", type: "file", mode: "600", size: 1675 });
  });

  it("the kubelet starts only after containerd is active and its files are written, as with kubeadm join (no orphan CSR), and takes its cgroup driver from the runtime", async () => {
    const fromRuntime = 'I1129 14:07:27.170171 247 server.go:1502] "Using cgroup driver setting received from the CRI runtime" cgroupDriver="systemd"\n';
    const fallback = 'I1129 11:03:37.795742 223 server.go:1479] "CRI implementation should be updated to support RuntimeConfig. Falling back to using cgroupDriver from kubelet config."\n';
    const fake = (units: string, journal = fromRuntime) => {
      const calls: string[] = [];
      const container = {
        exec: async (argv: string[]) => {
          calls.push(argv.join(" "));
          if (argv[1] === "is-active") return { exitCode: 3, stdout: units, stderr: "", output: units };
          const out = argv[0] === "journalctl" ? journal : "";
          return { exitCode: 0, stdout: out, stderr: "", output: out };
        },
        copyContentToContainer: async (files: { target: string }[]) => void calls.push(`copy ${files.map((f) => f.target).join(",")}`),
      };
      return { calls, container: container as unknown as StartedTestContainer };
    };
    const files = [{ path: "/var/lib/kubelet/config.yaml", content: "x", mode: 0o644 }];
    const ours = { runtimeConfigExpected: true };
    const ok = fake("inactive\nactive\n");
    await startJoinedKubelet(ok.container, "n1", files, ours);
    expect(ok.calls).toEqual(["systemctl is-active kubelet containerd", "copy /var/lib/kubelet/config.yaml", "systemctl restart kubelet", "journalctl -u kubelet --no-pager -o cat"]);
    const early = fake("inactive\nactivating\n");
    await expect(startJoinedKubelet(early.container, "n2", files, ours)).rejects.toThrow(/containerd activating, kubelet inactive/);
    expect(early.calls).toEqual(["systemctl is-active kubelet containerd"]);
    const running = fake("active\nactive\n");
    await expect(startJoinedKubelet(running.container, "n3", files, ours)).rejects.toThrow(/kubelet not started/);
    // The RuntimeConfig fallback: a harness error on our image (containerd 2), only logged on a vendor's.
    await expect(startJoinedKubelet(fake("inactive\nactive\n", fallback).container, "n4", files, ours)).rejects.toThrow(/kubelet of node n4 fell back to its own cgroup driver/);
    await expect(startJoinedKubelet(fake("inactive\nactive\n", fallback).container, "n5", files, { runtimeConfigExpected: false })).resolves.toBeUndefined();
  });
});
