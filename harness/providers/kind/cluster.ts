import { run } from "../../exec/command";
import { linesSince } from "../../report/log-window";
import { bootstrapCredential, loadClusterState, type ClusterStateBase } from "../cluster-state";
import type { Node } from "../provider";
import { RecordedCluster } from "../recorded-cluster";
import type { NodeSpec } from "../spec";
import type { CgroupVersion } from "../../host/cgroup";
import { joinContainerNode } from "../../container-node/join";
import { isHarnessNodeImage } from "./node-image";
import { KIND_CLUSTER_LABEL } from "./docker-objects";
import { KIND_RESOURCE_DELETERS } from "./resource-deleters";

/** What a later suite needs to attach to a kind cluster of this run (cluster.json). */
export interface KindClusterState extends ClusterStateBase {
  network: string;
  kindBin: string;
  image: string;
  /** The node image's release and the host's cgroup version: what the joined kubelets' config needs. */
  k8sVersion: string;
  hostCgroup: CgroupVersion;
}

export const loadState = (dir: string) => loadClusterState<KindClusterState>(dir);

export class KindCluster extends RecordedCluster<KindClusterState> {
  constructor(s: KindClusterState) {
    super(s, KIND_RESOURCE_DELETERS);
  }

  get controlPlaneContainer() { return `${this.s.name}-control-plane`; }

  /**
   * A new node container from the cluster's node image on the cluster's
   * network, with kind's labels (so `kind export logs` and `kind delete
   * cluster` include it), kubeadm's kubelet configuration and a fresh
   * credential (../../container-node/join.ts).
   */
  async joinNode(spec: NodeSpec): Promise<Node> {
    const credential = await bootstrapCredential(this.kube, this.s, this.bootstrapperGroups, spec.credential);
    const where = {
      image: this.s.image,
      network: this.s.network,
      labels: { [KIND_CLUSTER_LABEL]: this.name, "io.x-k8s.kind.role": "worker" },
      kubeletVersion: this.s.k8sVersion,
      hostCgroup: this.s.hostCgroup,
      runtimeConfigExpected: isHarnessNodeImage(this.s.image),
    };
    return joinContainerNode(this.s.runDir, this, where, { ...spec, ...credential });
  }

  async controlPlaneLogs(since: Date): Promise<Record<string, string>> {
    const cp = this.controlPlaneContainer;
    // The static pods' CRI logs carry an RFC 3339 timestamp on every line.
    const podLog = async (component: string) => {
      const script = `cat /var/log/pods/kube-system_${component}-${cp}_*/${component}/*.log 2>&1`;
      return run(["docker", "exec", cp, "sh", "-c", script]).then((r) => linesSince(r.stdout, since), (e: Error) => e.message);
    };
    return {
      "kube-apiserver": await podLog("kube-apiserver"),
      "kube-controller-manager": await podLog("kube-controller-manager"),
      etcd: await podLog("etcd"),
    };
  }
}
