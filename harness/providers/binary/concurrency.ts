import { availableParallelism } from "node:os";
import type { Concurrency } from "../definition";

/**
 * A binary cluster is a handful of local processes (etcd, kube-apiserver,
 * kube-controller-manager, then containerd and a kubelet per node), so
 * clusters are cheap; what a run pays for is its jest workers, each loading
 * the harness and the API client at start. All seven suites' workers at once
 * on 2 cores started every suite 29 s into the run (alone: ~10 s), and the
 * renewal suite, the run's longest wait, ran ~40 s slower than alone at the
 * same draws; with 4 workers renewal started at 16 s, the other suites still
 * fitted into its wait, and the run was 1.09× renewal alone at the same
 * draws (1.38× with 7). So: two more suites than cores. A bring-up is a burst
 * of CPU (the API server's start), so one more than the cores are under way
 * at once.
 */
export function binaryConcurrency(): Concurrency {
  const cores = availableParallelism();
  return {
    suites: cores + 2,
    bringUps: cores + 1,
    why: `binary: ${cores + 2} suites (jest workers) at once on ${cores} cores (more workers start slower than they save); ${cores + 1} bring-ups at once`,
  };
}
