import { join } from "node:path";
import { KubeConfig } from "@kubernetes/client-node";
import { ProvisionError } from "../../errors";
import { run } from "../../exec/command";
import { clientsFromKubeConfig } from "../../kube/clients";
import { info } from "../../log";
import { createClusterNetwork, createNodeNetwork, deleteNodeNetwork, type ClusterNetwork } from "../../local-node/network";
import { tlsUnreachableFrom } from "../../local-node/tls-reach";
import { resolveNodeRuntime, type NodeRuntime } from "../../runtime/node-runtime";
import { Timeouts } from "../../wait/timeouts";
import type { ClusterStateBase } from "../cluster-state";
import type { ClusterDraft, ControlPlaneUp, CreateSteps } from "../create-cluster";
import type { Cluster, ComponentVersions } from "../provider";
import { apiServerUrlForNodes } from "./api-server-for-nodes";
import { ExistingCluster, type ExistingClusterState } from "./cluster";
import { reachApprovals } from "./approval-bindings";
import { EXISTING_DELETERS } from "./deleters";
import { tlsUnreachableFromContainer, type NodePlacement } from "./node-placement";
import { bootstrapperGroupsOf, clientCaBundleOf, serverCaOf } from "./running-control-plane";
import type { ExistingSettings } from "./settings";

/** The probe namespace's host index: below the nodes' (.10 and up, local-node/join.ts). */
const PROBE_HOST_INDEX = 9;

/** Where the nodes of one "cluster" of the run hang: a bridge of its own on this machine, or the configured docker network. */
type NodeNetwork = { placement: "process"; bridge: ClusterNetwork } | Extract<NodePlacement, { placement: "container" }>;

/**
 * A "bring-up" on a running cluster creates nothing on it: a bridge on this
 * machine for the nodes (none for node containers: they join the configured
 * docker network), and what they need to know of the control plane (where
 * they reach it, the CAs, the groups a bootstrap token needs), after proving
 * that a network namespace on that bridge, or a container on that network,
 * completes a verified TLS handshake with the API server, so an unreachable
 * one is one clear error before any node.
 */
export class ExistingCreateSteps implements CreateSteps<NodeNetwork, ControlPlaneUp, ExistingClusterState> {
  readonly provider = "existing";
  readonly deleters = EXISTING_DELETERS;
  private runtimeOnce: Promise<NodeRuntime> | undefined;

  constructor(private readonly o: { runDir: string; binDir: string; settings: ExistingSettings }) {}

  private runtime(): Promise<NodeRuntime> {
    this.runtimeOnce ??= resolveNodeRuntime({ build: false });
    return this.runtimeOnce;
  }

  async preflight(): Promise<void> {
    if (this.o.settings.nodes.placement === "process") await this.runtime();
  }

  async network(c: ClusterDraft): Promise<NodeNetwork> {
    const nodes = this.o.settings.nodes;
    if (nodes.placement === "container") return nodes;
    return { placement: "process", bridge: await createClusterNetwork(c.runDir, `ktc${c.runId}c${c.index}`, c.name) };
  }

  async controlPlane(c: ClusterDraft, network: NodeNetwork): Promise<ControlPlaneUp> {
    const kc = new KubeConfig();
    kc.loadFromFile(this.o.settings.kubeconfig);
    kc.setCurrentContext(this.o.settings.context);
    const kube = clientsFromKubeConfig(kc);
    const { url, why } = await apiServerUrlForNodes(kc);
    const serverCaPem = await serverCaOf(kc, this.o.settings.kubeconfig);
    await this.proveReachable(c, network, url, serverCaPem);
    info(`${c.name}: nodes reach the API server at ${url} (${why})`);
    return {
      apiServerUrl: url,
      adminKubeconfigPath: this.o.settings.kubeconfig,
      caCertPem: await clientCaBundleOf(kube),
      serverCaPem,
      // As the cluster is, its tokens carry the groups it binds; with --allow-cluster-changes, the run's own (approval-bindings.ts).
      bootstrapperGroups: this.o.settings.allowClusterChanges
        ? await reachApprovals(kube, { runDir: c.runDir, owner: c.name, kubeconfig: this.o.settings.kubeconfig }, c.runId, c.spec.autoApprove)
        : await bootstrapperGroupsOf(kube),
      timingsMs: {},
    };
  }

  /** A namespace on the nodes' bridge, or a container on their network, as a node's would be, completes a verified TLS handshake with the API server. */
  private async proveReachable(c: ClusterDraft, nodes: NodeNetwork, url: string, caPem: string): Promise<void> {
    if (nodes.placement === "container") {
      const why = await tlsUnreachableFromContainer(nodes.image, nodes.network, url, caPem, Timeouts.componentReady / 4000);
      if (why) {
        throw new ProvisionError(`the run's node containers cannot reach the API server at ${url} from docker network ${nodes.network}: ${why}`, {
          hint: "name in nodes.network a docker network from which the API server's address is routable, and whose address the API server's certificate names",
        });
      }
      return;
    }
    const network = nodes.bridge;
    const probe = await createNodeNetwork(c.runDir, network, { netns: `ktc-${c.runId}-${c.index}-probe`, hostVeth: `k${c.runId}${c.index}p`, hostIndex: PROBE_HOST_INDEX, owner: c.name });
    try {
      const why = await tlsUnreachableFrom(probe.netns, url, caPem, Timeouts.componentReady / 4);
      if (why) {
        throw new ProvisionError(`the run's nodes cannot reach the API server at ${url} from their network namespace (${network.prefix}.0/24, routed through this machine): ${why}`, {
          hint:
            "the nodes run on this machine, each in a network namespace whose traffic this machine forwards: the API server's address must be routable from here, " +
            "IP forwarding on (sysctl net.ipv4.ip_forward=1), the FORWARD chain must let the traffic through, and the API server's certificate must name that address",
        });
      }
    } finally {
      await deleteNodeNetwork(c.runDir, probe);
    }
  }

  async versions(_c: ClusterDraft, nodes: NodeNetwork, _cp: ControlPlaneUp): Promise<ComponentVersions> {
    if (nodes.placement === "container") {
      return { "kube-apiserver": `Kubernetes ${this.o.settings.gitVersion}`, kubelet: nodes.kubeletVersion, containerd: nodes.containerdVersion, runc: nodes.runcVersion };
    }
    const runtime = await this.runtime();
    const first = async (argv: string[]) => (await run(argv)).stdout.split("\n")[0]!.trim();
    return {
      "kube-apiserver": `Kubernetes ${this.o.settings.gitVersion}`,
      kubelet: await first([join(this.o.binDir, "kubelet"), "--version"]),
      containerd: await first([runtime.containerd, "--version"]),
      runc: await first([runtime.runc, "--version"]),
    };
  }

  async state(c: ClusterDraft, network: NodeNetwork, _cp: ControlPlaneUp): Promise<Omit<ExistingClusterState, keyof ClusterStateBase>> {
    return {
      index: c.index,
      nodes:
        network.placement === "container"
          ? network
          : { placement: "process", network: network.bridge, runtime: await this.runtime(), kubeletBin: join(this.o.binDir, "kubelet") },
      context: this.o.settings.context,
      bindsRenewalsPerNode: this.o.settings.allowClusterChanges && c.spec.autoApprove.renewal,
      ...(this.o.settings.tokenFile ? { tokenFile: this.o.settings.tokenFile } : {}),
    };
  }

  attach(state: ExistingClusterState): Cluster {
    return new ExistingCluster(state);
  }
}
