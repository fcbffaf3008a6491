import { bootstrapTokenSecret, newBootstrapToken } from "../../kube/bootstrap-token";
import { joinLocalNode, localNodeCluster } from "../../local-node/join";
import type { ClusterNetwork } from "../../local-node/network";
import { LOCAL_NODE_RESOURCE_DELETERS } from "../../local-node/resource-deleters";
import { registerSecret } from "../../report/redact";
import type { NodeRuntime } from "../../runtime/node-runtime";
import { ProvisionError } from "../../errors";
import { BOOTSTRAP_TOKEN_TTL_SECONDS, loadClusterState, type ClusterStateBase } from "../cluster-state";
import type { ClusterObject, Node } from "../provider";
import { RecordedCluster } from "../recorded-cluster";
import type { NodeSpec } from "../spec";
import { runIdOf } from "../../run/run-dir";
import { bindSelfNodeClient } from "./approval-bindings";
import { EXISTING_CLUSTER_DELETERS, recordBootstrapTokenSecret, recordCsrPrefix, recordNodeFootprint } from "./cluster-objects";

/** What a suite needs to join nodes to the running cluster (cluster.json). */
export interface ExistingClusterState extends ClusterStateBase {
  index: number;
  /** The bridge on this machine the nodes' namespaces hang on. */
  network: ClusterNetwork;
  runtime: NodeRuntime;
  kubeletBin: string;
  context: string;
  /** --allow-cluster-changes and a spec whose renewals are approved automatically: each node gets selfnodeclient bound to itself (approval-bindings.ts). */
  bindsRenewalsPerNode?: boolean;
}

export const loadState = (dir: string) => loadClusterState<ExistingClusterState>(dir);

/**
 * The running cluster, as one suite's spec sees it. Its nodes are local
 * kubelets (harness/local-node/), each joining with a bootstrap-token Secret
 * of its own; every object the run leaves on the cluster is recorded before it
 * exists and removed when the cluster is "destroyed" (the cluster itself stays).
 */
export class ExistingCluster extends RecordedCluster<ExistingClusterState> {
  constructor(s: ExistingClusterState) {
    super(s, [...EXISTING_CLUSTER_DELETERS, ...LOCAL_NODE_RESOURCE_DELETERS]);
  }

  async joinNode(spec: NodeSpec): Promise<Node> {
    if (spec.credential !== "bootstrap-token") {
      throw new ProvisionError(`node ${spec.name} would join ${this.s.adminKubeconfigPath}'s cluster with a ${spec.credential} credential, which the harness does not know for a cluster it did not make`, {
        hint: "on a running cluster the harness joins nodes with bootstrap tokens it creates",
      });
    }
    const t = newBootstrapToken(BOOTSTRAP_TOKEN_TTL_SECONDS);
    registerSecret(t.token);
    await this.willCreate({ kind: "bootstrap-token-secret", tokenId: t.id });
    await this.kube.core.createNamespacedSecret({ namespace: "kube-system", body: bootstrapTokenSecret(t, { extraGroups: [...this.bootstrapperGroups] }) });
    await recordNodeFootprint(this.where, spec.name, t.user);
    if (this.s.bindsRenewalsPerNode) await bindSelfNodeClient(this.kube, this.where, runIdOf(this.s.runDir), spec.name);
    return joinLocalNode(localNodeCluster(this, this.s, this.s.kubeletBin), {
      name: spec.name,
      credential: spec.credential,
      token: t.token,
      bootstrapUser: t.user,
      serverTLSBootstrap: this.spec.serverTLSBootstrap,
      extraKubeletFlags: this.spec.extraFlags.kubelet ?? [],
    });
  }

  /** Recorded before it exists, removed at the end (cluster-objects.ts). */
  override async willCreate(o: ClusterObject): Promise<void> {
    if (o.kind === "bootstrap-token-secret") await recordBootstrapTokenSecret(this.where, o.tokenId);
    else await recordCsrPrefix(this.where, o.prefix);
  }

  /** Where its records go and what deletes them needs: the run, this cluster as owner, the kubeconfig. */
  private get where() {
    return { runDir: this.s.runDir, owner: this.name, kubeconfig: this.s.adminKubeconfigPath };
  }

  /** The control plane is the vendor's: its logs are not on this machine. */
  async controlPlaneLogs(): Promise<Record<string, string>> {
    return {};
  }
}
