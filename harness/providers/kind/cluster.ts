import { parse, stringify } from "yaml";
import { run } from "../../exec/command";
import { renderKubeconfig } from "../../kube/kubeconfig";
import { info } from "../../log";
import { forgetResource, recordResource } from "../../run/resources";
import { runIdOf } from "../../run/run-dir";
import { ProvisionError } from "../../errors";
import { Timeouts } from "../../wait/timeouts";
import { linesSince } from "../../report/log-window";
import { bootstrapCredential, loadClusterState, type ClusterStateBase } from "../cluster-state";
import type { Node } from "../provider";
import { RecordedCluster } from "../recorded-cluster";
import type { NodeSpec } from "../spec";
import { cgroupKubeletFields, type CgroupVersion } from "../../host/cgroup";
import { startJoinedKubelet } from "./kubelet-start";
import { KindNodeContainer, type NodeFile } from "./node-container";
import { isHarnessNodeImage } from "./node-image";
import { KIND_NODE_PATHS, KindNode } from "./node";
import { removeContainer } from "./docker-objects";
import { KIND_RESOURCE_DELETERS, KIND_RESOURCE_KINDS } from "./resource-deleters";

/** What a later suite needs to attach to a kind cluster of this run (cluster.json). */
export interface KindClusterState extends ClusterStateBase {
  network: string;
  kindBin: string;
  image: string;
  /** The node image's release and the host's cgroup version: what the joined kubelets' config needs. */
  k8sVersion: string;
  hostCgroup: CgroupVersion;
}

export const loadState = (dir: string) => loadClusterState<KindClusterState>(dir);

export const CONTAINERD_SOCKET = "unix:///run/containerd/containerd.sock";

/** kubeadm-flags.env as `kubeadm join` writes it, plus the spec's extra kubelet flags. */
export function kubeletFlagsEnv(extraFlags: readonly string[]): string {
  return `KUBELET_KUBEADM_ARGS="${[`--container-runtime-endpoint=${CONTAINERD_SOCKET}`, ...extraFlags].join(" ")}"\n`;
}

/**
 * The kubelet configuration a joining node gets: kubeadm's kubelet-config
 * ConfigMap (what `kubeadm join` downloads), with the node's serverTLSBootstrap
 * and, on a cgroup v1 host from 1.35, failCgroupV1: false (harness/host/cgroup.ts). The
 * ConfigMap already carries it from the control plane's patch; setting it here
 * too keeps joined kubelets starting on clusters made from another config.
 */
export function joinKubeletConfig(configMapData: string, o: { serverTLSBootstrap: boolean; k8sVersion: string; hostCgroup: CgroupVersion }): string {
  const cfg = parse(configMapData) as Record<string, unknown>;
  return stringify({ ...cfg, serverTLSBootstrap: o.serverTLSBootstrap, ...cgroupKubeletFields(o.k8sVersion, o.hostCgroup) });
}

export class KindCluster extends RecordedCluster<KindClusterState> {
  constructor(s: KindClusterState) {
    super(s, KIND_RESOURCE_DELETERS);
  }

  get controlPlaneContainer() { return `${this.s.name}-control-plane`; }

  /**
   * A new node container from the cluster's node image, with what a kubelet
   * has before TLS bootstrap and nothing more: the CA, a bootstrap kubeconfig
   * with a fresh credential, kubeadm's kubelet configuration. They are written
   * once the node has booted and containerd is up, and then the kubelet is
   * started (kubelet-start.ts says why not earlier).
   */
  async joinNode(spec: NodeSpec): Promise<Node> {
    const { token, bootstrapUser } = await bootstrapCredential(this.kube, this.s, this.bootstrapperGroups, spec.credential);
    const kubeletConfigMap = await this.kube.core.readNamespacedConfigMap({ name: "kubelet-config", namespace: "kube-system" });
    const kubeletConfig = joinKubeletConfig(kubeletConfigMap.data?.kubelet ?? "", {
      serverTLSBootstrap: spec.serverTLSBootstrap ?? false,
      k8sVersion: this.s.k8sVersion,
      hostCgroup: this.s.hostCgroup,
    });
    const files: NodeFile[] = [
      { path: KIND_NODE_PATHS.caFile, content: this.caCertPem, mode: 0o644 },
      {
        path: KIND_NODE_PATHS.bootstrapKubeconfig,
        content: renderKubeconfig({ server: this.apiServerUrl, user: "kubelet-bootstrap", caFile: KIND_NODE_PATHS.caFile, auth: { kind: "token", token } }),
        mode: 0o600,
      },
      { path: KIND_NODE_PATHS.kubeletConfig, content: kubeletConfig, mode: 0o644 },
      { path: KIND_NODE_PATHS.flagsEnv, content: kubeletFlagsEnv(this.spec.extraFlags.kubelet ?? []), mode: 0o644 },
    ];

    const containerName = `${this.name}-${spec.name}`;
    const record = { kind: KIND_RESOURCE_KINDS.container, name: containerName, owner: this.name };
    await recordResource(this.s.runDir, record);
    info(`joining node ${spec.name} (container ${containerName}) to ${this.name} with ${spec.credential} as ${bootstrapUser}`);
    const remove = async () => {
      await removeContainer(containerName);
      await forgetResource(this.s.runDir, record);
    };
    try {
      const container = await new KindNodeContainer({
        image: this.s.image,
        containerName,
        hostname: spec.name,
        network: this.s.network,
        runId: runIdOf(this.s.runDir),
        cluster: this.name,
        startupTimeoutMs: Timeouts.nodeBoot,
      }).start();
      await startJoinedKubelet(container, spec.name, files, { runtimeConfigExpected: isHarnessNodeImage(this.s.image) });
      return new KindNode({
        name: spec.name,
        credential: spec.credential,
        bootstrapUser,
        address: container.getIpAddress(this.s.network),
        container,
        remove,
      });
    } catch (err) {
      await remove().catch(() => undefined);
      throw new ProvisionError(`node container ${containerName} did not boot: ${(err as Error).message}`, {
        hint: `the node image is ${this.s.image}; \`docker logs ${containerName}\` shows its boot if you rerun with --keep`,
        cause: err,
      });
    }
  }

  async controlPlaneLogs(since: Date): Promise<Record<string, string>> {
    const cp = this.controlPlaneContainer;
    // The static pods' CRI logs carry an RFC 3339 timestamp on every line.
    const podLog = async (component: string) => {
      const script = `cat /var/log/pods/kube-system_${component}-${cp}_*/${component}/*.log 2>&1`;
      return run(["docker", "exec", cp, "sh", "-c", script]).then((r) => linesSince(r.stdout, since), (e: Error) => e.message);
    };
    return {
      "kube-apiserver": await podLog("kube-apiserver"),
      "kube-controller-manager": await podLog("kube-controller-manager"),
      etcd: await podLog("etcd"),
    };
  }
}
