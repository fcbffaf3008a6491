/**
 * The kind provider leaves nothing behind either: the real CLI creates real
 * kind clusters and node containers, is interrupted half-way (Ctrl-C; and
 * SIGKILL followed by `npm run cleanup`), and afterwards no container, docker
 * network, kind cluster or run directory of the run may remain.
 */
import { rmSync } from "node:fs";
import { afterAll, describe, expect, it } from "@jest/globals";
import { run } from "../../exec/command";
import { RUN_LABEL } from "../../container-node/docker";
import { KIND_CLUSTER_LABEL } from "./docker-objects";
import { startCli, type CliRun } from "../../selftest/cli-run";
import { TestRunsRoot } from "../../selftest/runs-root";
import { eventually } from "../../wait/eventually";

const runsRoot = new TestRunsRoot("k");
const root = runsRoot.path;
const seenRunIds = runsRoot.seen;
const runIds = () => runsRoot.runIds();
afterAll(() => runsRoot.remove());

async function docker(args: string[]): Promise<string[]> {
  return (await run(["docker", ...args])).stdout.split("\n").filter(Boolean);
}

/** Containers (kind's nodes and ours), networks and kind clusters of the runs this test started. */
async function leftovers(): Promise<{ runDirs: string[]; containers: string[]; networks: string[] }> {
  const runDirs = runIds();
  const ids = [...seenRunIds];
  const rows = await docker(["ps", "-a", "--format", `{{.Names}}\t{{.Label "${RUN_LABEL}"}}\t{{.Label "${KIND_CLUSTER_LABEL}"}}`]);
  const containers = rows.filter((r) => {
    const [, runLabel, cluster] = r.split("\t");
    return ids.some((id) => runLabel === id || cluster?.startsWith(`ktc-${id}-`));
  });
  const networks = (await docker(["network", "ls", "--format", "{{.Name}}"])).filter((n) => ids.some((id) => n === `ktc-${id}`));
  return { runDirs, containers, networks };
}

const NOTHING_LEFT = { runDirs: [], containers: [], networks: [] };

/** Half-way: an extra node container of the run exists (the cluster is up, a node is joining). */
async function waitForJoinedNode(cli: CliRun): Promise<string> {
  return eventually(
    async () => {
      const ids = runIds();
      const nodes = await docker(["ps", "--format", `{{.Names}}\t{{.Label "${RUN_LABEL}"}}`]);
      return nodes.find((n) => ids.includes(n.split("\t")[1] ?? ""));
    },
    { what: "the run to start an extra kind node container", timeoutMs: 15 * 60_000, intervalMs: 1000, describe: () => `output so far:\n${cli.output().slice(-2000)}` },
  );
}

/** Starts a kind run of `suite` and SIGKILLs it half-way, so nothing of it can clean up. */
async function killHalfway(suite: string): Promise<void> {
  const cli = startCli("main", ["--provider", "kind", "--suite", suite], { KTC_RUNS_ROOT: root });
  await waitForJoinedNode(cli);
  process.kill(-cli.child.pid!, "SIGKILL");
  await cli.exit;
}

describe("kind teardown", () => {
  it("Ctrl-C half-way through a suite removes the node containers, the kind cluster and the run's network", async () => {
    const cli = startCli("main", ["--provider", "kind", "--suite", "bootstrap"], { KTC_RUNS_ROOT: root });
    await waitForJoinedNode(cli);
    expect((await leftovers()).containers.length).toBeGreaterThanOrEqual(2); // control plane + a node
    process.kill(-cli.child.pid!, "SIGINT");
    const { code } = await cli.exit;
    expect({ code, tail: code === 130 ? "" : cli.output().slice(-3000) }).toEqual({ code: 130, tail: "" });
    expect(await leftovers()).toEqual(NOTHING_LEFT);
  }, 20 * 60_000);

  it("a run killed with SIGKILL half-way is removed by `npm run cleanup`", async () => {
    await killHalfway("certdir");
    expect((await leftovers()).containers.length).toBeGreaterThanOrEqual(2);
    const cleanup = startCli("cleanup-main", [], { KTC_RUNS_ROOT: root });
    expect((await cleanup.exit).code).toBe(0);
    expect(await leftovers()).toEqual(NOTHING_LEFT);
  }, 20 * 60_000);

  it("a killed run whose directory was wiped too is found through its network by `npm run cleanup -- --all`", async () => {
    await killHalfway("certdir");
    const ids = runIds();
    for (const id of ids) rmSync(`${root}/${id}`, { recursive: true, force: true }); // as if /tmp was wiped
    expect((await leftovers()).containers.length).toBeGreaterThanOrEqual(2);
    const cleanup = startCli("cleanup-main", ["--all"], { KTC_RUNS_ROOT: root });
    expect({ code: (await cleanup.exit).code, out: cleanup.output().trim().split("\n").pop() }).toEqual({
      code: 0,
      out: expect.stringMatching(new RegExp(`removed docker objects of lost runs: .*network ktc-${ids[0]}`)),
    });
    expect(await leftovers()).toEqual(NOTHING_LEFT);
  }, 20 * 60_000);
});
