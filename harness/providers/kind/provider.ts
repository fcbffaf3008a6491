import type { Cluster, ClusterProvider } from "../provider";
import type { ClusterSpec } from "../spec";
import { createCluster } from "../create-cluster";
import { KindCluster, loadState } from "./cluster";
import { KindCreateSteps } from "./create-steps";

export interface KindProviderOptions {
  runDir: string;
  kindBin: string;
  image: string;
  k8sVersion: string;
  /** Where `kind export logs` writes before every delete (kept after the run). */
  logsRoot: string;
}

/**
 * kind clusters created with the kind CLI from a node image built offline
 * (tools/kind), with extra nodes started by testcontainers and joined with
 * bootstrap tokens. Bindings follow kubeadm, as kind's do.
 */
export class KindProvider implements ClusterProvider {
  readonly name = "kind";
  private readonly steps: KindCreateSteps;

  constructor(private readonly o: KindProviderOptions) {
    this.steps = new KindCreateSteps(o);
  }

  create(spec: ClusterSpec): Promise<Cluster> {
    return createCluster(this.o.runDir, spec, this.steps);
  }

  async attach(handle: string): Promise<Cluster> {
    return new KindCluster(await loadState(handle));
  }
}
