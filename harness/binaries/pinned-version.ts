import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { PIN_ROOT } from "./layout";

/** The Go module that pins one Kubernetes release: tools/k8s/<version>. */
export function pinModuleDir(version: string): string {
  return join(PIN_ROOT, version);
}

/** Every release with a pin in tools/k8s/<version>/go.mod, newest first. */
export function pinnedVersions(): string[] {
  return readdirSync(PIN_ROOT)
    .filter((d) => /^v\d+\.\d+\.\d+$/.test(d) && existsSync(join(PIN_ROOT, d, "go.mod")))
    .filter((d) => readFileSync(join(PIN_ROOT, d, "go.mod"), "utf8").includes(`require k8s.io/kubernetes ${d}\n`))
    .sort(compareVersions)
    .reverse();
}

export function isPinned(version: string): boolean {
  return pinnedVersions().includes(version);
}

/** Orders vMAJOR.MINOR.PATCH numerically (v1.9.0 < v1.10.0). */
export function compareVersions(a: string, b: string): number {
  const pa = splitVersion(a);
  const pb = splitVersion(b);
  for (const k of ["major", "minor", "patch"] as const) {
    const d = Number(pa[k]) - Number(pb[k]);
    if (d) return d;
  }
  return 0;
}

/** "v1.34.4" → { major: "1", minor: "34", patch: "4" } for the version ldflags. */
export function splitVersion(version: string): { major: string; minor: string; patch: string } {
  const m = version.match(/^v(\d+)\.(\d+)\.(\d+)/);
  if (!m) throw new Error(`not a Kubernetes version: ${version} (expected vMAJOR.MINOR.PATCH)`);
  return { major: m[1]!, minor: m[2]!, patch: m[3]! };
}

/** "v1.36.3" → "1.36". */
export function minorOf(version: string): string {
  const { major, minor } = splitVersion(version);
  return `${major}.${minor}`;
}
