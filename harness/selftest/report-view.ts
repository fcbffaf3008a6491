/**
 * The report a vendor reads, built and looked at as they would: `allure
 * generate` with the project's config (as `npm run report` does), then the
 * single-file HTML opened in headless Chromium (Debian's, driven by
 * playwright-core). Screenshots are kept in reports/screenshots/.
 */
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { chromium, type Page } from "playwright-core";
import { REPO_ROOT } from "../binaries/layout";
import { run } from "../exec/command";

const CHROMIUM = process.env.KTC_CHROMIUM ?? "/usr/bin/chromium";
const SCREENSHOTS = join(REPO_ROOT, "reports", "screenshots");

/** Generates the report of `resultDirs` into `scratch`/report; returns its directory and summary counts. */
export async function generateReport(scratch: string, resultDirs: string[]): Promise<{ dir: string; stats: Record<string, number> }> {
  const dir = join(scratch, "report");
  mkdirSync(scratch, { recursive: true });
  const rc = join(scratch, "allurerc.mjs");
  // The project's own report config, with the output and history moved out of the repo.
  writeFileSync(
    rc,
    `import base from ${JSON.stringify(join(REPO_ROOT, "allurerc.mjs"))};\n` +
      `export default { ...base, output: ${JSON.stringify(dir)}, historyPath: ${JSON.stringify(join(scratch, "history.jsonl"))} };\n`,
  );
  await run([join(REPO_ROOT, "node_modules", ".bin", "allure"), "generate", "--config", rc, ...resultDirs], { cwd: scratch });
  const summary = JSON.parse(readFileSync(join(dir, "summary.json"), "utf8")) as { stats: Record<string, number> };
  return { dir, stats: summary.stats };
}

/** Opens the report, waits for it to render, and hands the page to `look`. */
export async function viewReport<T>(reportDir: string, look: (page: Page, screenshot: (name: string) => Promise<void>) => Promise<T>): Promise<T> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
  });
  try {
    const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    const screenshot = async (name: string) => void (await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`) }));
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
    await page.goto(`file://${join(reportDir, "index.html")}`, { timeout: 120_000 });
    // The single-file report renders client-side; on a loaded 2-core machine that takes a while.
    await page
      .getByText("kubelet TLS conformance")
      .first()
      .waitFor({ timeout: 120_000 })
      .catch(async (err: Error) => {
        await screenshot("report-not-rendered").catch(() => undefined);
        const body = await page.innerText("body").catch(() => "(no body)");
        throw new Error(`the report did not render its title: ${err.message}\npage text: ${body.slice(0, 500)}\nbrowser console errors:\n${consoleErrors.join("\n")}`);
      });
    return await look(page, screenshot);
  } finally {
    await browser.close();
  }
}
