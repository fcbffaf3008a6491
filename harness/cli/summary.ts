import type { JestOutcome } from "./run-jest";

/**
 * The closing table of a run: suite, passed, failed, time (and skipped, when
 * a check was); then the totals line, why checks were skipped, and which
 * checks failed with the first lines of why: the end of a console log (all a
 * CI page may keep of it) names every red without the report.
 */
export function summaryTable(rows: JestOutcome["perSuite"], skipReasons: JestOutcome["skipReasons"] = [], failures: JestOutcome["failures"] = []): string {
  const width = Math.max(5, ...rows.map((r) => r.suite.length));
  const anySkipped = rows.some((r) => r.skipped > 0);
  const line = (a: string, b: string, c: string, d: string, e: string) => `${a.padEnd(width)}  ${b.padStart(6)}  ${c.padStart(6)}${anySkipped ? `  ${d.padStart(7)}` : ""}  ${e.padStart(8)}\n`;
  let out = "\n" + line("suite", "passed", "failed", "skipped", "time");
  for (const r of rows) out += line(r.suite, String(r.passed), String(r.failed), String(r.skipped), `${r.seconds.toFixed(1)}s`);
  const sum = (k: "passed" | "failed" | "skipped") => rows.reduce((n, r) => n + r[k], 0);
  out += `\n${sum("passed")} passed, ${sum("failed")} failed${anySkipped ? `, ${sum("skipped")} skipped` : ""}\n`;
  if (skipReasons.length) out += `\nskipped, and why:\n${skipReasons.map((s) => `  ${s.checks} check(s): ${s.reason}\n`).join("")}`;
  if (failures.length) out += `\nfailed, and why:\n${failures.map((f) => `  [${f.suite}] ${f.check}\n${f.why.map((l) => `      ${l}\n`).join("")}`).join("")}`;
  return out;
}
