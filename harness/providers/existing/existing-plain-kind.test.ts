/**
 * The existing provider against a cluster the harness did not configure at
 * all: `kind create cluster` with kind's own defaults on the project's node
 * image, changed only where this machine and that image require it (below).
 * Its test nodes are node containers of that image on the cluster's docker
 * network (the config's `nodes`; existing-run.test.ts runs them as local
 * processes). Every suite passes or skips with a reason; none fails; beside
 * it a run is SIGKILLed once a node container of its own runs and removed by
 * `npm run cleanup`; afterwards the cluster holds the same objects and no
 * container of either run is left.
 *
 * @longWait its renewal suite waits for a kubelet to renew a 600 s certificate (5.5-8.5 min).
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { stringify } from "yaml";
import { run } from "../../exec/command";
import { clientsFromFile } from "../../kube/clients";
import { startCli } from "../../selftest/cli-run";
import { TestRunsRoot } from "../../selftest/runs-root";
import { eventually } from "../../wait/eventually";
import { RUN_LABEL } from "../../container-node/docker";
import { findLeaks, NO_LEAKS } from "../../run/leak-scan";
import { snapshotClusterObjects, type ClusterObjectsSnapshot } from "./cluster-objects-snapshot";

/**
 * kind's defaults but for two lines: kubelets from 1.35 refuse a cgroup v1
 * host unless told not to (this machine is cgroup v1), and the project's node
 * image carries no CNI manifest (there is no registry here to pull one from).
 */
const PLAIN_KIND_CONFIG = `kind: Cluster
apiVersion: kind.x-k8s.io/v1alpha4
kubeadmConfigPatches:
- |
  kind: KubeletConfiguration
  failCgroupV1: false
networking:
  disableDefaultCNI: true
`;

/** The two runs against the cluster, in runs roots of their own. */
const runsRoot = new TestRunsRoot("p");
const killRoot = new TestRunsRoot("q");
const scratch = mkdtempSync(join(tmpdir(), "ktc-plain-kind-"));
const clusterName = `ktc-plain-${process.pid}`;
const kubeconfig = join(scratch, "kubeconfig");
let kind = "";
/** The vendor config: node containers of the cluster's own image, on its network. */
const config = join(scratch, "vendor.yaml");
const snapshot = () => snapshotClusterObjects(clientsFromFile(kubeconfig));
const existingRun = (root: TestRunsRoot, ...args: string[]) => startCli("main", ["--provider", "existing", "--kubeconfig", kubeconfig, "--config", config, ...args], { KTC_RUNS_ROOT: root.path });
let before: ClusterObjectsSnapshot;

beforeAll(async () => {
  // The kind CLI and node image the kind provider prepares (built once, cached).
  const prepare = startCli("main", ["--provider", "kind", "--prepare-only"]);
  const { code } = await prepare.exit;
  const out = prepare.output();
  if (code !== 0) throw new Error(`kind --prepare-only exited ${code}:\n${out.slice(-3000)}`);
  kind = out.match(/kind CLI: (\S+)/)![1]!;
  const image = out.match(/kind node image (\S+)/)![1]!;
  writeFileSync(join(scratch, "kind.yaml"), PLAIN_KIND_CONFIG);
  writeFileSync(config, stringify({ nodes: { placement: "container", image, network: clusterName } }));
  // A docker network of the test's own (kind's default, "kind", would outlive it).
  await run([kind, "create", "cluster", "--name", clusterName, "--image", image, "--config", join(scratch, "kind.yaml"), "--kubeconfig", kubeconfig], {
    timeoutMs: 5 * 60_000,
    env: { KIND_EXPERIMENTAL_DOCKER_NETWORK: clusterName },
  });
  // A new cluster's kubelet renews its Lease a moment after it registers.
  before = await eventually(async () => (await snapshot().then((s) => (s.nodes.every((n) => s.nodeLeases.includes(n)) ? s : undefined))), {
    what: "a Lease for every Node of the new cluster",
    timeoutMs: 60_000,
  });
}, 10 * 60_000);

afterAll(async () => {
  await runsRoot.cleanUpAndRemove();
  await killRoot.cleanUpAndRemove();
  if (kind) await run([kind, "delete", "cluster", "--name", clusterName, "--kubeconfig", kubeconfig]);
  await run(["docker", "network", "rm", clusterName]).catch(() => undefined);
  rmSync(scratch, { recursive: true, force: true });
}, 3 * 60_000);

// The two runs go side by side, as two runs against one vendor cluster would
// (and the SIGKILL run does not add its minute to the full run's wait); the
// cluster is compared with its snapshot once both are done.
describe("the existing provider against a kind cluster made with kind's defaults", () => {
  it.concurrent("every suite passes or skips with a reason, none fails", async () => {
    const cli = existingRun(runsRoot);
    const { code } = await cli.exit;
    const out = cli.output();
    expect({ code, tail: code === 0 ? "" : out.slice(-4000) }).toEqual({ code: 0, tail: "" });
    expect(out).toMatch(/nodes reach the API server at https:\/\/[\d.]+:6443 \(the kubeconfig's server https:\/\/127\.0\.0\.1:\d+ is a loopback address/);
    expect(out).toMatch(new RegExp(`its test nodes are containers of \\S+ \\(Kubernetes v[\\d.]+\\) on docker network ${clusterName}`));
    expect(out).toMatch(new RegExp(`joining node \\S+ \\(container \\S+ on network ${clusterName}\\)`));
    const [, passed, skipped] = out.match(/\n(\d+) passed, 0 failed, (\d+) skipped\n/) ?? [];
    expect(Number(passed)).toBeGreaterThan(0);
    // Every skip says why.
    const reasons = out.split("skipped, and why:\n")[1]!.trim().split("\n");
    expect(reasons.reduce((n, l) => n + Number(l.match(/^\s*(\d+) check\(s\): \S/)?.[1] ?? NaN), 0)).toBe(Number(skipped));
    expect(await findLeaks(runsRoot.path, [...runsRoot.seen])).toEqual(NO_LEAKS);
  }, 15 * 60_000);

  it.concurrent("a run SIGKILLed once a node container of its own runs is removed by `npm run cleanup`, the container too", async () => {
    const cli = existingRun(killRoot, "--suite", "bootstrap");
    const containerUp = async () => {
      const runIds = killRoot.runIds();
      const labels = (await run(["docker", "ps", "--filter", `network=${clusterName}`, "--format", `{{.Label "${RUN_LABEL}"}}`])).stdout.split("\n");
      return labels.some((l) => runIds.includes(l));
    };
    expect(await killRoot.killWhen(cli, "a node container of the run on the cluster's network", containerUp)).toBe(0);
    expect(await findLeaks(killRoot.path, [...killRoot.seen])).toEqual(NO_LEAKS);
  }, 10 * 60_000);

  it("afterwards the cluster holds exactly the objects it had before", async () => {
    expect(await snapshot()).toEqual(before);
  });
});
