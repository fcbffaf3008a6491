import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import { PIN_ROOT } from "./layout";
import { compareVersions, isPinned, minorOf } from "./pinned-version";

/** One row of tools/k8s/releases.yaml. */
export interface ReleaseRow {
  minor: string;
  /** The newest patch of the minor pinned in tools/k8s/<pinned>. */
  pinned: string;
  /** YYYY-MM-DD: the last day the minor gets patches. */
  endOfLife: string;
}

export const RELEASES_FILE = join(PIN_ROOT, "releases.yaml");

export function releaseTable(file = RELEASES_FILE): ReleaseRow[] {
  const rows = parse(readFileSync(file, "utf8")) as unknown;
  if (!Array.isArray(rows)) throw new Error(`${file}: expected a list of {minor, pinned, endOfLife}`);
  return rows.map((r: Record<string, unknown>, i) => {
    const row = { minor: String(r.minor), pinned: String(r.pinned), endOfLife: String(r.endOfLife) };
    if (!/^\d+\.\d+$/.test(row.minor) || minorOf(row.pinned) !== row.minor || !/^\d{4}-\d{2}-\d{2}$/.test(row.endOfLife)) {
      throw new Error(`${file}: row ${i + 1} ${JSON.stringify(r)} is not {minor: "1.N", pinned: v1.N.P, endOfLife: YYYY-MM-DD}`);
    }
    return row;
  });
}

/** The minors whose end of life is today or later, newest first. */
export function supportedReleases(today = new Date(), rows = releaseTable()): ReleaseRow[] {
  const day = today.toISOString().slice(0, 10);
  return rows.filter((r) => r.endOfLife >= day).sort((a, b) => compareVersions(b.pinned, a.pinned));
}

/** The default --k8s-version: the newest pinned patch of the newest supported minor. */
export function defaultKubernetesVersion(today = new Date()): string {
  const newest = supportedReleases(today).find((r) => isPinned(r.pinned));
  if (!newest) throw new Error(`no supported release in ${RELEASES_FILE} has a pin in tools/k8s; run tools/k8s/pin.sh for the newest patch`);
  return newest.pinned;
}

export interface SupportStatus {
  supported: boolean;
  /** One line for the console and the report's environment panel. */
  summary: string;
}

/** Whether a release is inside the supported window, and a line that says so. */
export function supportStatus(version: string, today = new Date(), rows = releaseTable()): SupportStatus {
  const window = supportedReleases(today, rows);
  const span = window.length ? `${window.at(-1)!.minor} to ${window[0]!.minor}` : "none";
  const row = rows.find((r) => r.minor === minorOf(version));
  if (row && window.includes(row)) return { supported: true, summary: `supported (${row.minor} until ${row.endOfLife})` };
  if (row) return { supported: false, summary: `END OF LIFE: ${row.minor} ended ${row.endOfLife}; the supported window is ${span}` };
  const newer = window.length && compareVersions(version, window[0]!.pinned) > 0;
  return {
    supported: false,
    summary: newer ? `NOT YET SUPPORTED: ${minorOf(version)} is newer than the supported window ${span}` : `OUTSIDE THE SUPPORTED WINDOW ${span} (${minorOf(version)} is not in tools/k8s/releases.yaml)`,
  };
}
