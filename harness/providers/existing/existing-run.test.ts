/**
 * Runs through `--provider existing` against a real cluster the harness did
 * not configure for that run (a binary cluster kept by another run, as a
 * vendor's would be), with the token of its --token-auth-file declared in the
 * config as a vendor would: what the cluster is, runs, and what it is not, is
 * skipped with its reason; and the runs leave it exactly as they found it:
 * a passing run, and beside it a run SIGKILLed half-way and then
 * `npm run cleanup`, the CSRs the vendor's own nodes made with that shared
 * token-file identity included.
 *
 * @longWait its renewal suite waits for a kubelet to renew a 600 s certificate (5.5-8.5 min).
 */
import { existsSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { KubeConfig } from "@kubernetes/client-node";
import { clientsFromFile } from "../../kube/clients";
import { KUBELET_CLIENT_SIGNER } from "../../kube/csr";
import { clientsAs, createCsrAs } from "../../kube/identities";
import { findLeaks, NO_LEAKS } from "../../run/leak-scan";
import { listResources } from "../../run/resources";
import { startCli } from "../../selftest/cli-run";
import { keptBinaryCluster, keptClusterTokenFileToken } from "../../selftest/kept-cluster";
import { TestRunsRoot } from "../../selftest/runs-root";
import { EXISTING_RESOURCE_KINDS } from "./cluster-objects";
import { snapshotClusterObjects, type ClusterObjectsSnapshot } from "./cluster-objects-snapshot";

/** The kept cluster's run, and the existing provider's two runs against it, in runs roots of their own. */
const keptRoot = new TestRunsRoot("k");
const runsRoot = new TestRunsRoot("x");
const killRoot = new TestRunsRoot("y");
let admin = "";
/** The vendor config: the kept cluster's token-file token (tokenFileToken). */
let config = "";
let before: ClusterObjectsSnapshot;

const snapshot = () => snapshotClusterObjects(clientsFromFile(admin));
const existingRun = (root: TestRunsRoot, ...args: string[]) => startCli("main", ["--provider", "existing", "--kubeconfig", admin, "--config", config, ...args], { KTC_RUNS_ROOT: root.path });

/** A CSR made with the token-file token for a node of the vendor's own, as theirs would be: the run must leave it. */
async function vendorOwnNodeCsr(token: string): Promise<void> {
  const kc = new KubeConfig();
  kc.loadFromFile(admin);
  const cluster = kc.getCurrentCluster()!;
  const asTokenFile = clientsAs(cluster.server, Buffer.from(cluster.caData!, "base64").toString(), "kubelet-bootstrap", { kind: "token", token });
  await createCsrAs(asTokenFile, { subject: "CN=system:node:vendor-own-node, O=system:nodes", signerName: KUBELET_CLIENT_SIGNER, usages: ["digital signature", "client auth"], generateName: "vendor-own-" });
}

beforeAll(async () => {
  admin = await keptBinaryCluster(keptRoot);
  const token = keptClusterTokenFileToken(admin);
  config = join(keptRoot.path, "vendor.yaml");
  writeFileSync(config, `tokenFileToken: "${token}"\n`, { mode: 0o600 });
  await vendorOwnNodeCsr(token);
  before = await snapshot();
}, 5 * 60_000);

afterAll(async () => {
  await runsRoot.cleanUpAndRemove();
  await killRoot.cleanUpAndRemove();
  await keptRoot.cleanUpAndRemove();
}, 3 * 60_000);

/**
 * The SIGKILL run got far enough to have changed the cluster: a kubelet of its
 * own runs, and a bootstrap-token Secret it recorded is on the cluster.
 */
async function killRunChangedTheCluster(): Promise<boolean> {
  const runDirs = killRoot.runIds().map((id) => join(killRoot.path, id));
  const kubeletStarted = runDirs.some((d) => existsSync(join(d, "pids")) && readdirSync(join(d, "pids")).some((f) => f.endsWith("-kubelet.json")));
  if (!kubeletStarted) return false;
  const recorded = (await Promise.all(runDirs.map(listResources))).flat().filter((r) => r.kind === EXISTING_RESOURCE_KINDS.bootstrapToken);
  const secrets = new Set((await clientsFromFile(admin).core.listNamespacedSecret({ namespace: "kube-system" })).items.map((s) => s.metadata!.name));
  return recorded.some((r) => secrets.has(r.name));
}

// The two runs go side by side, as two runs against one vendor cluster would
// (and the SIGKILL run does not add its minute to the full run's wait); the
// cluster is compared with its snapshot once both are done.
describe("the existing provider against a kept binary cluster", () => {
  it.concurrent("every suite passes through it or skips with the reason the cluster's spec gives", async () => {
    const cli = existingRun(runsRoot);
    const { code } = await cli.exit;
    expect({ code, tail: code === 0 ? "" : cli.output().slice(-4000) }).toEqual({ code: 0, tail: "" });
    // The kept cluster is the default spec (both auto-approve bindings, one-year signer, ten-year CA): what differs from it is skipped, and only that.
    // Its renewal runs on a 600 s certificate (harness/suite/short-certificate.ts). Its token-file node joins with the declared
    // token, so bootstrap's 11 token-file checks run too (41 passed, 20 skipped before: those 11 were skipped).
    const [, passed, skipped] = cli.output().match(/\n(\d+) passed, 0 failed, (\d+) skipped\n/) ?? [];
    expect({ passed: Number(passed), skipped: Number(skipped) }).toEqual({ passed: 52, skipped: 9 });
    const reasons = cli.output().split("skipped, and why:\n")[1]!.trim().split("\n").map((l) => l.replace(/^\s*\d+ check\(s\): /, "")).sort();
    expect(reasons).toEqual([
      expect.stringMatching(/^they need a cluster CA valid for 3h/),
      expect.stringMatching(/^they need first client certificates left for approval by hand, and the cluster approves them automatically \(nodeclient bound to [^;]*\)$/),
      expect.stringMatching(/^they need kube-controller-manager --cluster-signing-duration=2h/),
      expect.stringMatching(/^they need renewals left for approval by hand, .*; they need kube-controller-manager --cluster-signing-duration=4m/),
    ]);
    expect(await findLeaks(runsRoot.path, [...runsRoot.seen])).toEqual(NO_LEAKS);
  }, 15 * 60_000);

  it.concurrent("a run SIGKILLed once it changed the cluster is removed by `npm run cleanup`", async () => {
    const cli = existingRun(killRoot, "--suite", "bootstrap");
    expect(await killRoot.killWhen(cli, "the run to start a kubelet, with a bootstrap-token Secret of its own on the cluster", killRunChangedTheCluster)).toBe(0);
    expect(await findLeaks(killRoot.path, [...killRoot.seen])).toEqual(NO_LEAKS);
  }, 10 * 60_000);

  it("afterwards the cluster holds exactly the objects it had before, the vendor's own CSR included", async () => {
    expect(await snapshot()).toEqual(before);
  });
});
