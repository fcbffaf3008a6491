import { mkdir, open, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { ProvisionError } from "../errors";
import { renderKubeconfig } from "../kube/kubeconfig";
import { info } from "../log";
import type { Cluster } from "../providers/provider";
import type { BootstrapCredential } from "../providers/spec";
import { runIdOf } from "../run/run-dir";
import { type NodeRuntime } from "../runtime/node-runtime";
import { containerdConfig, containerdConfigVersion } from "./containerd-config";
import { createNodeNetwork, type ClusterNetwork } from "./network";
import { LocalNode } from "./node";
import { kubeletArgv, kubeletConfiguration, nodeLayout } from "./node-config";

/** Node addresses are .10 to .250 of the cluster's /24. */
const FIRST_HOST = 10;
const LAST_HOST = 250;

/** Where a local node joins: one cluster's bridge, and what its nodes trust and run. */
export interface LocalNodeCluster {
  runDir: string;
  /** The cluster name: owner of the node's records, prefix of its process names. */
  name: string;
  dir: string;
  /** The n of the run's cluster directory c<n> (in the node's namespace and link names). */
  index: number;
  network: ClusterNetwork;
  /** The API server URL as the node's namespace reaches it. */
  apiServerUrl: string;
  /** The CA bundle the bootstrap kubeconfig verifies the API server with, PEM. */
  serverCaPem: string;
  /** The CA bundle the kubelet verifies client certificates with (its authentication.x509.clientCAFile), PEM. */
  clientCaPem: string;
  kubeletBin: string;
  /** `kubelet --version`. */
  kubeletVersion: string;
  runtime: NodeRuntime;
}

/** A cluster's LocalNodeCluster: what its saved state and the Cluster interface already say, and its kubelet. */
export function localNodeCluster(
  cluster: Pick<Cluster, "name" | "apiServerUrl" | "serverCaPem" | "caCertPem" | "versions">,
  state: Pick<LocalNodeCluster, "runDir" | "dir" | "index" | "network" | "runtime">,
  kubeletBin: string,
): LocalNodeCluster {
  return {
    runDir: state.runDir,
    name: cluster.name,
    dir: state.dir,
    index: state.index,
    network: state.network,
    apiServerUrl: cluster.apiServerUrl,
    serverCaPem: cluster.serverCaPem,
    clientCaPem: cluster.caCertPem,
    kubeletBin,
    kubeletVersion: cluster.versions.kubelet ?? "",
    runtime: state.runtime,
  };
}

export interface LocalNodeJoin {
  name: string;
  credential: BootstrapCredential;
  token: string;
  bootstrapUser: string;
  serverTLSBootstrap: boolean;
  extraKubeletFlags: readonly string[];
  /** A serving pair given by flags instead of the self-signed kubelet.crt (a negative control), issued for the node's address. */
  servingPair?: (dir: string, address: string) => Promise<{ cert: string; key: string }>;
}

/**
 * Joins a kubelet and its containerd as local processes in a network
 * namespace of their own on the cluster's bridge, with what a binary install's
 * node has before its first start: the CA, a bootstrap kubeconfig with the
 * token, and no --kubeconfig file at all. Returns once the kubelet runs; it
 * does not wait for its certificate.
 */
export async function joinLocalNode(c: LocalNodeCluster, j: LocalNodeJoin): Promise<LocalNode> {
  const hostIndex = await claimHostIndex(c);
  const layout = nodeLayout(join(c.dir, "nodes", j.name));
  await mkdir(join(layout.dir, "containerd"), { recursive: true });
  await mkdir(join(layout.dir, "cni", "net.d"), { recursive: true });
  const runId = runIdOf(c.runDir);
  const network = await createNodeNetwork(c.runDir, c.network, {
    netns: `ktc-${runId}-${c.index}-${hostIndex}`,
    hostVeth: `k${runId}${c.index}h${hostIndex}`,
    hostIndex,
    owner: c.name,
  });

  await writeFile(layout.caFile, c.serverCaPem);
  await writeFile(layout.clientCaFile, c.clientCaPem);
  await writeFile(
    layout.bootstrapKubeconfig,
    renderKubeconfig({ server: c.apiServerUrl, user: "kubelet-bootstrap", caFile: layout.caFile, auth: { kind: "token", token: j.token } }),
    { mode: 0o600 },
  );
  const servingPair = j.servingPair ? await j.servingPair(layout.dir, network.address) : undefined;
  await writeFile(
    layout.kubeletConfig,
    kubeletConfiguration({ layout, kubeletVersion: c.kubeletVersion, address: network.address, serverTLSBootstrap: j.serverTLSBootstrap, servingPair }),
  );
  await writeFile(layout.containerdConfig, containerdConfig(layout, c.runtime));

  const node = new LocalNode({
    runDir: c.runDir,
    name: j.name,
    owner: c.name,
    credential: j.credential,
    bootstrapUser: j.bootstrapUser,
    layout,
    network,
    containerdArgv: [c.runtime.containerd, "--config", layout.containerdConfig],
    ctr: c.runtime.ctr,
    runtimeConfigExpected: containerdConfigVersion(c.runtime.containerdVersion) > 2,
    kubeletArgv: kubeletArgv(c.kubeletBin, { layout, nodeName: j.name, address: network.address, extraFlags: [...j.extraKubeletFlags] }),
  });
  info(`joining node ${j.name} (${network.address}) to ${c.name} with ${j.credential} as ${j.bootstrapUser}`);
  await node.start();
  return node;
}

/** Claims a free host address: an exclusive file per address, safe across suites. */
async function claimHostIndex(c: LocalNodeCluster): Promise<number> {
  await mkdir(join(c.dir, "hosts"), { recursive: true });
  for (let n = FIRST_HOST; n <= LAST_HOST; n++) {
    try {
      await (await open(join(c.dir, "hosts", String(n)), "wx")).close();
      return n;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
    }
  }
  throw new ProvisionError(`cluster ${c.name} has no free node address left (${LAST_HOST - FIRST_HOST + 1} nodes joined)`);
}
