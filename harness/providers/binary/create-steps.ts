import { join } from "node:path";
import { run } from "../../exec/command";
import { resolveNodeRuntime, type NodeRuntime } from "../../runtime/node-runtime";
import type { ClusterDraft, ControlPlaneUp, CreateSteps } from "../create-cluster";
import type { ClusterStateBase } from "../cluster-state";
import type { Cluster, ComponentVersions } from "../provider";
import { BinaryCluster, type BinaryClusterState } from "./cluster";
import { startControlPlane, type ControlPlane } from "./control-plane";
import { createClusterNetwork, type ClusterNetwork } from "../../local-node/network";
import { binaryPreflight } from "./preflight";
import type { BinaryProviderOptions } from "./provider";
import { LOCAL_NODE_RESOURCE_DELETERS } from "../../local-node/resource-deleters";

type BinaryControlPlane = ControlPlane & ControlPlaneUp;

async function firstLine(argv: string[]): Promise<string> {
  return (await run(argv)).stdout.split("\n")[0]!.trim();
}

/**
 * The bring-up steps of a binary cluster: a bridge on the host, then etcd,
 * kube-apiserver, the seed bindings and kube-controller-manager as local
 * processes, as in a binary install.
 */
export class BinaryCreateSteps implements CreateSteps<ClusterNetwork, BinaryControlPlane, BinaryClusterState> {
  readonly provider = "binary";
  readonly deleters = LOCAL_NODE_RESOURCE_DELETERS;
  private runtimeOnce: Promise<NodeRuntime> | undefined;

  constructor(private readonly o: BinaryProviderOptions) {}

  /** The node runtime the CLI built (or the user named) before the suites started. */
  private runtime(): Promise<NodeRuntime> {
    this.runtimeOnce ??= resolveNodeRuntime({ build: false });
    return this.runtimeOnce;
  }

  async preflight(): Promise<void> {
    await binaryPreflight(this.o.etcdBin);
    await this.runtime();
  }

  network(c: ClusterDraft): Promise<ClusterNetwork> {
    return createClusterNetwork(c.runDir, `ktc${c.runId}c${c.index}`, c.name);
  }

  async controlPlane(c: ClusterDraft, network: ClusterNetwork): Promise<BinaryControlPlane> {
    const cp = await startControlPlane({
      runDir: c.runDir,
      owner: c.name,
      dir: c.dir,
      binDir: this.o.binDir,
      etcdBin: this.o.etcdBin,
      apiServerIp: network.gateway,
      spec: c.spec,
      faults: this.o.faults,
      tokenFileLines: [c.tokenFileLine],
    });
    return { ...cp, caCertPem: cp.pki.caCertPem };
  }

  async versions(): Promise<ComponentVersions> {
    const k = (b: string) => firstLine([join(this.o.binDir, b), "--version"]);
    const runtime = await this.runtime();
    return {
      "kube-apiserver": await k("kube-apiserver"),
      "kube-controller-manager": await k("kube-controller-manager"),
      kubelet: await k("kubelet"),
      etcd: await firstLine([this.o.etcdBin, "--version"]),
      containerd: await firstLine([runtime.containerd, "--version"]),
      runc: await firstLine([runtime.runc, "--version"]),
    };
  }

  async state(c: ClusterDraft, network: ClusterNetwork): Promise<Omit<BinaryClusterState, keyof ClusterStateBase>> {
    return { index: c.index, binDir: this.o.binDir, network, runtime: await this.runtime(), faults: this.o.faults };
  }

  attach(state: BinaryClusterState): Cluster {
    return new BinaryCluster(state);
  }
}
