import { bootstrapTokenSecret, newBootstrapToken } from "../../kube/bootstrap-token";
import { joinLocalNode, localNodeCluster } from "../../local-node/join";
import type { ClusterNetwork } from "../../local-node/network";
import { joinContainerNode } from "../../container-node/join";
import { registerSecret } from "../../report/redact";
import type { NodeRuntime } from "../../runtime/node-runtime";
import { ProvisionError } from "../../errors";
import { BOOTSTRAP_TOKEN_TTL_SECONDS, loadClusterState, type ClusterStateBase } from "../cluster-state";
import type { BootstrapIdentity, ClusterObject, Node } from "../provider";
import { RecordedCluster } from "../recorded-cluster";
import type { NodeSpec } from "../spec";
import { runIdOf } from "../../run/run-dir";
import { bindSelfNodeClient } from "./approval-bindings";
import { EXISTING_DELETERS } from "./deleters";
import type { NodePlacement } from "./node-placement";
import { recordBootstrapTokenSecret, recordCsrPrefix, recordNodeFootprint } from "./cluster-objects";
import { readTokenFileToken, type TokenFileCredential } from "./token-file-credential";

/** What a suite needs to join nodes to the running cluster (cluster.json). */
export interface ExistingClusterState extends ClusterStateBase {
  index: number;
  /**
   * Where its nodes run: local kubelet processes (the bridge on this machine
   * their namespaces hang on, their runtime and kubelet), or node containers
   * (node-placement.ts).
   */
  nodes: { placement: "process"; network: ClusterNetwork; runtime: NodeRuntime; kubeletBin: string } | Extract<NodePlacement, { placement: "container" }>;
  context: string;
  /** --allow-cluster-changes and a spec whose renewals are approved automatically: each node gets selfnodeclient bound to itself (approval-bindings.ts). */
  bindsRenewalsPerNode?: boolean;
  /** The vendor's token-file credential, if declared (settings.ts): where its token is, whom it authenticates as. */
  tokenFile?: TokenFileCredential;
}

export const loadState = (dir: string) => loadClusterState<ExistingClusterState>(dir);

/**
 * The running cluster, as one suite's spec sees it. Its nodes are local
 * kubelets (harness/local-node/) or node containers (harness/container-node/), each joining with a bootstrap-token Secret
 * of its own, or with the vendor's declared token-file credential, which the
 * run only reads; every object the run leaves on the cluster is recorded
 * before it exists and removed when the cluster is "destroyed" (the cluster itself stays).
 */
export class ExistingCluster extends RecordedCluster<ExistingClusterState> {
  constructor(s: ExistingClusterState) {
    super(s, EXISTING_DELETERS);
  }

  async joinNode(spec: NodeSpec): Promise<Node> {
    const { token, bootstrapUser } = spec.credential === "token-file" ? await this.declaredTokenFile(spec.name) : await this.newBootstrapTokenSecret();
    await recordNodeFootprint(this.where, spec.name, bootstrapUser);
    if (this.s.bindsRenewalsPerNode) await bindSelfNodeClient(this.kube, this.where, runIdOf(this.s.runDir), spec.name);
    const nodes = this.s.nodes;
    if (nodes.placement === "container") {
      // A vendor's image may run a containerd that does not hand the kubelet its cgroup driver: logged, not refused.
      return joinContainerNode(this.s.runDir, this, { ...nodes, labels: {}, runtimeConfigExpected: false }, { ...spec, token, bootstrapUser });
    }
    return joinLocalNode(localNodeCluster(this, { ...this.s, network: nodes.network, runtime: nodes.runtime }, nodes.kubeletBin), {
      name: spec.name,
      credential: spec.credential,
      token,
      bootstrapUser,
      serverTLSBootstrap: spec.serverTLSBootstrap ?? false,
      extraKubeletFlags: this.spec.extraFlags.kubelet ?? [],
    });
  }

  /** A bootstrap-token Secret for one node, recorded before it exists and removed at the end. */
  private async newBootstrapTokenSecret(): Promise<{ token: string; bootstrapUser: string }> {
    const t = newBootstrapToken(BOOTSTRAP_TOKEN_TTL_SECONDS);
    registerSecret(t.token);
    await this.willCreate({ kind: "bootstrap-token-secret", tokenId: t.id });
    await this.kube.core.createNamespacedSecret({ namespace: "kube-system", body: bootstrapTokenSecret(t, { extraGroups: [...this.bootstrapperGroups] }) });
    return { token: t.token, bootstrapUser: t.user };
  }

  /** The vendor's token-file token, as declared: the run reads it and never creates, changes or deletes it. */
  private async declaredTokenFile(node: string): Promise<{ token: string; bootstrapUser: string }> {
    return { token: await readTokenFileToken(this.declared(node).declared), bootstrapUser: this.declared(node).identity.user };
  }

  override get tokenFileIdentity(): BootstrapIdentity {
    return this.declared("a token-file node").identity;
  }

  private declared(node: string): TokenFileCredential {
    if (this.s.tokenFile) return this.s.tokenFile;
    throw new ProvisionError(`${node} would join the cluster of ${this.s.adminKubeconfigPath} with its token-file credential, and the config declares none`, {
      hint: "declare tokenFileToken or tokenFileBootstrapKubeconfig in the --config file (the definition skips token-file nodes without it)",
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
