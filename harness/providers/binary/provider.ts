import type { Cluster, ClusterProvider } from "../provider";
import type { ClusterSpec } from "../spec";
import type { Fault } from "../fault-injection";
import { createCluster } from "../create-cluster";
import { BinaryCluster, loadState } from "./cluster";
import { BinaryCreateSteps } from "./create-steps";

export interface BinaryProviderOptions {
  runDir: string;
  binDir: string;
  etcdBin: string;
  /** Negative controls only: every cluster this provider makes carries them. */
  faults: Fault[];
}

/**
 * A real control plane (etcd, kube-apiserver, kube-controller-manager) and
 * kubelets with containerd, all as local processes, as in a binary install.
 */
export class BinaryProvider implements ClusterProvider {
  readonly name = "binary";
  private readonly steps: BinaryCreateSteps;

  constructor(private readonly o: BinaryProviderOptions) {
    this.steps = new BinaryCreateSteps(o);
  }

  create(spec: ClusterSpec): Promise<Cluster> {
    return createCluster(this.o.runDir, spec, this.steps);
  }

  async attach(handle: string): Promise<Cluster> {
    return new BinaryCluster(await loadState(handle));
  }
}
