import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { REPO_ROOT } from "../binaries/layout";
import { info } from "../log";
import { runComponentVersions } from "../providers/cluster-state";
import { PROVIDER_DEFINITIONS } from "../providers/registry";
import { environmentProperties, writeEnvironmentProperties } from "../report/environment";
import { SECRETS_FILE } from "../report/redact";
import { scanForSecrets, type SecretHit } from "../report/secret-scan";
import type { RunEnv } from "../run/run-env";
import type { Fault } from "../providers/fault-injection";

export function allureResultsDir(): string {
  return process.env.KTC_ALLURE_RESULTS ?? join(REPO_ROOT, "reports", "allure-results");
}

export function junitDir(): string {
  return process.env.KTC_JUNIT_DIR ?? join(REPO_ROOT, "reports", "junit");
}

/**
 * After the suites: the report's environment panel, then a scan of everything
 * reported for the tokens the run used. Runs before the sweep removes the run
 * directory, which holds the list of those tokens; returns them too, for the
 * scan of what the sweep itself exports (scanExportedLogs).
 */
export async function finishReport(env: RunEnv, faults: readonly Fault[]): Promise<{ hits: SecretHit[]; secrets: string[] }> {
  // What the providers recorded when they made the clusters (each its own
  // components: local programs, or what runs inside node containers).
  const versions = await runComponentVersions(env.runDir);
  writeEnvironmentProperties(allureResultsDir(), environmentProperties(env, versions, faults));
  const secrets = (await readFile(join(env.runDir, SECRETS_FILE), "utf8").catch(() => "")).split("\n").filter(Boolean);
  const hits = await scanForSecrets([allureResultsDir(), junitDir()], secrets);
  info(`secret scan: ${secrets.length} token(s) of this run looked for in the reports, ${hits.length} found`);
  return { hits, secrets };
}

/**
 * The sweep exports clusters' logs under reports/ just before deleting them
 * (kind: reports/kind-logs), after finishReport: those files are scanned
 * here, for the same tokens and for private keys.
 */
export async function scanExportedLogs(secrets: string[]): Promise<SecretHit[]> {
  const hits: SecretHit[] = [];
  for (const p of PROVIDER_DEFINITIONS) {
    if (!p.exportedLogsDir) continue;
    const found = await scanForSecrets([p.exportedLogsDir()], secrets);
    info(`secret scan of ${p.exportedLogsDir()}: ${found.length} found`);
    hits.push(...found);
  }
  return hits;
}
