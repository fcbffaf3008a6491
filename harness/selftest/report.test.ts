/**
 * The report a vendor reads: real runs (a passing suite, a suite on a broken
 * cluster, a run without binaries), `allure generate` as `npm run report` does,
 * then the HTML opened in headless Chromium (Debian's, driven by
 * playwright-core). A screenshot is kept in reports/screenshots/.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "@jest/globals";
import { chromium } from "playwright-core";
import { REPO_ROOT } from "../binaries/layout";
import { run } from "../exec/command";
import { startCli } from "./cli-run";
import { attachmentNames, readResults as results } from "./allure-results";

const scratch = mkdtempSync(join(tmpdir(), "ktc-report-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const CHROMIUM = process.env.KTC_CHROMIUM ?? "/usr/bin/chromium";
const SCREENSHOTS = join(REPO_ROOT, "reports", "screenshots");

async function cli(args: string[], results: string, env: Record<string, string> = {}): Promise<number | null> {
  const r = startCli("main", args, { KTC_ALLURE_RESULTS: results, KTC_JUNIT_DIR: join(results, "..", "junit"), ...env });
  return (await r.exit).code;
}


describe("the Allure report", () => {
  it("shows each suite with its counts, a product defect with its evidence, and a missing binary as a harness error", async () => {
    const passing = join(scratch, "passing", "results");
    const defect = join(scratch, "defect", "results");
    const setup = join(scratch, "setup", "results");
    const config = join(scratch, "fault.yaml");
    writeFileSync(config, "distro: report-test\nfaults: [signing-duration-doubled]\n");
    const emptyBin = join(scratch, "no-binaries");
    mkdirSync(emptyBin);

    expect(await cli(["--suite", "bootstrap"], passing)).toBe(0);
    expect(await cli(["--suite", "lifetime", "--config", config], defect)).toBe(1);
    expect(await cli(["--suite", "certdir", "--k8s-bin-dir", emptyBin], setup)).toBe(3);

    // The product defect is "failed" with evidence attached; the setup failure is "broken".
    const lifetime = results(defect);
    const failed = lifetime.filter((r) => r.status === "failed");
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
    expect(results(setup).map((r) => `${r.name}: ${r.status}`)).toEqual(["harness setup (binaries, host programs, run directory): broken"]);
    const labelled = results(passing)[0]!;
    const label = (n: string) => labelled.labels.filter((l) => l.name === n).map((l) => l.value);
    expect({ parentSuite: label("parentSuite"), suite: label("suite"), feature: label("feature") }).toEqual({
      parentSuite: [expect.stringMatching(/^v1\.\d+\.\d+$/)],
      suite: ["binary"],
      feature: ["bootstrap"],
    });

    const report = join(scratch, "report");
    const rc = join(scratch, "allurerc.mjs");
    // The project's own report config, with the output and history moved out of the repo.
    writeFileSync(
      rc,
      `import base from ${JSON.stringify(join(REPO_ROOT, "allurerc.mjs"))};\n` +
        `export default { ...base, output: ${JSON.stringify(report)}, historyPath: ${JSON.stringify(join(scratch, "history.jsonl"))} };\n`,
    );
    await run([join(REPO_ROOT, "node_modules", ".bin", "allure"), "generate", "--config", rc, passing, defect, setup], { cwd: scratch });
    const summary = JSON.parse(readFileSync(join(report, "summary.json"), "utf8")) as { stats: Record<string, number> };
    expect(summary.stats).toMatchObject({ total: 29, passed: 26, failed: 2, broken: 1 });

    mkdirSync(SCREENSHOTS, { recursive: true });
    const browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
    });
    try {
      const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
      // Allure 3's single-file report races itself: its app script (a blocking
      // <script src="data:...">) asks for its data as soon as it runs, and reads it
      // from window.allureReportData only if that object exists, otherwise it
      // fetches widgets/*.json beside the file, which a file:// page may not.
      // The object is created by an inline script further down the page, and
      // when the parser yields before reaching it (a loaded machine), the report
      // spins forever. Made certain with Chromium's CPU throttling (30x: 3 of 4
      // loads stuck on "Access to fetch at file:///.../widgets/tree-filters.json",
      // 0 of 4 with this). Creating the object first makes the app wait for the
      // data script's "ready" flag instead (@allurereport/web-commons data.js).
      await page.addInitScript(() => {
        (window as unknown as { allureReportData?: object }).allureReportData ??= {};
      });
      const consoleErrors: string[] = [];
      page.on("console", (m) => m.type() === "error" && consoleErrors.push(m.text().split("\n")[0]!));
      page.on("pageerror", (e) => consoleErrors.push(e.message.split("\n")[0]!));
      await page.goto(`file://${join(report, "index.html")}`, { timeout: 120_000 });
      // The single-file report renders client-side; on a loaded 2-core machine that takes a while.
      await page
        .getByText("kubelet TLS conformance")
        .first()
        .waitFor({ timeout: 120_000 })
        .catch(async (err: Error) => {
          await page.screenshot({ path: join(SCREENSHOTS, "report-not-rendered.png") }).catch(() => undefined);
          const body = await page.innerText("body").catch(() => "(no body)");
          throw new Error(`the report did not render its title: ${err.message}\npage text: ${body.slice(0, 500)}\nbrowser console errors:\n${consoleErrors.join("\n")}`);
        });
      const text = await page.innerText("body");
      expect(text).toMatch(/Total\s+29/);
      expect(text).toMatch(/Failed\s+2/);
      expect(text).toMatch(/Broken\s+1/);
      await page.screenshot({ path: join(SCREENSHOTS, "report.png") });
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
      await page.screenshot({ path: join(SCREENSHOTS, "report-tree.png") });
    } finally {
      await browser.close();
    }
  }, 15 * 60_000);
});
