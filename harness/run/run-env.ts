import { HarnessError } from "../errors";
import type { ClusterSpec } from "../providers/spec";
import { RUN_DIR_ENV } from "./run-dir";

/**
 * What the CLI resolved before jest starts (binaries can take minutes to
 * build, which must not count against a test's timeout), handed to the suites
 * through the environment of this same process.
 */
export interface RunEnv {
  runDir: string;
  /** A provider's name in the registry (providers/registry.ts). */
  provider: string;
  k8sVersion: string;
  binDir: string;
  binSource: string;
  keep: boolean;
  /** The vendor's name for the distribution under test (report parameter). */
  distro: string;
  /** Spec fields from the vendor config, under every suite's own spec. */
  baseSpec: Partial<ClusterSpec>;
  /** What the provider prepared for its suites (its own shape, see its settings.ts). */
  providerSettings: unknown;
  /** How the run's cluster bring-ups take turns (suite/bring-up-turns.ts). */
  bringUps: BringUpPolicy;
  /** The suites of the run: once all have declared their clusters, a cluster none still uses can go (suite/cluster-release.ts). */
  suites: string[];
}

export interface BringUpPolicy {
  /** Bring-ups under way at once, across the run's suites. */
  atOnce: number;
  /** Suites whose bring-ups go before the others' (the long waits: renewal). */
  firstSuites: string[];
}

const NAMES = {
  runDir: RUN_DIR_ENV,
  provider: "KTC_PROVIDER_RESOLVED",
  k8sVersion: "KTC_K8S_VERSION_RESOLVED",
  binDir: "KTC_K8S_BIN_DIR_RESOLVED",
  binSource: "KTC_K8S_BIN_SOURCE",
  keep: "KTC_KEEP_CLUSTERS",
  distro: "KTC_DISTRO",
  baseSpec: "KTC_BASE_SPEC",
  providerSettings: "KTC_PROVIDER_SETTINGS",
  bringUps: "KTC_BRING_UPS",
  suites: "KTC_SUITES",
} as const;

export function exportRunEnv(env: RunEnv): void {
  for (const [key, name] of Object.entries(NAMES)) {
    const v = env[key as keyof RunEnv];
    process.env[name] = typeof v === "object" ? JSON.stringify(v) : String(v);
  }
}

export function readRunEnv(): RunEnv {
  const get = (name: string) => {
    const v = process.env[name];
    if (v === undefined) {
      throw new HarnessError(`${name} is not set: the suites must be started through the harness CLI`, {
        hint: "run them with `npm test -- --suite <name>` rather than calling jest directly",
      });
    }
    return v;
  };
  return {
    runDir: get(NAMES.runDir),
    provider: get(NAMES.provider),
    k8sVersion: get(NAMES.k8sVersion),
    binDir: get(NAMES.binDir),
    binSource: get(NAMES.binSource),
    keep: get(NAMES.keep) === "true",
    distro: get(NAMES.distro),
    baseSpec: JSON.parse(get(NAMES.baseSpec)) as Partial<ClusterSpec>,
    providerSettings: JSON.parse(get(NAMES.providerSettings)) as unknown,
    bringUps: JSON.parse(get(NAMES.bringUps)) as BringUpPolicy,
    suites: JSON.parse(get(NAMES.suites)) as string[],
  };
}
