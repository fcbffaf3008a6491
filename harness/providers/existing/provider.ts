import type { Cluster, ClusterProvider } from "../provider";
import type { ClusterSpec } from "../spec";
import { createCluster } from "../create-cluster";
import { ExistingCluster, loadState } from "./cluster";
import { ExistingCreateSteps } from "./create-steps";
import type { ExistingSettings } from "./settings";

/**
 * A running cluster the harness did not create (--kubeconfig). Each suite's
 * "cluster" is that one cluster with a bridge of its own on this machine, on
 * which its nodes run as local kubelets in network namespaces.
 */
export class ExistingProvider implements ClusterProvider {
  readonly name = "existing";
  private readonly steps: ExistingCreateSteps;

  constructor(private readonly o: { runDir: string; binDir: string; settings: ExistingSettings }) {
    this.steps = new ExistingCreateSteps(o);
  }

  create(spec: ClusterSpec): Promise<Cluster> {
    return createCluster(this.o.runDir, spec, this.steps);
  }

  async attach(handle: string): Promise<Cluster> {
    return new ExistingCluster(await loadState(handle));
  }
}
