import { ProvisionError } from "../errors";
import { clientsFromFile, type KubeClients } from "../kube/clients";
import { bootstrapGroup, bootstrapTokenExtraGroups, TOKEN_FILE_USER } from "../kube/seed-bindings";
import type { ResourceDeleter } from "../run/resources";
import { sweepRecorded } from "../run/sweep";
import type { ClusterStateBase } from "./cluster-state";
import type { BootstrapIdentity, Cluster, ClusterObject, Node } from "./provider";
import type { NodeSpec } from "./spec";

/**
 * What every provider's cluster shares: it is its saved state (cluster.json),
 * reached through an admin client, and destroyed by sweeping what the run
 * recorded for it (processes and namespaces, or containers and the kind
 * cluster). Providers add how nodes join and where the logs are.
 */
export abstract class RecordedCluster<S extends ClusterStateBase> implements Cluster {
  readonly kube: KubeClients;
  private destroyed = false;

  /** `deleters`: the provider's, for what the run recorded for this cluster. */
  constructor(
    protected readonly s: S,
    private readonly deleters: readonly ResourceDeleter[],
  ) {
    this.kube = clientsFromFile(s.adminKubeconfigPath);
  }

  get name() { return this.s.name; }
  get handle() { return this.s.dir; }
  get spec() { return this.s.spec; }
  get adminKubeconfigPath() { return this.s.adminKubeconfigPath; }
  get caCertPem() { return this.s.caCertPem; }
  get serverCaPem() { return this.s.serverCaPem ?? this.s.caCertPem; }
  get apiServerUrl() { return this.s.apiServerUrl; }
  get versions() { return this.s.versions; }
  get bootstrapperGroups() { return this.s.bootstrapperGroups ?? bootstrapTokenExtraGroups(this.spec.bindingStyle); }
  get timingsMs() { return this.s.timingsMs; }
  /** The harness's own token-file line (create-cluster.ts). */
  get tokenFileIdentity(): BootstrapIdentity { return { user: TOKEN_FILE_USER, groups: [bootstrapGroup(this.spec.bindingStyle)] }; }

  abstract joinNode(spec: NodeSpec): Promise<Node>;

  /** The harness's own clusters go whole at the end: nothing to record. */
  async willCreate(_o: ClusterObject): Promise<void> {}
  abstract controlPlaneLogs(since: Date): Promise<Record<string, string>>;

  async destroy(): Promise<void> {
    if (this.destroyed) return;
    this.destroyed = true;
    const errors = await sweepRecorded(this.s.runDir, this.deleters, this.name);
    if (errors.length) throw new ProvisionError(`destroying cluster ${this.name} had ${errors.length} error(s):\n  ${errors.join("\n  ")}`);
  }
}
