/**
 * Runs through `--provider existing` against a real cluster the harness did
 * not configure for that run (a binary cluster kept by another run, as a
 * vendor's would be), with the token of its --token-auth-file declared in the
 * config as a vendor would: what the cluster is, runs, and what it is not, is
 * skipped with its reason; and the run leaves it exactly as it found it:
 * after a passing run, and after a SIGKILL followed by `npm run cleanup`,
 * the CSRs the vendor's own nodes made with that shared token-file identity included.
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
import { startCli, type CliRun } from "../../selftest/cli-run";
import { keptBinaryCluster, keptClusterTokenFileToken } from "../../selftest/kept-cluster";
import { TestRunsRoot } from "../../selftest/runs-root";
import { eventually } from "../../wait/eventually";
import { snapshotClusterObjects, type ClusterObjectsSnapshot } from "./cluster-objects-snapshot";

/** The kept cluster's run, and the existing provider's runs against it, in runs roots of their own. */
const keptRoot = new TestRunsRoot("k");
const runsRoot = new TestRunsRoot("x");
let admin = "";
/** The vendor config: the kept cluster's token-file token (tokenFileToken). */
let config = "";
let before: ClusterObjectsSnapshot;

const snapshot = () => snapshotClusterObjects(clientsFromFile(admin));
const existingRun = (...args: string[]) => startCli("main", ["--provider", "existing", "--kubeconfig", admin, "--config", config, ...args], { KTC_RUNS_ROOT: runsRoot.path });

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
  await keptRoot.cleanUpAndRemove();
}, 3 * 60_000);

/** Waits until the run has started a kubelet on the cluster. */
function waitForKubelet(cli: CliRun): Promise<true> {
  return eventually(
    async () => (runsRoot.runIds().some((id) => existsSync(join(runsRoot.path, id, "pids")) && readdirSync(join(runsRoot.path, id, "pids")).some((f) => f.endsWith("-kubelet.json"))) ? true : undefined),
    { what: "the run to start a kubelet", timeoutMs: 5 * 60_000, describe: () => `output so far:\n${cli.output().slice(-2000)}` },
  );
}

describe("the existing provider against a kept binary cluster", () => {
  it("every suite passes through it or skips with the reason the cluster's spec gives, and the cluster holds exactly the objects it had before", async () => {
    const cli = existingRun();
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
    expect(await snapshot()).toEqual(before);
    expect(await findLeaks(runsRoot.path, [...runsRoot.seen])).toEqual(NO_LEAKS);
  }, 15 * 60_000);

  it("after a SIGKILL half-way, `npm run cleanup` restores the cluster", async () => {
    const cli = existingRun("--suite", "bootstrap");
    await waitForKubelet(cli);
    const during = await eventually(async () => ((await snapshot()).kubeSystemSecrets.length > before.kubeSystemSecrets.length ? true : undefined), {
      what: "the run's bootstrap-token Secret on the cluster",
      timeoutMs: 60_000,
    });
    expect(during).toBe(true);
    expect(await runsRoot.killThenCleanUp(cli)).toBe(0);
    expect(await snapshot()).toEqual(before);
    expect(await findLeaks(runsRoot.path, [...runsRoot.seen])).toEqual(NO_LEAKS);
  }, 10 * 60_000);
});
