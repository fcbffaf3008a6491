import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";

export interface ResultCounts {
  passed: number;
  failed: number;
  broken: number;
  skipped: number;
}

/** The statuses of the Allure results a run wrote: what the vendor reads. */
export async function countResults(resultsDir: string): Promise<ResultCounts> {
  const counts: ResultCounts = { passed: 0, failed: 0, broken: 0, skipped: 0 };
  const files = (await readdir(resultsDir).catch(() => [] as string[])).filter((f) => f.endsWith("-result.json"));
  for (const f of files) {
    const { status } = JSON.parse(await readFile(join(resultsDir, f), "utf8")) as { status?: keyof ResultCounts };
    if (status && status in counts) counts[status]++;
  }
  return counts;
}

/**
 * The exit code, by the report's categories: 1 when a check failed (a
 * product defect), else 3 when the harness could not run a check (a broken
 * result, or a jest error outside any check), else 0.
 */
export function exitCodeFor(counts: ResultCounts, jestSucceeded: boolean): 0 | 1 | 3 {
  if (counts.failed > 0) return 1;
  if (counts.broken > 0 || !jestSucceeded) return 3;
  return 0;
}
