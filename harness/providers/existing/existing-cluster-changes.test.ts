/**
 * `--allow-cluster-changes` against a real cluster the harness did not
 * configure for the run (a kept binary cluster, whose nodeclient binding
 * covers every bootstrap token through Group system:bootstrappers): the
 * checks its bindings would otherwise rule out (first certificates approved
 * by hand) run and pass, and the cluster's bindings are put back as they
 * were, the same objects with the same subjects: after the run, and after a
 * SIGKILL followed by `npm run cleanup`.
 */
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { clientsFromFile } from "../../kube/clients";
import { NODECLIENT } from "../../kube/seed-bindings";
import { findLeaks, NO_LEAKS } from "../../run/leak-scan";
import { startCli } from "../../selftest/cli-run";
import { keptBinaryCluster } from "../../selftest/kept-cluster";
import { TestRunsRoot } from "../../selftest/runs-root";
import { snapshotClusterObjects, type ClusterObjectsSnapshot } from "./cluster-objects-snapshot";

const keptRoot = new TestRunsRoot("k");
const runsRoot = new TestRunsRoot("c");
let admin = "";
let before: ClusterObjectsSnapshot;

/** Everything but the bindings' resourceVersions: a binding put back is the same object with a new version. */
const snapshot = async () => ({ ...(await snapshotClusterObjects(clientsFromFile(admin))), clusterRoleBindings: [] });
const changingRun = (...args: string[]) => startCli("main", ["--provider", "existing", "--kubeconfig", admin, "--allow-cluster-changes", ...args], { KTC_RUNS_ROOT: runsRoot.path });

/** The subjects of the cluster's nodeclient bindings, as "Group system:bootstrappers". */
async function nodeclientSubjects(): Promise<string[]> {
  const bindings = (await clientsFromFile(admin).rbac.listClusterRoleBinding()).items.filter((b) => b.roleRef.name === NODECLIENT && !b.metadata!.name!.startsWith("ktc-"));
  return bindings.flatMap((b) => (b.subjects ?? []).map((s) => `${s.kind} ${s.name}`)).sort();
}

beforeAll(async () => {
  admin = await keptBinaryCluster(keptRoot);
  before = await snapshot();
  expect(await nodeclientSubjects()).toContain("Group system:bootstrappers");
}, 5 * 60_000);

afterAll(async () => {
  await runsRoot.cleanUpAndRemove();
  await keptRoot.cleanUpAndRemove();
}, 3 * 60_000);

describe("--allow-cluster-changes against a kept binary cluster", () => {
  it("runs the checks of first certificates approved by hand, which the cluster's bindings rule out, and puts its bindings back", async () => {
    const cli = changingRun("--suite", "approval,security");
    const { code } = await cli.exit;
    expect({ code, tail: code === 0 ? "" : cli.output().slice(-4000) }).toEqual({ code: 0, tail: "" });
    // Without the flag 5 of these 14 are skipped (existing-run.test.ts); the closing line names no skipped check.
    expect(cli.output()).toMatch(/\n14 passed, 0 failed\n/);
    expect(cli.output()).toContain("took Group system:bootstrappers out of ClusterRoleBinding");
    expect(await snapshot()).toEqual(before);
    expect(await findLeaks(runsRoot.path, [...runsRoot.seen])).toEqual(NO_LEAKS);
  }, 10 * 60_000);

  it("after a SIGKILL with the cluster's binding changed, `npm run cleanup` puts it back", async () => {
    const cli = changingRun("--suite", "approval");
    const changed = async () => !(await nodeclientSubjects()).includes("Group system:bootstrappers");
    expect(await runsRoot.killWhen(cli, "the run to take Group system:bootstrappers out of the cluster's nodeclient binding", changed)).toBe(0);
    expect(await snapshot()).toEqual(before);
    expect(await findLeaks(runsRoot.path, [...runsRoot.seen])).toEqual(NO_LEAKS);
  }, 10 * 60_000);
});
