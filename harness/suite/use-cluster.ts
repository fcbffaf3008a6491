import { randomBytes } from "node:crypto";
import { afterAll, beforeAll } from "@jest/globals";
import { clientsFromFile, type KubeClients } from "../kube/clients";
import { info } from "../log";
import type { Cluster, Node } from "../providers/provider";
import { providerFor } from "../providers/registry";
import { acquireCluster } from "./cluster-pool";
import { phase } from "../report/phase";
import { resolveSpec, type BootstrapCredential, type ClusterSpec } from "../providers/spec";
import { readRunEnv, type RunEnv } from "../run/run-env";
import { HarnessError } from "../errors";
import { Timeouts } from "../wait/timeouts";


export interface ClusterFixture {
  readonly env: RunEnv;
  /** The spec this suite runs against (base config + the suite's overrides). */
  readonly spec: ClusterSpec;
  readonly cluster: Cluster;
  readonly kube: KubeClients;
  /** Every node joined through this fixture, for failure evidence. */
  readonly nodes: readonly Node[];
  /** Joins a node with a run-unique name derived from `label`. */
  join(label: string, credential: BootstrapCredential): Promise<Node>;
}

/**
 * Declares the cluster a suite needs, as overrides of the run's base spec
 * (the vendor config). The cluster comes from the run's pool, shared with
 * other suites that need an equal spec, and lives until the run's sweep; the
 * nodes this suite joined are stopped when it ends. Node names are unique per
 * run so suites never collide.
 */
export function useCluster(overrides: Partial<ClusterSpec> = {}): ClusterFixture {
  const env = readRunEnv();
  const spec = resolveSpec(env.baseSpec, overrides);
  let cluster: Cluster | undefined;
  let kube: KubeClients | undefined;
  const nodes: Node[] = [];

  beforeAll(async () => {
    cluster = await phase("cluster up", () => acquireCluster(env.runDir, providerFor(env), spec));
    kube = clientsFromFile(cluster.adminKubeconfigPath);
  }, Timeouts.clusterUp);

  afterAll(async () => {
    if (env.keep) {
      if (cluster) info(`--keep: cluster ${cluster.name} left running; admin kubeconfig ${cluster.adminKubeconfigPath}`);
      return;
    }
    const errors: unknown[] = [];
    for (const n of nodes) await n.stop().catch((e) => errors.push(e));
    if (errors.length) throw new AggregateError(errors, `stopping the nodes of this suite had ${errors.length} error(s)`);
  }, Timeouts.clusterDown);

  const ready = <T>(value: T | undefined, what: string): T => {
    if (value === undefined) {
      throw new HarnessError(`the cluster is not up, so ${what} is not available`, {
        hint: "the cluster bring-up failed in beforeAll: see the first error of this suite",
      });
    }
    return value;
  };

  return {
    env,
    spec,
    get cluster() {
      return ready(cluster, "the cluster");
    },
    get kube() {
      return ready(kube, "the API client");
    },
    nodes,
    async join(label, credential) {
      const name = `${label}-${randomBytes(2).toString("hex")}`;
      const node = await ready(cluster, "joining a node").joinNode({ name, credential });
      nodes.push(node);
      return node;
    },
  };
}
