import { readFileSync } from "node:fs";
import { join } from "node:path";
import { PIN_MODULE_DIR } from "./layout";

/** The Kubernetes release pinned in tools/k8s/go.mod: the default --k8s-version. */
export function pinnedKubernetesVersion(): string {
  const gomod = readFileSync(join(PIN_MODULE_DIR, "go.mod"), "utf8");
  const m = gomod.match(/^require k8s\.io\/kubernetes (v\d+\.\d+\.\d+)\s*$/m);
  if (!m) throw new Error(`no 'require k8s.io/kubernetes vX.Y.Z' line in ${join(PIN_MODULE_DIR, "go.mod")}`);
  return m[1]!;
}

/** "v1.34.4" → { major: "1", minor: "34" } for the version ldflags. */
export function splitVersion(version: string): { major: string; minor: string; patch: string } {
  const m = version.match(/^v(\d+)\.(\d+)\.(\d+)/);
  if (!m) throw new Error(`not a Kubernetes version: ${version} (expected vMAJOR.MINOR.PATCH)`);
  return { major: m[1]!, minor: m[2]!, patch: m[3]! };
}
