import { randomBytes } from "node:crypto";
import { afterAll, beforeAll } from "@jest/globals";
import { clientsFromFile, type KubeClients } from "../kube/clients";
import { info } from "../log";
import type { Cluster, Node } from "../providers/provider";
import { providerFor } from "../providers/registry";
import type { BootstrapCredential, ClusterSpec } from "../providers/spec";
import { readRunEnv, type RunEnv } from "../run/run-env";
import { HarnessError } from "../errors";
import { Timeouts } from "../wait/timeouts";


export interface ClusterFixture {
  readonly env: RunEnv;
  readonly cluster: Cluster;
  readonly kube: KubeClients;
  /** Every node joined through this fixture, for failure evidence. */
  readonly nodes: readonly Node[];
  /** Joins a node with a run-unique name derived from `label`. */
  join(label: string, credential: BootstrapCredential): Promise<Node>;
}

/**
 * Declares the cluster a suite needs: created in beforeAll, destroyed in
 * afterAll (unless --keep), like the e2e framework's per-describe framework
 * object. Node names are unique per run so tests never collide.
 */
export function useCluster(spec: ClusterSpec): ClusterFixture {
  const env = readRunEnv();
  let cluster: Cluster | undefined;
  let kube: KubeClients | undefined;
  const nodes: Node[] = [];

  beforeAll(async () => {
    cluster = await providerFor(env).create(spec);
    kube = clientsFromFile(cluster.adminKubeconfigPath);
  }, Timeouts.clusterUp);

  afterAll(async () => {
    if (!cluster) return;
    if (env.keep) {
      info(`--keep: cluster ${cluster.name} left running; admin kubeconfig ${cluster.adminKubeconfigPath}`);
      return;
    }
    await cluster.destroy();
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
