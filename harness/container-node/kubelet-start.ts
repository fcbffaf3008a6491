import type { StartedTestContainer } from "testcontainers";
import { ProvisionError } from "../errors";
import { info } from "../log";
import { cgroupDriverSource, judgeCgroupDriverSource, type CgroupDriverSource } from "../runtime/cgroup-driver-source";
import { eventually } from "../wait/eventually";
import { Timeouts } from "../wait/timeouts";
import type { NodeFile } from "./node-container";

/**
 * Starts a joining node's kubelet the way `kubeadm join` does
 * (cmd/kubeadm/app/cmd/phases/join/kubelet.go runKubeletStartJoinPhase): on a
 * booted node whose runtime is up, write the bootstrap kubeconfig, CA, kubelet
 * config and kubeadm-flags.env, then `systemctl restart kubelet`
 * (phases/kubelet/kubelet.go TryStartKubelet).
 *
 * Why not put the files in before the container boots: kind's kubelet.service
 * starts the kubelet as soon as /var/lib/kubelet/config.yaml exists
 * (ConditionPathExists), with no ordering on containerd.service. The kubelet
 * starts its client certificate manager, which sends the bootstrap CSR, in
 * buildKubeletClientConfig *before* PreInitRuntimeService checks the runtime
 * (cmd/kubelet/app/server.go run). When containerd's socket is not up yet that
 * check fails ("validate service connection"), the process exits 1 with its
 * CSR in flight, systemd restarts it (Restart=always, RestartSec=1s) and the
 * new process, which has no certificate yet, sends a second CSR with a new key.
 * Without config.yaml at boot the unit's condition keeps the kubelet stopped
 * until the harness starts it here.
 *
 * Then, as on a binary node, the kubelet must say it took its cgroup driver
 * from the runtime: `runtimeConfigExpected` (our node image, containerd 2)
 * makes the RuntimeConfig fallback a harness error; a vendor's image only
 * gets the line logged.
 */
export async function startJoinedKubelet(
  container: StartedTestContainer,
  node: string,
  files: readonly NodeFile[],
  o: { runtimeConfigExpected: boolean },
): Promise<void> {
  const state = await container.exec(["systemctl", "is-active", "kubelet", "containerd"]);
  const [kubelet, containerd] = state.stdout.trim().split("\n");
  if (containerd !== "active" || kubelet === "active") {
    throw new ProvisionError(`node ${node} is not ready for its kubelet: containerd ${containerd ?? "unknown"}, kubelet ${kubelet ?? "unknown"} (want containerd active, kubelet not started)`, {
      hint: "the node image must enable containerd.service and must not carry /var/lib/kubelet/config.yaml (kind's kubelet.service starts the kubelet when that file exists)",
    });
  }
  await container.copyContentToContainer(files.map((f) => ({ content: f.content, target: f.path, mode: f.mode })));
  const r = await container.exec(["systemctl", "restart", "kubelet"]);
  if (r.exitCode !== 0) {
    throw new ProvisionError(`node ${node}: systemctl restart kubelet exited ${r.exitCode}: ${(r.stderr || r.stdout).trim()}`, {
      hint: "the node's journal says why: docker exec <node container> journalctl -u kubelet (rerun with --keep)",
    });
  }
  await checkCgroupDriverSource(container, node, o.runtimeConfigExpected);
}

async function checkCgroupDriverSource(container: StartedTestContainer, node: string, runtimeConfigExpected: boolean): Promise<void> {
  const journal = async () => (await container.exec(["journalctl", "-u", "kubelet", "--no-pager", "-o", "cat"])).stdout;
  let seen: CgroupDriverSource | undefined;
  await eventually(async () => (seen = cgroupDriverSource(await journal())), {
    what: `kubelet of node ${node} to log where its cgroup driver comes from (server.go getCgroupDriverFromCRI)`,
    timeoutMs: Timeouts.componentReady,
    blame: "harness",
    describe: async () => `the kubelet's last lines:\n${(await journal()).trimEnd().split("\n").slice(-5).join("\n")}`,
  });
  info(judgeCgroupDriverSource(seen!, { node, runtimeConfigExpected, containerd: "the node image's containerd", containerdLog: "journalctl -u containerd on the node" }));
}
