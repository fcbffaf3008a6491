import { readdir, readFile, rm } from "node:fs/promises";
import { join } from "node:path";
import { REPO_ROOT } from "../binaries/layout";
import { info } from "../log";
import { runComponentVersions } from "../providers/cluster-state";
import { clusterNamePrefix, runIdOfClusterName } from "../providers/create-cluster";
import type { ProviderDefinition } from "../providers/definition";
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
 * (kind: reports/kind-logs/<cluster>), after finishReport: this run's
 * clusters' folders are scanned here, for the same tokens and for private
 * keys. Only this run's: the folder keeps earlier runs' logs, which another
 * run's scan once spent 21 s of a binary run's tail on (CI, stop 15).
 */
export async function scanExportedLogs(provider: ProviderDefinition, runId: string, secrets: string[]): Promise<SecretHit[]> {
  if (!provider.exportedLogsDir) return [];
  const root = provider.exportedLogsDir();
  const mine = (await readdir(root).catch(() => [])).filter((d) => d.startsWith(clusterNamePrefix(runId))).map((d) => join(root, d));
  const hits = mine.length ? await scanForSecrets(mine, secrets) : [];
  info(`secret scan of ${root}: ${mine.length} cluster(s) of this run, ${hits.length} found`);
  return hits;
}

/**
 * Before a run, like the Allure results: the exported logs of runs that are
 * over (their directory under the runs root is gone) are removed; the folder
 * otherwise grows by every kind run's logs (847 MB of 96 clusters here).
 * Logs of live runs, and of runs kept with --keep, stay.
 */
export async function pruneExportedLogs(provider: ProviderDefinition, runsRoot: string): Promise<void> {
  if (!provider.exportedLogsDir) return;
  const root = provider.exportedLogsDir();
  const runs = new Set(await readdir(runsRoot).catch(() => []));
  const over = (await readdir(root).catch(() => [])).filter((d) => {
    const runId = runIdOfClusterName(d);
    return runId !== undefined && !runs.has(runId);
  });
  await Promise.all(over.map((d) => rm(join(root, d), { recursive: true, force: true })));
  if (over.length) info(`removed the exported logs of ${over.length} cluster(s) of earlier runs from ${root}`);
}
