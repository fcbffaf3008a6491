import type { ResolvedBinaries } from "../binaries/resolve";
import type { NodePlacementDeclaration, TokenFileDeclaration } from "../config/run-config";
import type { ResourceDeleter } from "../run/resources";
import type { RunEnv } from "../run/run-env";
import type { FaultInjection } from "./fault-injection";
import type { ClusterProvider } from "./provider";
import type { BootstrapCredential, ClusterSpec } from "./spec";

/**
 * A provider as the CLI and the run directory code know it, through the
 * registry (registry.ts) and nothing else: kind's provider split, where each
 * provider owns its whole lifecycle. Everything provider-specific (what to
 * prepare, what it records and how to delete it, what a lost run of it
 * leaves) is answered here, so a new provider is one new folder plus its
 * registry entry.
 *
 * `Settings` is what `prepare` found (paths, images) and the suites' provider
 * is opened with; it crosses from the CLI to jest as JSON.
 */
export interface ProviderDefinition<Settings = unknown> {
  readonly name: string;
  /** A few words for --help, e.g. "local processes". */
  readonly summary: string;
  /** It tests a running cluster named by --kubeconfig (the others create their own and refuse the flag). */
  readonly testsRunningCluster?: boolean;
  /** --help's lines on the environment variables this provider reads, if any. */
  readonly environmentHelp?: string;
  /**
   * In the CLI, before the first suite and outside any test timeout: checks
   * the machine (each refusal a typed error with its fix) and installs or
   * builds what the provider needs, the Kubernetes binaries included.
   */
  prepare(request: PrepareRequest): Promise<PreparedRun<Settings>>;
  /**
   * How much of a run may happen at once on this machine: the provider knows
   * what its suites and bring-ups cost (processes, node containers, inotify
   * instances, memory, CPU).
   */
  concurrency(): Concurrency;
  /** In a suite: this run's provider, from the run's environment and what `prepare` returned. */
  open(env: RunEnv, settings: Settings): ClusterProvider;
  /**
   * Why this provider's clusters cannot be what a suite's spec asks, if they
   * cannot (a running cluster's signer, CA and bindings are its own): every
   * check on such a cluster is reported skipped with this reason, never run.
   * Providers that build each cluster to its spec have none.
   */
  cannotServe?(settings: Settings, spec: ClusterSpec, baseSpec: Partial<ClusterSpec>): string | undefined;
  /**
   * Why its nodes cannot join with this credential on a cluster of `spec`, if
   * they cannot (a running cluster's token file is unknown unless the vendor
   * declared a token of it; whom it binds is its own): as cannotServe.
   */
  cannotJoinWith?(settings: Settings, credential: BootstrapCredential, spec: ClusterSpec): string | undefined;
  /** Optional capability: clusters broken on purpose, for the negative controls. */
  readonly faultInjection?: FaultInjection<Settings>;
  /**
   * A deleter per kind of object the provider records, in the order a sweep
   * deletes them; `npm run cleanup` calls them from the records alone.
   */
  readonly resourceDeleters: readonly ResourceDeleter[];
  /**
   * Where deleting a cluster exports its logs under reports/, if anywhere:
   * the CLI scans it for the run's secrets after the sweep.
   */
  exportedLogsDir?(): string;
  /** What a finished run of this provider may have left outside its directory, by kind (leak-scan.ts). */
  readonly leftovers: LeftoverScan;
  /**
   * `npm run cleanup -- --all`: removes what runs of this runs root left
   * outside their (now lost) directories; returns what it removed, as lines
   * for the console. Providers whose objects all live under the run
   * directory, or carry its name, need none.
   */
  sweepLostRuns?(runsRoot: string, liveRunIds: ReadonlySet<string>): Promise<string[]>;
}

export interface Concurrency {
  /** Suites at once when --parallel does not say. */
  suites: number;
  /** Cluster bring-ups under way at once, across the run's suites. */
  bringUps: number;
  /** For the console: what bounds them on this machine. */
  why: string;
}

export interface LeftoverScan {
  /** The kinds the scan reports, each a key of its answer (also when empty). */
  readonly kinds: readonly string[];
  /** The names of the objects of these runs that still exist, by kind. */
  find(runIds: readonly string[]): Promise<Record<string, string[]>>;
}

export interface PrepareRequest {
  /** The Kubernetes release asked for. */
  version: string;
  /** --k8s-bin-dir: the vendor's own binaries. */
  userBinDir?: string;
  /** The spec fields of the vendor config. */
  baseSpec: Partial<ClusterSpec>;
  /** --kubeconfig (or the config's `kubeconfig:`): the running cluster, for providers that test one. */
  kubeconfig?: string;
  /** The config's token-file credential of that running cluster (tokenFileToken or tokenFileBootstrapKubeconfig), if declared. */
  tokenFile?: TokenFileDeclaration;
  /** The config's `nodes`: where a running cluster's test nodes run (local processes when absent). */
  nodes?: NodePlacementDeclaration;
  /** --allow-cluster-changes: such a provider may change the cluster's auto-approve bindings, and restores them. */
  allowClusterChanges: boolean;
}

export interface PreparedRun<Settings> {
  bins: ResolvedBinaries;
  /** The base spec every suite's spec is laid over: the config's, with what the provider imposes. */
  baseSpec: Partial<ClusterSpec>;
  settings: Settings;
}
