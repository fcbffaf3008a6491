import { rm } from "node:fs/promises";
import { pinnedVersions } from "../binaries/pinned-version";
import { defaultKubernetesVersion, supportedReleases, supportStatus } from "../binaries/support-window";
import { describeError, HarnessError, UsageError } from "../errors";
import { info, startRunClock, warn } from "../log";
import { createRunDir, markKept, RUNS_ROOT } from "../run/run-dir";
import { exportRunEnv } from "../run/run-env";
import { sweepStaleRuns } from "../run/stale-runs";
import { sweepRun } from "../run/sweep";
import type { PreparedRun } from "../providers/definition";
import { allResourceDeleters, DEFAULT_PROVIDER, providerDefinition } from "../providers/registry";
import { faultsInto } from "../providers/fault-injection";
import { loadRunConfig } from "../config/run-config";
import { checkProvider, checkVersion, parseRunArgs } from "./args";
import { suiteCatalogue } from "./catalogue";
import { helpText } from "./help";
import { allureResultsDir, finishReport, pruneExportedLogs, scanExportedLogs } from "./after-run";
import { reportSetupFailure } from "../report/reporter";
import { runSuites } from "./run-jest";
import { summaryTable } from "./summary";
import { countResults, exitCodeFor } from "./verdict";

/**
 * `npm test -- ...`: parse, prepare what the suites need (binaries, a run
 * directory), run the suites through jest, and always sweep what the run
 * created, on success, failure and Ctrl-C alike.
 */
async function main(argv: string[]): Promise<number> {
  startRunClock();
  const catalogue = suiteCatalogue();
  const names = catalogue.map((s) => s.name);
  const opts = parseRunArgs(argv, names);
  if (opts.help) {
    process.stdout.write(helpText(catalogue, defaultKubernetesVersion(), supportedReleases(), pinnedVersions()));
    return 0;
  }
  if (opts.listVersions) {
    process.stdout.write(supportedReleases().map((r) => r.pinned).join("\n") + "\n");
    return 0;
  }
  if (opts.listSuites) {
    process.stdout.write(names.join("\n") + "\n");
    return 0;
  }
  const config = await loadRunConfig(opts.config);
  const chosen = opts.provider ?? (config.provider !== undefined ? checkProvider(config.provider) : "auto");
  const provider = chosen === "auto" ? DEFAULT_PROVIDER : chosen;
  const definition = providerDefinition(provider);
  const kubeconfig = opts.kubeconfig ?? config.kubeconfig;
  if (!definition.testsRunningCluster && config.tokenFile) {
    throw new UsageError(`config ${opts.config}: ${config.tokenFile.key} declares a running cluster's token-file credential, and provider ${provider} creates its own clusters (with a token file of its own)`, {
      hint: "add --provider existing to test the cluster of that credential, or remove the key",
    });
  }
  if (!definition.testsRunningCluster && config.nodes) {
    throw new UsageError(`config ${opts.config}: nodes places a running cluster's test nodes, and provider ${provider} creates its own clusters and nodes`, {
      hint: "add --provider existing to test a running cluster, or remove the key",
    });
  }
  if (!definition.testsRunningCluster && (kubeconfig !== undefined || opts.allowClusterChanges)) {
    throw new UsageError(`--kubeconfig and --allow-cluster-changes are for a running cluster, and provider ${provider} creates its own`, {
      hint: "add --provider existing to test the cluster of that kubeconfig",
    });
  }
  // Whatever the run's provider, a sweep deletes what the records name.
  const deleters = allResourceDeleters();
  const faults = config.faults ?? [];
  const suites = opts.suites.length ? opts.suites : names;

  const version = opts.k8sVersion ?? (config.kubernetesVersion ? checkVersion(config.kubernetesVersion) : defaultKubernetesVersion());
  const support = supportStatus(version);
  if (!support.supported) warn(`Kubernetes ${version}: ${support.summary}. The run goes on, and the report says so.`);

  // Each run reports afresh; the Allure history (trends) lives outside allure-results.
  // --prepare-only reports nothing, so it leaves the report (and other runs) alone.
  if (!opts.prepareOnly) {
    await rm(allureResultsDir(), { recursive: true, force: true });
    await pruneExportedLogs(definition, RUNS_ROOT);
  }
  let prepared: PreparedRun<unknown>;
  try {
    const withFaults = faultsInto(definition, faults);
    if (!opts.prepareOnly) await sweepStaleRuns(deleters);
    prepared = await definition.prepare({
      version,
      userBinDir: opts.k8sBinDir ?? config.k8sBinDir,
      baseSpec: config.base,
      kubeconfig,
      tokenFile: config.tokenFile,
      nodes: config.nodes,
      allowClusterChanges: opts.allowClusterChanges,
    });
    prepared.settings = withFaults(prepared.settings);
  } catch (err) {
    // A machine that cannot run the suites is a harness error, and the report says so.
    if (err instanceof HarnessError && !opts.prepareOnly) reportSetupFailure(allureResultsDir(), { version, provider }, err);
    throw err;
  }
  const { bins } = prepared;
  info(`Kubernetes ${bins.version} binaries from ${bins.source}: ${bins.dir}`);
  if (opts.prepareOnly) {
    info(`--prepare-only: provider ${provider} is ready for Kubernetes ${bins.version}; no suite was run`);
    return 0;
  }

  const { runId, runDir } = createRunDir();
  info(`run ${runId}: suites ${suites.join(", ")} on provider ${provider} (state in ${runDir})`);
  const concurrency = definition.concurrency();
  const parallel = Math.min(opts.parallel ?? concurrency.suites, suites.length);
  const firstSuites = catalogue.filter((s) => s.longWait && suites.includes(s.name)).map((s) => s.name);
  info(
    `suites at once: ${parallel}${opts.parallel !== undefined ? " (--parallel)" : ""}; cluster bring-ups at once: ${concurrency.bringUps}` +
      `${firstSuites.length ? `, ${firstSuites.join(", ")} first` : ""} (${concurrency.why})`,
  );
  const runEnv = {
    runDir,
    provider,
    k8sVersion: bins.version,
    binDir: bins.dir,
    binSource: bins.source,
    keep: opts.keep,
    distro: config.distro,
    baseSpec: prepared.baseSpec,
    providerSettings: prepared.settings,
    bringUps: { atOnce: concurrency.bringUps, firstSuites },
    suites,
  };
  exportRunEnv(runEnv);

  // Ctrl-C / SIGTERM: sweep now, while jest may still be running the suite;
  // whichever finishes first, the process exits only after the sweep.
  let sweepOnSignal: Promise<number> | undefined;
  const onSignal = (signal: NodeJS.Signals) => {
    if (sweepOnSignal) return;
    info(`${signal}: stopping run ${runId} and removing everything it created`);
    const code = signal === "SIGINT" ? 130 : 143;
    sweepOnSignal = sweepRun(runDir, deleters).then(() => code, () => code);
    void sweepOnSignal.then((c) => process.exit(c));
  };
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);

  let outcome: Awaited<ReturnType<typeof runSuites>> | undefined;
  let leaks: Awaited<ReturnType<typeof finishReport>>["hits"] = [];
  let secrets: string[] = [];
  try {
    outcome = await runSuites(suites, parallel);
    if (!sweepOnSignal) ({ hits: leaks, secrets } = await finishReport(runEnv, faults));
  } finally {
    if (sweepOnSignal) {
      await sweepOnSignal;
    } else if (opts.keep) {
      await markKept(runDir);
      info(`--keep: run ${runId} left running in ${runDir} (later runs leave it alone); remove it with \`npm run cleanup\``);
    } else if ((await sweepRun(runDir, deleters)).length) {
      process.exitCode = 1;
    }
  }
  if (sweepOnSignal) return sweepOnSignal;
  // The sweep exported clusters' logs into reports/ (kind does): they are scanned like the rest.
  leaks.push(...(await scanExportedLogs(definition, runId, secrets)));
  for (const l of leaks) process.stderr.write(`error: the report leaks ${l.what} in ${l.file}\n`);
  const counts = await countResults(allureResultsDir());
  process.stderr.write(summaryTable(outcome.perSuite, outcome.skipReasons, outcome.failures));
  if (counts.broken) process.stderr.write(`${counts.broken} check(s) broken: the harness could not run them (see the "Harness or infrastructure errors" category)\n`);
  if (leaks.length) return 1;
  return exitCodeFor(counts, outcome.success);
}

main(process.argv.slice(2)).then(
  (code) => process.exit(process.exitCode || code),
  (err) => {
    process.stderr.write(`error: ${describeError(err)}\n`);
    process.exit(err instanceof UsageError ? 2 : err instanceof HarnessError ? 3 : 1);
  },
);
