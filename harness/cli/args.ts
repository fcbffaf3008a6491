import { parseArgs } from "node:util";
import { UsageError } from "../errors";
import { providerNames } from "../providers/registry";

/** The registry's providers, and "auto" (the default provider). */
export function providerChoices(): string[] {
  return [...providerNames(), "auto"];
}

export interface RunOptions {
  suites: string[];
  /** Unset when neither the flag nor KTC_PROVIDER gives one (the config file may). */
  provider: string | undefined;
  k8sVersion: string | undefined;
  config: string | undefined;
  k8sBinDir: string | undefined;
  keep: boolean;
  help: boolean;
  listSuites: boolean;
  listVersions: boolean;
  /** Build or install what the provider needs for the version, then exit (warms the caches). */
  prepareOnly: boolean;
  /** How many suites run at once; unset: the provider's default for this machine. */
  parallel: number | undefined;
  /** The running cluster to test (providers that take one: existing). */
  kubeconfig: string | undefined;
  /** The run may create or remove the auto-approve bindings of that cluster, restoring them afterwards. */
  allowClusterChanges: boolean;
}

const OPTIONS = {
  suite: { type: "string", multiple: true },
  provider: { type: "string" },
  "k8s-version": { type: "string" },
  "k8s-bin-dir": { type: "string" },
  config: { type: "string" },
  keep: { type: "boolean" },
  "list-suites": { type: "boolean" },
  "list-versions": { type: "boolean" },
  "prepare-only": { type: "boolean" },
  parallel: { type: "string" },
  kubeconfig: { type: "string" },
  "allow-cluster-changes": { type: "boolean" },
  help: { type: "boolean", short: "h" },
} as const;

export const FLAG_NAMES = Object.keys(OPTIONS).map((k) => `--${k}`);

/**
 * Parses `npm test -- ...` arguments. Everything unknown is an error that lists
 * what is valid: jest itself would silently ignore `--suite=x` and run all.
 */
export function parseRunArgs(argv: string[], knownSuites: string[], env: NodeJS.ProcessEnv = process.env): RunOptions {
  let values: ReturnType<typeof parseArgs<{ options: typeof OPTIONS; allowPositionals: true }>>["values"];
  let positionals: string[];
  try {
    ({ values, positionals } = parseArgs({ args: argv, options: OPTIONS, strict: true, allowPositionals: true }));
  } catch (err) {
    throw new UsageError((err as Error).message.split("\n")[0]!, { hint: `valid flags: ${FLAG_NAMES.join(", ")}` });
  }
  if (positionals.length) {
    throw new UsageError(`unexpected argument ${JSON.stringify(positionals[0])}`, {
      hint: `name suites with --suite (valid: ${knownSuites.join(", ")}); valid flags: ${FLAG_NAMES.join(", ")}`,
    });
  }

  const suites = (values.suite ?? []).flatMap((s) => s.split(",")).map((s) => s.trim()).filter(Boolean);
  const unknown = suites.filter((s) => !knownSuites.includes(s));
  if (unknown.length) {
    throw new UsageError(`unknown suite${unknown.length > 1 ? "s" : ""}: ${unknown.join(", ")}`, {
      hint: `valid suites: ${knownSuites.join(", ")}`,
    });
  }

  const provider = values.provider ?? env.KTC_PROVIDER;
  if (provider !== undefined) checkProvider(provider);
  const k8sVersion = values["k8s-version"] ?? env.KTC_K8S_VERSION;
  if (k8sVersion !== undefined) checkVersion(k8sVersion);

  return {
    suites: [...new Set(suites)],
    provider,
    k8sVersion,
    k8sBinDir: values["k8s-bin-dir"] ?? env.K8S_BIN_DIR,
    config: values.config ?? env.KTC_CONFIG,
    keep: values.keep ?? env.KTC_KEEP === "1",
    help: values.help ?? false,
    listSuites: values["list-suites"] ?? false,
    listVersions: values["list-versions"] ?? false,
    prepareOnly: values["prepare-only"] ?? false,
    parallel: checkParallel(values.parallel ?? env.KTC_PARALLEL),
    kubeconfig: values.kubeconfig ?? env.KTC_KUBECONFIG,
    allowClusterChanges: values["allow-cluster-changes"] ?? env.KTC_ALLOW_CLUSTER_CHANGES === "1",
  };
}

function checkParallel(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (!/^[1-9]\d*$/.test(value)) {
    throw new UsageError(`--parallel takes how many suites run at once, a whole number from 1, got ${JSON.stringify(value)}`, {
      hint: "--parallel 1 runs the suites one after another",
    });
  }
  return Number(value);
}

export function checkProvider(provider: string): string {
  if (!providerChoices().includes(provider)) {
    throw new UsageError(`unknown provider: ${provider}`, { hint: `valid providers: ${providerChoices().join(", ")}` });
  }
  return provider;
}

export function checkVersion(version: string): string {
  if (!/^v\d+\.\d+\.\d+$/.test(version)) {
    throw new UsageError(`the Kubernetes version must look like v1.34.4, got ${JSON.stringify(version)}`);
  }
  return version;
}
