import { GenericContainer, Wait } from "testcontainers";
import { RUN_LABEL } from "./docker";

/** A file the harness writes into a node before starting its kubelet. */
export interface NodeFile {
  path: string;
  content: string;
  mode: number;
}

export interface NodeContainerOptions {
  image: string;
  /** Container name (unique on the docker host). */
  containerName: string;
  /** Host name inside the node, which the kubelet registers as the Node name. */
  hostname: string;
  network: string;
  runId: string;
  /** Labels besides the run's: kind's (io.x-k8s.kind.cluster, .role) make `kind export logs` and `kind delete cluster` include the node. */
  labels: Record<string, string>;
  startupTimeoutMs: number;
}

/**
 * A node container from a kind node image, started the way kind's docker
 * provider starts its own (providers/docker/provision.go): privileged, private
 * cgroup namespace, tmpfs /run and /tmp, /lib/modules read-only, on the
 * cluster's network, with the run's label (so the harness's sweep finds it)
 * and the caller's.
 */
export class NodeContainer extends GenericContainer {
  constructor(o: NodeContainerOptions) {
    // testcontainers' reaper is an image pulled from a registry, which
    // air-gapped machines lack; the harness removes its containers itself
    // (records and the run label: join.ts, docker.ts).
    process.env.TESTCONTAINERS_RYUK_DISABLED ??= "true";
    super(o.image);
    this.withName(o.containerName)
      .withHostname(o.hostname)
      .withPrivilegedMode()
      .withNetworkMode(o.network)
      .withTmpFs({ "/run": "rw", "/tmp": "rw" })
      .withSecurityOpt("seccomp=unconfined", "apparmor=unconfined", "label=disable")
      .withBindMounts([{ source: "/lib/modules", target: "/lib/modules", mode: "ro" }])
      .withLabels({ [RUN_LABEL]: o.runId, ...o.labels })
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
