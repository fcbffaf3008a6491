import { bootstrapGroup, TOKEN_FILE_UID, TOKEN_FILE_USER } from "../kube/seed-bindings";
import { newStaticToken, tokenFileLine } from "../kube/token-file";
import { info, timed } from "../log";
import { registerSecret } from "../report/redact";
import type { ResourceDeleter } from "../run/resources";
import { claimClusterDir, runIdOf } from "../run/run-dir";
import { sweepRecorded } from "../run/sweep";
import { saveClusterState, type ClusterStateBase } from "./cluster-state";
import type { Cluster, ComponentVersions } from "./provider";
import type { ClusterSpec } from "./spec";

/** What every step of a bring-up is given: the cluster's place in the run, and what it must be. */
export interface ClusterDraft {
  readonly runDir: string;
  readonly runId: string;
  /** The n of the run's cluster directory c<n>. */
  readonly index: number;
  readonly dir: string;
  /** ktc-<run>-c<n>: owner of everything recorded for the cluster. */
  readonly name: string;
  readonly spec: ClusterSpec;
  /** The static token of the API server's token-auth-file line (registered for redaction). */
  readonly tokenFileToken: string;
  /** That line, `token,kubelet-bootstrap,10001,"<the style's group>"`. */
  readonly tokenFileLine: string;
}

/** The control plane as its step leaves it: serving, with the seed bindings the spec asks for. */
export interface ControlPlaneUp {
  /** The API server URL as the nodes reach it. */
  apiServerUrl: string;
  adminKubeconfigPath: string;
  /** The CA that signs kubelet client certificates, PEM. */
  caCertPem: string;
  /** The CA bundle that verifies the API server, when it is not caCertPem. */
  serverCaPem?: string;
  /** The extra groups of its bootstrap tokens, when not the binding style's. */
  bootstrapperGroups?: string[];
  /** How long parts of the step took, by name (cluster.json). */
  timingsMs: Record<string, number>;
}

/**
 * A provider's meaning of each named step of a bring-up (kind's
 * create/actions). createCluster runs them in this order for every
 * provider, so the skeleton (a directory and name per cluster, the token-file
 * line, the saved state, the removal of a half-made cluster) cannot drift
 * between providers.
 */
export interface CreateSteps<Network, ControlPlane extends ControlPlaneUp, State extends ClusterStateBase> {
  /** The provider's name, for the log. */
  readonly provider: string;
  /** The provider's deleters: what a failed bring-up recorded is removed with them. */
  readonly deleters: readonly ResourceDeleter[];
  /** Refuses a spec or a machine the provider cannot serve, before anything is created. */
  preflight(spec: ClusterSpec): Promise<void>;
  /** Where the API server and the nodes will reach each other. */
  network(c: ClusterDraft): Promise<Network>;
  /** etcd, an API server that accepts the token-file line, the controllers that approve and sign CSRs, the spec's bindings. */
  controlPlane(c: ClusterDraft, network: Network): Promise<ControlPlane>;
  /** What runs, by component, for the report's environment panel. */
  versions(c: ClusterDraft, network: Network, controlPlane: ControlPlane): Promise<ComponentVersions>;
  /** The provider's own fields of cluster.json: what its nodes need to join. */
  state(c: ClusterDraft, network: Network, controlPlane: ControlPlane): Promise<Omit<State, keyof ClusterStateBase>>;
  /** The cluster over its saved state (also what ClusterProvider.attach returns). */
  attach(state: State): Cluster;
}

/** Every cluster of a run is named `ktc-<run id>-c<index>`, whatever its provider. */
export function clusterNamePrefix(runId: string): string {
  return `ktc-${runId}-c`;
}

/** The run id in a cluster's name (clusterNamePrefix), or undefined for other names. */
export function runIdOfClusterName(name: string): string | undefined {
  return name.match(/^ktc-([0-9a-f]+)-c\d+$/)?.[1];
}

/**
 * Creates one cluster of the run with a provider's steps, each logged with its
 * duration. If any step fails, everything recorded for the cluster is removed
 * at once rather than left running for the other suites, and the step's
 * error is thrown.
 */
export async function createCluster<Network, ControlPlane extends ControlPlaneUp, State extends ClusterStateBase>(
  runDir: string,
  spec: ClusterSpec,
  steps: CreateSteps<Network, ControlPlane, State>,
): Promise<Cluster> {
  await steps.preflight(spec);
  const { index, dir } = await claimClusterDir(runDir);
  const runId = runIdOf(runDir);
  const name = `${clusterNamePrefix(runId)}${index}`;
  const tokenFileToken = newStaticToken();
  registerSecret(tokenFileToken);
  const draft: ClusterDraft = {
    runDir,
    runId,
    index,
    dir,
    name,
    spec,
    tokenFileToken,
    tokenFileLine: tokenFileLine(tokenFileToken, TOKEN_FILE_USER, TOKEN_FILE_UID, [bootstrapGroup(spec.bindingStyle)]),
  };
  const step = <T>(what: string, fn: () => Promise<T>) => timed(`${what} of ${name}`, fn);
  info(`creating ${steps.provider} cluster ${name} in ${dir}`);
  try {
    const { value: network } = await step("creating the network", () => steps.network(draft));
    // tools/bench reads this step's line as the bring-up time.
    const { value: controlPlane, ms } = await step("bringing up control plane", () => steps.controlPlane(draft, network));
    const { value: versions } = await step("reading component versions", () => steps.versions(draft, network, controlPlane));
    const base: ClusterStateBase = {
      name,
      runDir,
      dir,
      spec,
      apiServerUrl: controlPlane.apiServerUrl,
      adminKubeconfigPath: controlPlane.adminKubeconfigPath,
      caCertPem: controlPlane.caCertPem,
      ...(controlPlane.serverCaPem ? { serverCaPem: controlPlane.serverCaPem } : {}),
      ...(controlPlane.bootstrapperGroups ? { bootstrapperGroups: controlPlane.bootstrapperGroups } : {}),
      tokenFileToken,
      versions,
      timingsMs: { ...controlPlane.timingsMs, total: ms },
    };
    const state = { ...base, ...(await steps.state(draft, network, controlPlane)) } as State;
    await saveClusterState(state);
    return steps.attach(state);
  } catch (err) {
    info(`bring-up of ${name} failed; removing what was started`);
    await sweepRecorded(runDir, steps.deleters, name);
    throw err;
  }
}
