import { availableParallelism } from "node:os";
import type { Concurrency } from "../definition";

/**
 * A binary cluster is a handful of local processes (etcd, kube-apiserver,
 * kube-controller-manager, then containerd and a kubelet per node): every
 * suite of the run can run at once (measured on 2 cores: all seven suites side by side,
 * load average 4-5). A bring-up is a burst of CPU (the API server's start),
 * so one more than the cores are under way at once.
 */
export function binaryConcurrency(): Concurrency {
  const cores = availableParallelism();
  return { suites: Number.POSITIVE_INFINITY, bringUps: cores + 1, why: `binary clusters are local processes; ${cores + 1} bring-ups at once on ${cores} cores` };
}
