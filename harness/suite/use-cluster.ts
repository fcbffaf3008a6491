import { randomBytes } from "node:crypto";
import { afterAll, beforeAll } from "@jest/globals";
import { clientsFromFile, type KubeClients } from "../kube/clients";
import { info } from "../log";
import type { Cluster, Node } from "../providers/provider";
import { providerDefinition, providerFor } from "../providers/registry";
import { dropReservedTurn, reserveFirstTurn } from "./bring-up-turns";
import { acquireCluster } from "./cluster-pool";
import { declareUser, finishUse, usersDir } from "./cluster-release";
import { currentSuite } from "../current-suite";
import { bootstrapTokenSecret, newBootstrapToken, type BootstrapToken } from "../kube/bootstrap-token";
import { registerSecret } from "../report/redact";
import { runIdOf } from "../run/run-dir";
import { HarnessError } from "../errors";
import { phase } from "../report/phase";
import { resolveSpec, type BootstrapCredential, type ClusterSpec, type NodeSpec } from "../providers/spec";
import { readRunEnv, type RunEnv } from "../run/run-env";
import { Timeouts } from "../wait/timeouts";
import { prepared } from "./prepared";

export interface ClusterFixture {
  readonly env: RunEnv;
  /** The spec this suite runs against (base config + the suite's overrides). */
  readonly spec: ClusterSpec;
  /** Why the run's provider cannot give this spec (a running cluster's own settings): its checks are skipped with it. */
  readonly skipReason: string | undefined;
  /** The cluster; throws the bring-up's own error if it did not come up. */
  readonly cluster: Cluster;
  readonly kube: KubeClients;
  /** When this suite started using the cluster: the control plane's evidence starts here. */
  readonly startedAt: Date;
  /** Every node joined through this fixture, for failure evidence. */
  readonly nodes: readonly Node[];
  /** Joins a node with a run-unique name derived from `label`, and the node's own settings. */
  join(label: string, credential: BootstrapCredential, options?: NodeOptions): Promise<Node>;
  /**
   * A bootstrap-token Secret the suite creates by itself in kube-system, with
   * the groups this cluster's tokens carry; recorded first, so a cluster the
   * run did not make gets it removed at the end.
   */
  createBootstrapToken(o: { ttlSeconds: number; usageAuthentication?: boolean }): Promise<BootstrapToken>;
  /** The generateName for CSRs the suite creates by itself (`label` + the run's id), recorded first as createBootstrapToken's Secrets are. */
  csrGenerateName(label: string): Promise<string>;
  /** This fixture for checks of nodes that join with `credential`: skipped too if the provider's nodes cannot. */
  joiningWith(credential: BootstrapCredential): ClusterFixture;
}

/** A node's own settings (all but its name and credential). */
export type NodeOptions = Omit<NodeSpec, "name" | "credential">;

/**
 * Why the run's provider cannot give a cluster with these overrides, if it
 * cannot; declares nothing (a suite choosing between two clusters asks first).
 */
export function unservableReason(overrides: Partial<ClusterSpec>): string | undefined {
  const env = readRunEnv();
  return providerDefinition(env.provider).cannotServe?.(env.providerSettings, resolveSpec(env.baseSpec, overrides), env.baseSpec);
}

/** The bring-ups of the clusters this test file declared (module state: one per file). */
const declaredBringUps: (() => void)[] = [];

/**
 * Declares the cluster a suite needs, as overrides of the run's base spec
 * (the vendor config). The cluster comes from the run's pool, shared with
 * other suites that need an equal spec, and lives until the run's sweep; the
 * nodes this suite joined are stopped when it ends. Node names are unique per
 * run so suites never collide. A bring-up failure is reported by every check
 * of the suite, as a harness error with the component's own words (see
 * prepared()).
 */
export function useCluster(overrides: Partial<ClusterSpec> = {}): ClusterFixture {
  const env = readRunEnv();
  const spec = resolveSpec(env.baseSpec, overrides);
  const provider = providerDefinition(env.provider);
  const skipReason = unservableReason(overrides);
  if (skipReason) info(`${currentSuite() ?? "a suite"}: the checks on a cluster with ${describeSpec(overrides)} are skipped: ${skipReason}`);
  const nodes: Node[] = [];
  let startedAt = new Date();
  const suiteName = currentSuite();
  const doneMarker = declareUser(env.runDir, spec, suiteName ?? "suite");
  const first = !!suiteName && env.bringUps.firstSuites.includes(suiteName);
  const what = `a cluster of ${suiteName ?? "this suite"}`;
  // A first suite's bring-up turn is reserved now, while jest collects the file (bring-up-turns.ts).
  const reserved = first && !skipReason ? reserveFirstTurn(env.runDir, what) : undefined;

  // jest runs a file's beforeAll hooks one after another, so each cluster's
  // hook (in prepared()) would bring its cluster up after the previous one:
  // instead the file's first useCluster registers, before its own hook, one
  // that starts every cluster the file declared, side by side (in their
  // bring-up turns); each cluster's own hook then waits for it.
  if (!declaredBringUps.length) beforeAll(() => declaredBringUps.forEach((start) => start()));
  const up = prepared(
    "the cluster bring-up",
    async () => {
      // Nothing is brought up or joined for checks that are skipped (steps they share with others still ask).
      if (skipReason) throw new HarnessError(`skipped: ${skipReason}`);
      startedAt = new Date();
      const turn = { atOnce: env.bringUps.atOnce, first, firstSuites: env.bringUps.firstSuites, reserved, sharedBy: usersDir(env.runDir, spec), what };
      const cluster = await phase("cluster up", () => acquireCluster(env.runDir, providerFor(env), spec, turn));
      return { cluster, kube: clientsFromFile(cluster.adminKubeconfigPath) };
    },
    Timeouts.clusterUp,
  );
  declaredBringUps.push(() => void up().catch(() => undefined));

  afterAll(async () => {
    if (env.keep) {
      const cluster = await up().then((u) => u.cluster, () => undefined);
      if (cluster) info(`--keep: cluster ${cluster.name} left running; admin kubeconfig ${cluster.adminKubeconfigPath}`);
      return;
    }
    const errors: unknown[] = [];
    // A reservation whose bring-up never ran (no check of this block ran) must not hold the others' turns.
    if (reserved) await dropReservedTurn(env.runDir, reserved);
    for (const n of nodes) await n.stop().catch((e) => errors.push(e));
    // The cluster goes now if no suite of the run can need it any more (cluster-release.ts).
    await finishUse({ runDir: env.runDir, spec, doneMarker, suites: env.suites, provider: providerFor(env) }).catch((e) => errors.push(e));
    if (errors.length) throw new AggregateError(errors, `stopping the nodes of this suite had ${errors.length} error(s)`);
  }, Timeouts.clusterDown);

  return {
    env,
    spec,
    skipReason,
    get cluster() {
      return up.now().cluster;
    },
    get kube() {
      return up.now().kube;
    },
    get startedAt() {
      return startedAt;
    },
    nodes,
    async join(label, credential, options) {
      if (this.skipReason) throw new HarnessError(`skipped: ${this.skipReason}`);
      const { cluster } = await up();
      const name = `${label}-${randomBytes(2).toString("hex")}`;
      const node = await cluster.joinNode({ name, credential, ...options });
      nodes.push(node);
      return node;
    },
    async createBootstrapToken(o) {
      const { cluster, kube } = await up();
      const t = newBootstrapToken(o.ttlSeconds);
      registerSecret(t.token);
      await cluster.willCreate({ kind: "bootstrap-token-secret", tokenId: t.id });
      await kube.core.createNamespacedSecret({ namespace: "kube-system", body: bootstrapTokenSecret(t, { extraGroups: [...cluster.bootstrapperGroups], usageAuthentication: o.usageAuthentication }) });
      return t;
    },
    async csrGenerateName(label) {
      const { cluster } = await up();
      const prefix = `${label}${runIdOf(env.runDir)}`;
      await cluster.willCreate({ kind: "csrs-named", prefix });
      return prefix;
    },
    joiningWith(credential) {
      const why = skipReason ? undefined : provider.cannotJoinWith?.(env.providerSettings, credential, spec);
      if (!why) return this;
      info(`${currentSuite() ?? "a suite"}: the checks of nodes joined with a ${credential} credential are skipped: ${why}`);
      // The same fixture (its getters read the same bring-up) with the reason of its own.
      return Object.create(this, { skipReason: { value: why } }) as ClusterFixture;
    },
  };
}

/** "autoApprove {bootstrap: false, renewal: true}, signingDurationSeconds 180": a suite's overrides, for the console. */
function describeSpec(overrides: Partial<ClusterSpec>): string {
  const parts = Object.entries(overrides).map(([k, v]) => `${k} ${typeof v === "object" ? JSON.stringify(v).replace(/"/g, "") : String(v)}`);
  return parts.join(", ") || "the run's base spec";
}
