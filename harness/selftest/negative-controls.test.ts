/**
 * Negative controls: a conformance suite that passes on a broken cluster is a
 * defect. Each case breaks one thing on purpose (a fault of the binary
 * provider, set through the vendor config file), runs the suite that must
 * catch it, and checks that the run fails as a conformance failure (exit 1,
 * not a harness error), in that suite, with a message naming the broken
 * behaviour. The controls are separate runs, each with its own cluster, so
 * they run side by side.
 *
 * Then the report a vendor reads, built from real runs: a passing suite, the
 * lifetime control's product defect (not run a second time), and a run
 * without binaries.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "@jest/globals";
import type { Fault } from "../providers/fault-injection";
import { attachmentNames, readResults } from "./allure-results";
import { startCli } from "./cli-run";
import { generateReport, viewReport } from "./report-view";

const scratch = mkdtempSync(join(tmpdir(), "ktc-negative-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

interface NegativeControl {
  suite: string;
  fault: Fault;
  /** Title (or part of it) of a check that must fail. */
  failingCheck: string;
  /** Part of the failure message that names what broke. */
  message: string | RegExp;
}

const CONTROLS: NegativeControl[] = [
  { suite: "bootstrap", fault: "no-csr-approver", failingCheck: "the kubelet's first CSR", message: /waiting for CSR csr-\w+ to be issued a certificate; last seen: state Pending/ },
  { suite: "approval", fault: "approve-all-client-csrs", failingCheck: "the CSR stays Pending", message: /CSR csr-\w+ of appr-\w+-\w+ became Approved/ },
  { suite: "certdir", fault: "kubelet-external-serving-cert", failingCheck: "kubelet.crt is a serving certificate", message: /kubelet\.crt/ },
  { suite: "bootstrap", fault: "kubelet-client-signer-untrusted", failingCheck: "the API server accepts it as system:node:<node>", message: /"verifiesAgainst": "none of them"/ },
  { suite: "lifetime", fault: "signing-duration-doubled", failingCheck: "lives exactly the cluster signing duration", message: /"lifetimeSeconds": 63072000/ },
  { suite: "renewal", fault: "no-selfnodeclient-binding", failingCheck: "it is auto-approved through selfnodeclient", message: /waiting for CSR csr-\w+ to be issued a certificate; last seen: state Pending/ },
  { suite: "serving", fault: "no-server-tls-bootstrap", failingCheck: "kubernetes.io/kubelet-serving", message: /waiting for a CSR with signer kubernetes.io\/kubelet-serving for node serve-/ },
  { suite: "security", fault: "approve-all-client-csrs", failingCheck: "a client CSR from a non-node identity", message: /\(bootstrap identity, selfnodeclient only\) became Approved/ },
];

interface CliOutcome {
  code: number | null;
  out: string;
  /** Its Allure results directory. */
  results: string;
}

/** One run of the CLI with its own report directories under the scratch dir. */
async function runCli(name: string, args: string[], env: Record<string, string> = {}): Promise<CliOutcome> {
  const results = join(scratch, name, "allure-results");
  const cli = startCli("main", args, { KTC_ALLURE_RESULTS: results, KTC_JUNIT_DIR: join(scratch, name, "junit"), ...env });
  const { code } = await cli.exit;
  return { code, out: cli.output(), results };
}

/** Each control runs once, whichever test asks first (the report test reuses the lifetime control's run). */
const controlRuns = new Map<string, Promise<CliOutcome>>();
function controlRun(c: NegativeControl): Promise<CliOutcome> {
  const key = `${c.suite}-${c.fault}`;
  let run = controlRuns.get(key);
  if (!run) {
    const config = join(scratch, `${key}.yaml`);
    writeFileSync(config, `distro: negative-control\nfaults: [${c.fault}]\n`);
    run = runCli(key, ["--suite", c.suite, "--config", config], { KTC_TIMEOUT_SCALE: "0.1" });
    controlRuns.set(key, run);
  }
  return run;
}

describe("negative controls", () => {
  it.concurrent.each(CONTROLS)("$suite fails on a cluster with fault $fault", async (c) => {
    const { code, out } = await controlRun(c);
    const failed = [...out.matchAll(/● (.+)$/gm)].map((m) => m[1]!);
    expect({
      suite: c.suite,
      fault: c.fault,
      exitCode: code,
      checkFailed: failed.some((t) => t.includes(c.failingCheck)),
      messageNamesIt: typeof c.message === "string" ? out.includes(c.message) : c.message.test(out),
    }).toEqual({ suite: c.suite, fault: c.fault, exitCode: 1, checkFailed: true, messageNamesIt: true });
    // The closing table blames the targeted suite.
    expect(out).toMatch(new RegExp(`^${c.suite}\\s+\\d+\\s+[1-9]\\d*\\s`, "m"));
  }, 10 * 60_000);
});

describe("the Allure report", () => {
  it.concurrent("shows each suite with its counts, a product defect with its evidence, and a missing binary as a harness error", async () => {
    const emptyBin = join(scratch, "no-binaries");
    mkdirSync(emptyBin, { recursive: true });
    const [passing, defect, setup] = await Promise.all([
      runCli("report-passing", ["--suite", "bootstrap"]),
      controlRun(CONTROLS.find((c) => c.suite === "lifetime")!),
      runCli("report-setup", ["--suite", "certdir", "--k8s-bin-dir", emptyBin]),
    ]);
    expect([passing.code, defect.code, setup.code]).toEqual([0, 1, 3]);

    // The product defect is "failed" with evidence attached; the setup failure is "broken".
    const failed = readResults(defect.results).filter((r) => r.status === "failed");
    expect(failed.map((r) => r.name).sort()).toEqual([
      "a short signing duration (2 h) gives a certificate of 2 h 5 min: short certificates are not shortened by the backdate",
      "the client certificate lives exactly the cluster signing duration (plus the 5 min backdate when shorter than 8 h)",
    ]);
    for (const r of failed) {
      expect({ test: r.name, evidence: attachmentNames(r) }).toEqual({
        test: r.name,
        evidence: expect.arrayContaining([expect.stringMatching(/^client certificate of /), "kube-controller-manager log", expect.stringMatching(/^kubelet life-[\w-]+ log$/)]),
      });
    }
    expect(readResults(setup.results).map((r) => `${r.name}: ${r.status}`)).toEqual(["harness setup (binaries, host programs, run directory): broken"]);
    const labelled = readResults(passing.results)[0]!;
    const label = (n: string) => labelled.labels.filter((l) => l.name === n).map((l) => l.value);
    expect({ parentSuite: label("parentSuite"), suite: label("suite"), feature: label("feature") }).toEqual({
      parentSuite: [expect.stringMatching(/^v1\.\d+\.\d+$/)],
      suite: ["binary"],
      feature: ["bootstrap"],
    });

    const report = await generateReport(join(scratch, "report-view"), [passing.results, defect.results, setup.results]);
    expect(report.stats).toMatchObject({ total: 29, passed: 26, failed: 2, broken: 1 });
    await viewReport(report.dir, async (page, screenshot) => {
      const text = await page.innerText("body");
      expect(text).toMatch(/Total\s+29/);
      expect(text).toMatch(/Failed\s+2/);
      expect(text).toMatch(/Broken\s+1/);
      await screenshot("report");
      // The tree is version → provider → suite, as the labels say. Expand a section unless its child already shows.
      const section = (name: string | RegExp) => page.getByTestId("tree-section-title").filter({ hasText: name }).first();
      const expand = async (parent: string | RegExp, child: string) => {
        if (!(await section(child).count())) await section(parent).click();
      };
      await section(/^v1\.\d+\.\d+$/).waitFor();
      await expand(/^v1\.\d+\.\d+$/, "binary");
      await expand("binary", "lifetime");
      const titles = await page.getByTestId("tree-section-title").allInnerTexts();
      // subSuite is the suite name followed by the describe path inside the suite file.
      expect(titles).toEqual(
        expect.arrayContaining(["binary", "harness", expect.stringMatching(/^bootstrap( > |$)/), expect.stringMatching(/^lifetime( > |$)/)]),
      );
      await screenshot("report-tree");
    });
  }, 15 * 60_000);
});
