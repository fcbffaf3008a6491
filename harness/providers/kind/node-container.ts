import { GenericContainer, Wait } from "testcontainers";
import { KIND_CLUSTER_LABEL, RUN_LABEL } from "./docker-objects";

/** A file the harness writes into a node before starting its kubelet. */
export interface NodeFile {
  path: string;
  content: string;
  mode: number;
}

export interface KindNodeContainerOptions {
  image: string;
  /** Container name (unique on the docker host). */
  containerName: string;
  /** Host name inside the node, which the kubelet registers as the Node name. */
  hostname: string;
  network: string;
  runId: string;
  cluster: string;
  startupTimeoutMs: number;
}

/**
 * An extra kind node, started the way kind's docker provider starts its own
 * (providers/docker/provision.go): privileged, private cgroup namespace,
 * tmpfs /run and /tmp, /lib/modules read-only, on the cluster's network, with
 * kind's labels (so `kind export logs`/`kind delete cluster` include it) and
 * the run's label (so the harness's sweep finds it).
 */
export class KindNodeContainer extends GenericContainer {
  constructor(o: KindNodeContainerOptions) {
    super(o.image);
    this.withName(o.containerName)
      .withHostname(o.hostname)
      .withPrivilegedMode()
      .withNetworkMode(o.network)
      .withTmpFs({ "/run": "rw", "/tmp": "rw" })
      .withSecurityOpt("seccomp=unconfined", "apparmor=unconfined", "label=disable")
      .withBindMounts([{ source: "/lib/modules", target: "/lib/modules", mode: "ro" }])
      .withLabels({ [RUN_LABEL]: o.runId, [KIND_CLUSTER_LABEL]: o.cluster, "io.x-k8s.kind.role": "worker" })
      .withEnvironment({ KIND_EXPERIMENTAL_CONTAINERD_SNAPSHOTTER: "" })
      // systemd has started containerd (Type=notify: ready once it serves its
      // socket). The kubelet stays stopped until its files are written after
      // this (kubelet-start.ts), as with `kubeadm join`.
      .withWaitStrategy(Wait.forSuccessfulCommand("systemctl is-active --quiet containerd"))
      .withStartupTimeout(o.startupTimeoutMs);
    // On a cgroup v1 host docker defaults to the host's cgroup namespace, where
    // kind's entrypoint cannot give the kubelet its /kubelet cgroup; kind itself
    // always asks for a private one. testcontainers has no builder method for it.
    (this.hostConfig as { CgroupnsMode?: string }).CgroupnsMode = "private";
  }
}
