import { randomBytes } from "node:crypto";
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { createBootstrapToken } from "../../kube/bootstrap-token";
import type { KubeClients } from "../../kube/clients";
import { renderKubeconfig } from "../../kube/kubeconfig";
import { bootstrapTokenExtraGroups, TOKEN_FILE_USER } from "../../kube/seed-bindings";
import { info } from "../../log";
import { runIdOf } from "../../run/run-dir";
import type { Cluster, ComponentVersions, Node } from "../provider";
import type { ClusterSpec, NodeSpec } from "../spec";
import type { ControlPlane } from "./control-plane";
import { createNodeNetwork, type ClusterNetwork } from "./network";
import { BinaryNode } from "./node";
import { containerdConfig, kubeletArgv, kubeletConfiguration, nodeLayout } from "./node-config";
import { logTail } from "./wait-daemon";

export interface BinaryClusterInit {
  runDir: string;
  name: string;
  index: number;
  dir: string;
  binDir: string;
  spec: ClusterSpec;
  network: ClusterNetwork;
  controlPlane: ControlPlane;
  /** The static token of the token-auth-file line. */
  tokenFileToken: string;
  versions: ComponentVersions;
}

/** Lifetime of the bootstrap-token Secrets created per join. */
const BOOTSTRAP_TOKEN_TTL_SECONDS = 3600;

export class BinaryCluster implements Cluster {
  private readonly nodes: BinaryNode[] = [];
  private nextHost = 10;
  private destroyed = false;

  constructor(private readonly i: BinaryClusterInit) {}

  get name() { return this.i.name; }
  get spec() { return this.i.spec; }
  get adminKubeconfigPath() { return this.i.controlPlane.adminKubeconfigPath; }
  get caCertPem() { return this.i.controlPlane.pki.caCertPem; }
  get apiServerUrl() { return this.i.controlPlane.apiServerUrl; }
  get versions() { return this.i.versions; }
  get kube(): KubeClients { return this.i.controlPlane.kube; }
  get timingsMs() { return this.i.controlPlane.timingsMs; }

  async joinNode(spec: NodeSpec): Promise<Node> {
    const hostIndex = this.nextHost++;
    const layout = nodeLayout(join(this.i.dir, "nodes", spec.name));
    await mkdir(join(layout.dir, "containerd"), { recursive: true });
    await mkdir(join(layout.dir, "cni", "net.d"), { recursive: true });
    const runId = runIdOf(this.i.runDir);
    const network = await createNodeNetwork(this.i.runDir, this.i.network, {
      netns: `ktc-${runId}-${this.i.index}-${hostIndex}`,
      hostVeth: `k${runId}${this.i.index}h${hostIndex}`,
      hostIndex,
    });

    let token: string;
    let bootstrapUser: string;
    if (spec.credential === "token-file") {
      token = this.i.tokenFileToken;
      bootstrapUser = TOKEN_FILE_USER;
    } else {
      const t = await createBootstrapToken(this.kube, {
        ttlSeconds: BOOTSTRAP_TOKEN_TTL_SECONDS,
        extraGroups: bootstrapTokenExtraGroups(this.spec.bindingStyle),
      });
      token = t.token;
      bootstrapUser = t.user;
    }

    // What a binary install's node has before its first start: the CA, a
    // bootstrap kubeconfig with the token, and no --kubeconfig file at all.
    await writeFile(layout.caFile, this.caCertPem);
    await writeFile(
      layout.bootstrapKubeconfig,
      renderKubeconfig({ server: this.apiServerUrl, user: "kubelet-bootstrap", caFile: layout.caFile, auth: { kind: "token", token } }),
      { mode: 0o600 },
    );
    await writeFile(layout.kubeletConfig, kubeletConfiguration({ layout, address: network.address, serverTLSBootstrap: this.spec.serverTLSBootstrap }));
    await writeFile(layout.containerdConfig, containerdConfig(layout));

    const node = new BinaryNode({
      runDir: this.i.runDir,
      name: spec.name,
      daemonPrefix: `${this.i.name}-${spec.name}-`,
      credential: spec.credential,
      bootstrapUser,
      layout,
      network,
      containerdArgv: ["containerd", "--config", layout.containerdConfig],
      kubeletArgv: kubeletArgv(join(this.i.binDir, "kubelet"), {
        layout,
        nodeName: spec.name,
        address: network.address,
        extraFlags: this.spec.extraFlags.kubelet ?? [],
      }),
    });
    this.nodes.push(node);
    info(`joining node ${spec.name} (${network.address}) with ${spec.credential} as ${bootstrapUser}`);
    await node.start();
    return node;
  }

  async logTails(lines: number): Promise<Record<string, string>> {
    const logs = join(this.i.dir, "logs");
    return {
      "kube-apiserver": await logTail(join(logs, "kube-apiserver.log"), lines),
      "kube-controller-manager": await logTail(join(logs, "kube-controller-manager.log"), lines),
      etcd: await logTail(join(logs, "etcd.log"), lines),
    };
  }

  /** Nodes first, then the control plane in reverse start order; every step is attempted. */
  async destroy(): Promise<void> {
    if (this.destroyed) return;
    this.destroyed = true;
    const errors: unknown[] = [];
    await Promise.all(this.nodes.map((n) => n.stop().catch((e) => errors.push(e))));
    for (const d of [...this.i.controlPlane.daemons].reverse()) await d.stop().catch((e) => errors.push(e));
    if (errors.length) throw new AggregateError(errors, `destroying cluster ${this.name} had ${errors.length} error(s)`);
  }
}

export function newStaticToken(): string {
  return randomBytes(16).toString("hex");
}
