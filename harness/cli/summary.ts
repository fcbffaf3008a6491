/** The closing table of a run: suite, passed, failed, time; then the totals line. */
export function summaryTable(rows: { suite: string; passed: number; failed: number; seconds: number }[]): string {
  const width = Math.max(5, ...rows.map((r) => r.suite.length));
  const line = (a: string, b: string, c: string, d: string) => `${a.padEnd(width)}  ${b.padStart(6)}  ${c.padStart(6)}  ${d.padStart(8)}\n`;
  let out = "\n" + line("suite", "passed", "failed", "time");
  for (const r of rows) out += line(r.suite, String(r.passed), String(r.failed), `${r.seconds.toFixed(1)}s`);
  const passed = rows.reduce((n, r) => n + r.passed, 0);
  const failed = rows.reduce((n, r) => n + r.failed, 0);
  return out + `\n${passed} passed, ${failed} failed\n`;
}
