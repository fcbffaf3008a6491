import { ProvisionError } from "../errors";
import { renderKubeconfig } from "../kube/kubeconfig";
import { info } from "../log";
import type { Node } from "../providers/provider";
import type { BootstrapCredential } from "../providers/spec";
import { forgetResource, recordResource, type ResourceDeleter } from "../run/resources";
import { runIdOf } from "../run/run-dir";
import { Timeouts } from "../wait/timeouts";
import { removeContainer } from "./docker";
import { kubeletFlagsEnv } from "./kubelet-config";
import { startJoinedKubelet } from "./kubelet-start";
import { ContainerNode, KUBEADM_NODE_PATHS } from "./node";
import { NodeContainer, type NodeFile } from "./node-container";

/** The kind of record a node container leaves in its run (any provider that runs them). */
export const CONTAINER_NODE_RESOURCE_KIND = "container";

export const CONTAINER_NODE_RESOURCE_DELETERS: readonly ResourceDeleter[] = [{ kind: CONTAINER_NODE_RESOURCE_KIND, delete: (r) => removeContainer(r.name) }];

export interface ContainerJoin {
  runDir: string;
  /** The cluster's name: it owns the container's record, and names it in messages. */
  cluster: string;
  containerName: string;
  nodeName: string;
  credential: BootstrapCredential;
  token: string;
  bootstrapUser: string;
  image: string;
  network: string;
  /** Labels besides the run's (NodeContainerOptions.labels). */
  labels: Record<string, string>;
  /** The API server URL as the container reaches it. */
  apiServerUrl: string;
  /** The CA bundle the kubelet verifies client certificates with: the API server's client CA (written to KUBEADM_NODE_PATHS.caFile). */
  clientCaPem: string;
  /** The CA bundle that verifies the API server, when it is not the client CA (embedded in the bootstrap kubeconfig). */
  serverCaPem: string;
  kubeletConfig: string;
  extraKubeletFlags: readonly string[];
  /** Whether the image's containerd must hand the kubelet its cgroup driver (our node image does; kubelet-start.ts). */
  runtimeConfigExpected: boolean;
}

/**
 * Joins a node container as `kubeadm join` would: the container boots from
 * the node image, then the harness writes what a kubelet has before TLS
 * bootstrap and nothing more (the CA, a bootstrap kubeconfig with the fresh
 * credential, the kubelet configuration, kubeadm-flags.env) and starts the
 * kubelet (kubelet-start.ts says why not earlier). The container is recorded
 * before it exists and removed if it does not boot.
 */
export async function joinContainerNode(j: ContainerJoin): Promise<Node> {
  const sameCa = j.serverCaPem === j.clientCaPem;
  const files: NodeFile[] = [
    { path: KUBEADM_NODE_PATHS.caFile, content: j.clientCaPem, mode: 0o644 },
    {
      path: KUBEADM_NODE_PATHS.bootstrapKubeconfig,
      content: renderKubeconfig({ server: j.apiServerUrl, user: "kubelet-bootstrap", ...(sameCa ? { caFile: KUBEADM_NODE_PATHS.caFile } : { caPem: j.serverCaPem }), auth: { kind: "token", token: j.token } }),
      mode: 0o600,
    },
    { path: KUBEADM_NODE_PATHS.kubeletConfig, content: j.kubeletConfig, mode: 0o644 },
    { path: KUBEADM_NODE_PATHS.flagsEnv, content: kubeletFlagsEnv(j.extraKubeletFlags), mode: 0o644 },
  ];
  const record = { kind: CONTAINER_NODE_RESOURCE_KIND, name: j.containerName, owner: j.cluster };
  await recordResource(j.runDir, record);
  info(`joining node ${j.nodeName} (container ${j.containerName} on network ${j.network}) to ${j.cluster} with ${j.credential} as ${j.bootstrapUser}`);
  const remove = async () => {
    await removeContainer(j.containerName);
    await forgetResource(j.runDir, record);
  };
  try {
    const container = await new NodeContainer({
      image: j.image,
      containerName: j.containerName,
      hostname: j.nodeName,
      network: j.network,
      runId: runIdOf(j.runDir),
      labels: j.labels,
      startupTimeoutMs: Timeouts.nodeBoot,
    }).start();
    await startJoinedKubelet(container, j.nodeName, files, { runtimeConfigExpected: j.runtimeConfigExpected });
    return new ContainerNode({
      name: j.nodeName,
      credential: j.credential,
      bootstrapUser: j.bootstrapUser,
      address: container.getIpAddress(j.network),
      container,
      remove,
    });
  } catch (err) {
    await remove().catch(() => undefined);
    throw new ProvisionError(`node container ${j.containerName} did not boot: ${(err as Error).message}`, {
      hint: `the node image is ${j.image}; \`docker logs ${j.containerName}\` shows its boot if you rerun with --keep`,
      cause: err,
    });
  }
}
