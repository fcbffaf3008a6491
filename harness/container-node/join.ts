import { ProvisionError } from "../errors";
import { renderKubeconfig } from "../kube/kubeconfig";
import { info } from "../log";
import type { CgroupVersion } from "../host/cgroup";
import type { KubeClients } from "../kube/clients";
import type { Cluster, Node } from "../providers/provider";
import type { NodeSpec } from "../providers/spec";
import { forgetResource, recordResource, type ResourceDeleter } from "../run/resources";
import { runIdOf } from "../run/run-dir";
import { Timeouts } from "../wait/timeouts";
import { removeContainer } from "./docker";
import { clusterKubeletConfig, joinKubeletConfig, kubeletFlagsEnv } from "./kubelet-config";
import { startJoinedKubelet } from "./kubelet-start";
import { ContainerNode, KUBEADM_NODE_PATHS } from "./node";
import { NodeContainer, type NodeFile } from "./node-container";

/** The kind of record a node container leaves in its run (any provider that runs them). */
export const CONTAINER_NODE_RESOURCE_KIND = "container";

export const CONTAINER_NODE_RESOURCE_DELETERS: readonly ResourceDeleter[] = [{ kind: CONTAINER_NODE_RESOURCE_KIND, delete: (r) => removeContainer(r.name) }];

/** Where node containers of one cluster run, and from what: the provider's part of a join. */
export interface ContainerPlacement {
  image: string;
  network: string;
  /** Labels besides the run's (NodeContainerOptions.labels). */
  labels: Record<string, string>;
  /** The image's kubelet release ("v1.37.2" or `kubelet --version`'s line) and the host's cgroup mode: what its configuration needs. */
  kubeletVersion: string;
  hostCgroup: CgroupVersion;
  /** Whether the image's containerd must hand the kubelet its cgroup driver (our node image does; kubelet-start.ts). */
  runtimeConfigExpected: boolean;
}

/** The cluster a node container joins: its name owns the container's record; the rest is what the node is told. */
type JoinedCluster = Pick<Cluster, "name" | "spec" | "apiServerUrl" | "caCertPem" | "serverCaPem"> & { kube: KubeClients };

/**
 * Joins a node container as `kubeadm join` would: the container boots from
 * the node image, then the harness writes what a kubelet has before TLS
 * bootstrap and nothing more (the API server's client CA, a bootstrap
 * kubeconfig with the fresh credential, the cluster's kubelet configuration
 * with the node's own settings, kubeadm-flags.env) and starts the kubelet
 * (kubelet-start.ts says why not earlier). The container is recorded before
 * it exists and removed if it does not boot.
 */
export async function joinContainerNode(
  runDir: string,
  cluster: JoinedCluster,
  where: ContainerPlacement,
  node: NodeSpec & { token: string; bootstrapUser: string },
): Promise<Node> {
  const containerName = `${cluster.name}-${node.name}`;
  const kubeletConfig = joinKubeletConfig(await clusterKubeletConfig(cluster.kube.core), {
    serverTLSBootstrap: node.serverTLSBootstrap ?? false,
    k8sVersion: where.kubeletVersion,
    hostCgroup: where.hostCgroup,
  });
  // The client CA goes to the file the kubelet configuration names; the bootstrap kubeconfig
  // refers to it too when it also verifies the API server (the harness's clusters), else embeds the server's.
  const serverCa = cluster.serverCaPem === cluster.caCertPem ? { caFile: KUBEADM_NODE_PATHS.caFile } : { caPem: cluster.serverCaPem };
  const files: NodeFile[] = [
    { path: KUBEADM_NODE_PATHS.caFile, content: cluster.caCertPem, mode: 0o644 },
    {
      path: KUBEADM_NODE_PATHS.bootstrapKubeconfig,
      content: renderKubeconfig({ server: cluster.apiServerUrl, user: "kubelet-bootstrap", ...serverCa, auth: { kind: "token", token: node.token } }),
      mode: 0o600,
    },
    { path: KUBEADM_NODE_PATHS.kubeletConfig, content: kubeletConfig, mode: 0o644 },
    { path: KUBEADM_NODE_PATHS.flagsEnv, content: kubeletFlagsEnv(cluster.spec.extraFlags.kubelet ?? []), mode: 0o644 },
  ];
  const record = { kind: CONTAINER_NODE_RESOURCE_KIND, name: containerName, owner: cluster.name };
  await recordResource(runDir, record);
  info(`joining node ${node.name} (container ${containerName} on network ${where.network}) to ${cluster.name} with ${node.credential} as ${node.bootstrapUser}`);
  const remove = async () => {
    await removeContainer(containerName);
    await forgetResource(runDir, record);
  };
  try {
    const container = await new NodeContainer({
      image: where.image,
      containerName,
      hostname: node.name,
      network: where.network,
      runId: runIdOf(runDir),
      labels: where.labels,
      startupTimeoutMs: Timeouts.nodeBoot,
    }).start();
    await startJoinedKubelet(container, node.name, files, { runtimeConfigExpected: where.runtimeConfigExpected });
    return new ContainerNode({
      name: node.name,
      credential: node.credential,
      bootstrapUser: node.bootstrapUser,
      address: container.getIpAddress(where.network),
      container,
      remove,
    });
  } catch (err) {
    await remove().catch(() => undefined);
    throw new ProvisionError(`node container ${containerName} did not boot: ${(err as Error).message}`, {
      hint: `the node image is ${where.image}; \`docker logs ${containerName}\` shows its boot if you rerun with --keep`,
      cause: err,
    });
  }
}
