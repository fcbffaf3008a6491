/**
 * The harness leaves nothing behind: runs the real CLI against real
 * components and checks, after a passing run, a failing run, a Ctrl-C
 * half-way and a SIGKILL followed by `npm run cleanup`, that no process,
 * network namespace, link or directory of the run is left.
 */
import { chmodSync, mkdirSync, readdirSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "@jest/globals";
import { cachedBinDir } from "../binaries/layout";
import { startCli, type CliRun } from "../selftest/cli-run";
import { TestRunsRoot } from "../selftest/runs-root";
import { defaultKubernetesVersion } from "../binaries/support-window";
import { eventually } from "../wait/eventually";
import { findLeaks, NO_LEAKS, type Leaks } from "./leak-scan";

const runsRoot = new TestRunsRoot("t");
const root = runsRoot.path;
const seenRunIds = runsRoot.seen;
const runIds = () => runsRoot.runIds();

afterAll(() => runsRoot.remove());

/** What the test's runs left: run dirs, processes, netns, links (and containers, networks: none on this provider). */
async function leftovers(): Promise<Leaks> {
  runIds(); // records the ids seen, for the netns and link names
  return findLeaks(root, [...seenRunIds]);
}

/** Waits until a kubelet of the run has been started: the point "half-way" through a suite. */
async function waitForKubeletStarted(cli: CliRun): Promise<void> {
  await eventually(
    async () => {
      for (const id of runIds()) {
        const pidFiles = (() => {
          try {
            return readdirSync(join(root, id, "pids"));
          } catch {
            return [];
          }
        })();
        if (pidFiles.some((f) => f.endsWith("-kubelet.json"))) return true;
      }
      return undefined;
    },
    { what: "the run to start a kubelet", timeoutMs: 10 * 60_000, describe: () => `output so far:\n${cli.output().slice(-2000)}` },
  );
}

describe("teardown", () => {
  it("a passing run removes every process, namespace, link and directory it made", async () => {
    const cli = startCli("main", ["--suite", "bootstrap"], { KTC_RUNS_ROOT: root });
    const { code } = await cli.exit;
    expect({ code, tail: code === 0 ? "" : cli.output().slice(-3000) }).toEqual({ code: 0, tail: "" });
    expect(await leftovers()).toEqual(NO_LEAKS);
  }, 20 * 60_000);

  it("Ctrl-C half-way through a suite stops the run and removes everything", async () => {
    const cli = startCli("main", ["--suite", "bootstrap"], { KTC_RUNS_ROOT: root });
    await waitForKubeletStarted(cli);
    expect((await leftovers()).processes.length).toBeGreaterThan(0);
    process.kill(-cli.child.pid!, "SIGINT"); // the terminal sends SIGINT to the foreground process group
    const { code } = await cli.exit;
    expect(code).toBe(130);
    expect(await leftovers()).toEqual(NO_LEAKS);
  }, 10 * 60_000);

  it("a failing run (a kubelet that cannot start: the node start fails, a harness step) exits 3 with the kubelet's exit and removes everything", async () => {
    const binDir = `${root}-broken-bin`;
    mkdirSync(binDir, { recursive: true });
    const real = cachedBinDir(defaultKubernetesVersion());
    for (const b of ["kube-apiserver", "kube-controller-manager", "kubectl", "kubeadm"]) symlinkSync(join(real, b), join(binDir, b));
    writeFileSync(
      join(binDir, "kubelet"),
      `#!/bin/sh\nif [ "$1" = --version ]; then echo "Kubernetes ${defaultKubernetesVersion()}"; exit 0; fi\necho "this kubelet is broken on purpose" >&2\nexit 1\n`,
    );
    chmodSync(join(binDir, "kubelet"), 0o755);
    const cli = startCli("main", ["--suite", "bootstrap", "--k8s-bin-dir", binDir], { KTC_RUNS_ROOT: root });
    const { code } = await cli.exit;
    // The broken bin dir goes whatever the verdict (it is outside the runs root the test removes).
    rmSync(binDir, { recursive: true, force: true });
    expect({ code, reason: cli.output().match(/boot-tf-\w+-kubelet exited .*/)?.[0], tail: code === 3 ? "" : cli.output().slice(-4000) }).toEqual({
      code: 3,
      reason: expect.stringMatching(/kubelet exited \(code 1, signal null\): this kubelet is broken on purpose/),
      tail: "",
    });
    expect(await leftovers()).toEqual(NO_LEAKS);
  }, 10 * 60_000);

  it("after a SIGKILL of the harness, `npm run cleanup` removes what the run left", async () => {
    const cli = startCli("main", ["--suite", "bootstrap"], { KTC_RUNS_ROOT: root });
    await waitForKubeletStarted(cli);
    process.kill(-cli.child.pid!, "SIGKILL");
    await cli.exit;
    const left = await leftovers();
    expect(left.processes.length).toBeGreaterThan(0); // the daemons outlive a SIGKILLed harness...
    const cleanup = startCli("cleanup-main", [], { KTC_RUNS_ROOT: root });
    expect((await cleanup.exit).code).toBe(0);
    expect(cleanup.output()).toMatch(/removed runs: \w+/);
    expect(await leftovers()).toEqual(NO_LEAKS); // ...until the cleanup command sweeps them.
  }, 10 * 60_000);
});
