/**
 * Every way a run can go wrong lands in the right category, on the right
 * checks, with the evidence a vendor acts on. Real runs of the CLI on broken
 * clusters, read back from the Allure results they wrote:
 *
 * - a controller manager that never approves: the checks that waited for the
 *   bootstrap in a setup step are *failed* (a product defect), each with the
 *   version/provider/distro parameters and the controller-manager log;
 * - only the bootstrap-token path broken: the token-file node's checks pass,
 *   the bootstrap-token node's fail, naming the refusal the kubelet logged;
 * - a component that rejects a vendor flag: the cluster never comes up, the
 *   run exits 3 and every check is *broken* with the component's own words.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "@jest/globals";
import { attachmentNames, attachmentText, parametersOf, readResults, type ResultJson } from "./allure-results";
import { startCli } from "./cli-run";

const scratch = mkdtempSync(join(tmpdir(), "ktc-failure-paths-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** Runs one suite on a cluster configured by `config` (a vendor config file); returns the exit code, output and results. */
async function runOn(name: string, config: string, timeoutScale: string): Promise<{ code: number | null; out: string; dir: string; results: ResultJson[] }> {
  const file = join(scratch, `${name}.yaml`);
  writeFileSync(file, config);
  const dir = join(scratch, name, "allure");
  const cli = startCli("main", ["--suite", "bootstrap", "--config", file], {
    KTC_TIMEOUT_SCALE: timeoutScale,
    KTC_ALLURE_RESULTS: dir,
    KTC_JUNIT_DIR: join(scratch, name, "junit"),
  });
  const { code } = await cli.exit;
  return { code, out: cli.output(), dir, results: readResults(dir) };
}

const summary = (rs: ResultJson[]) => rs.map((r) => `${r.status}: ${r.name}`).sort();

// Each case is a run of its own on a cluster of its own: they run side by side.
describe("failure paths", () => {
  it.concurrent("a controller manager that never approves: failed (not broken) results with the parameters and the controller-manager log", async () => {
    const { code, out, dir, results } = await runOn("no-approver", "distro: failure-paths\nfaults: [no-csr-approver]\n", "0.25");
    expect({ code, results: results.length, tail: code === 1 ? "" : out.slice(-3000) }).toEqual({ code: 1, results: 22, tail: "" });
    for (const r of results) {
      const log = attachmentText(dir, r, "kube-controller-manager log") ?? "";
      expect({
        check: r.name,
        status: r.status,
        reason: r.statusDetails?.message,
        parameters: parametersOf(r),
        evidence: attachmentNames(r),
        controllerManagerLogHeader: log.split("\n")[0],
      }).toEqual({
        check: r.name,
        status: "failed",
        reason: expect.stringMatching(/waiting for CSR csr-\w+ to be issued a certificate; last seen: state Pending; conditions: none/),
        parameters: { kubernetesVersion: expect.stringMatching(/^v1\.\d+\.\d+$/), provider: "binary", distro: "failure-paths" },
        evidence: expect.arrayContaining(["kube-controller-manager log", "kube-apiserver log", expect.stringMatching(/^kubelet boot-(tf|bt)-\w+ log$/)]),
        controllerManagerLogHeader: expect.stringMatching(/^# kube-controller-manager log: since the suite started .*bytes/),
      });
      // The log is the controller manager's own, not a tail: it starts with its start-up.
      expect(log).toMatch(/Starting|starting/);
    }
  }, 10 * 60_000);

  it.concurrent("only the bootstrap-token path broken: the token-file node's checks pass, the bootstrap-token node's fail naming the refusal", async () => {
    const { code, out, results } = await runOn(
      "no-bootstrap-token-auth",
      "distro: failure-paths\nextraFlags:\n  kube-apiserver: [--enable-bootstrap-token-auth=false]\n",
      "0.25",
    );
    expect({ code, tail: code === 1 ? "" : out.slice(-3000) }).toEqual({ code: 1, tail: "" });
    const tokenFile = results.filter((r) => r.name.startsWith("token-file:"));
    const bootstrapToken = results.filter((r) => r.name.startsWith("bootstrap-token:"));
    expect({ tokenFile: tokenFile.length, bootstrapToken: bootstrapToken.length }).toEqual({ tokenFile: 11, bootstrapToken: 11 });
    expect(summary(tokenFile).filter((s) => !s.startsWith("passed:"))).toEqual([]);
    for (const r of bootstrapToken) {
      expect({ check: r.name, status: r.status, reason: r.statusDetails?.message }).toEqual({
        check: r.name,
        status: "failed",
        // The kubelet's own words: its requests were refused (client-go logs a 401 as "Unauthorized").
        reason: expect.stringMatching(/waiting for a CSR with signer kubernetes.io\/kube-apiserver-client-kubelet for node boot-bt-\w+; .*its last error: .*(Unauthorized|401)/s),
      });
    }
  }, 10 * 60_000);

  it.concurrent("a component that rejects a vendor flag: exit 3, every check broken with the component's own error line", async () => {
    const { code, out, results } = await runOn("rejected-flag", "distro: failure-paths\nextraFlags:\n  kube-controller-manager: [--no-such-flag]\n", "0.25");
    expect({ code, tail: code === 3 ? "" : out.slice(-3000) }).toEqual({ code: 3, tail: "" });
    expect(results.length).toBe(22);
    for (const r of results) {
      expect({ check: r.name, status: r.status, reason: r.statusDetails?.message?.split("\n")[0] }).toEqual({
        check: r.name,
        status: "broken",
        reason: expect.stringMatching(/kube-controller-manager exited \(code 1, signal null\): .*unknown flag: --no-such-flag/),
      });
      expect(parametersOf(r)).toMatchObject({ provider: "binary", distro: "failure-paths" });
    }
  }, 10 * 60_000);
});
