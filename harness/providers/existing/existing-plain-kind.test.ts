/**
 * The existing provider against a cluster the harness did not configure at
 * all: `kind create cluster` with kind's own defaults on the project's node
 * image, changed only where this machine and that image require it (below).
 * Every suite passes or skips with a reason; none fails; the cluster holds
 * the same objects afterwards.
 *
 * @longWait its renewal suite waits for a kubelet to renew a 600 s certificate (5.5-8.5 min).
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { run } from "../../exec/command";
import { clientsFromFile } from "../../kube/clients";
import { startCli } from "../../selftest/cli-run";
import { TestRunsRoot } from "../../selftest/runs-root";
import { eventually } from "../../wait/eventually";
import { snapshotClusterObjects } from "./cluster-objects-snapshot";

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

const runsRoot = new TestRunsRoot("p");
const scratch = mkdtempSync(join(tmpdir(), "ktc-plain-kind-"));
const clusterName = `ktc-plain-${process.pid}`;
const kubeconfig = join(scratch, "kubeconfig");
let kind = "";

beforeAll(async () => {
  // The kind CLI and node image the kind provider prepares (built once, cached).
  const prepare = startCli("main", ["--provider", "kind", "--prepare-only"]);
  const { code } = await prepare.exit;
  const out = prepare.output();
  if (code !== 0) throw new Error(`kind --prepare-only exited ${code}:\n${out.slice(-3000)}`);
  kind = out.match(/kind CLI: (\S+)/)![1]!;
  const image = out.match(/kind node image (\S+)/)![1]!;
  writeFileSync(join(scratch, "kind.yaml"), PLAIN_KIND_CONFIG);
  // A docker network of the test's own (kind's default, "kind", would outlive it).
  await run([kind, "create", "cluster", "--name", clusterName, "--image", image, "--config", join(scratch, "kind.yaml"), "--kubeconfig", kubeconfig], {
    timeoutMs: 5 * 60_000,
    env: { KIND_EXPERIMENTAL_DOCKER_NETWORK: clusterName },
  });
}, 10 * 60_000);

afterAll(async () => {
  await runsRoot.cleanUpAndRemove();
  if (kind) await run([kind, "delete", "cluster", "--name", clusterName, "--kubeconfig", kubeconfig]);
  await run(["docker", "network", "rm", clusterName]).catch(() => undefined);
  rmSync(scratch, { recursive: true, force: true });
}, 3 * 60_000);

describe("the existing provider against a kind cluster made with kind's defaults", () => {
  it("every suite passes or skips with a reason, none fails, and the cluster's objects are the same afterwards", async () => {
    const snapshot = () => snapshotClusterObjects(clientsFromFile(kubeconfig));
    // A new cluster's kubelet renews its Lease a moment after it registers.
    const before = await eventually(async () => (await snapshot().then((s) => (s.nodes.every((n) => s.nodeLeases.includes(n)) ? s : undefined))), {
      what: "a Lease for every Node of the new cluster",
      timeoutMs: 60_000,
    });
    const cli = startCli("main", ["--provider", "existing", "--kubeconfig", kubeconfig], { KTC_RUNS_ROOT: runsRoot.path });
    const { code } = await cli.exit;
    const out = cli.output();
    expect({ code, tail: code === 0 ? "" : out.slice(-4000) }).toEqual({ code: 0, tail: "" });
    expect(out).toMatch(/nodes reach the API server at https:\/\/[\d.]+:6443 \(the kubeconfig's server https:\/\/127\.0\.0\.1:\d+ is a loopback address/);
    const [, passed, skipped] = out.match(/\n(\d+) passed, 0 failed, (\d+) skipped\n/) ?? [];
    expect(Number(passed)).toBeGreaterThan(0);
    // Every skip says why.
    const reasons = out.split("skipped, and why:\n")[1]!.trim().split("\n");
    expect(reasons.reduce((n, l) => n + Number(l.match(/^\s*(\d+) check\(s\): \S/)?.[1] ?? NaN), 0)).toBe(Number(skipped));
    expect(await snapshot()).toEqual(before);
  }, 15 * 60_000);
});
