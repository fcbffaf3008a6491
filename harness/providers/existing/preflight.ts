import { existsSync } from "node:fs";
import { KubeConfig, VersionApi, type PromiseConfigurationOptions, type RequestContext, type VersionInfo } from "@kubernetes/client-node";
import { PreflightError } from "../../errors";
import { apiStatus, clientsFromKubeConfig } from "../../kube/clients";
import { Timeouts } from "../../wait/timeouts";
import { CLUSTER_CHANGES_RIGHTS, describeRight, REQUIRED_RIGHTS, type RequiredRight } from "./required-rights";

/** What the preflight learnt about the cluster the run was pointed at. */
export interface ExistingClusterFacts {
  kubeconfigPath: string;
  context: string;
  /** The API server URL as this machine reaches it (the kubeconfig's). */
  server: string;
  /** The server's /version, e.g. v1.37.2 or v1.36.3-vendor.1. */
  gitVersion: string;
  /** Its minor release, e.g. 37 (the kubelets of the run follow it, within the skew policy). */
  minor: number;
}

const KUBECONFIG_HINT = "pass --kubeconfig with a cluster-admin's kubeconfig of the cluster to test (or `kubeconfig:` in the --config file)";

/**
 * Before anything is created on a cluster the harness did not make: the
 * kubeconfig loads, the API server answers within a deadline, it says its
 * version, and the credentials hold every right the run uses (one
 * SelfSubjectAccessReview each). Each refusal is a PreflightError (exit 3)
 * naming what is missing; nothing is created on the cluster.
 */
export async function preflightExistingCluster(kubeconfigPath: string | undefined, o: { allowClusterChanges?: boolean } = {}): Promise<ExistingClusterFacts> {
  if (!kubeconfigPath) throw new PreflightError("the existing provider tests a running cluster, and no kubeconfig was given", { hint: KUBECONFIG_HINT });
  if (!existsSync(kubeconfigPath)) throw new PreflightError(`the kubeconfig ${kubeconfigPath} does not exist`, { hint: KUBECONFIG_HINT });
  const kc = new KubeConfig();
  try {
    kc.loadFromFile(kubeconfigPath);
  } catch (err) {
    throw new PreflightError(`${kubeconfigPath} is not a kubeconfig the harness can read: ${(err as Error).message.split("\n")[0]}`, { hint: KUBECONFIG_HINT });
  }
  const context = kc.getCurrentContext();
  const server = kc.getCurrentCluster()?.server;
  if (!context || !server) {
    throw new PreflightError(`${kubeconfigPath} names no current context with a cluster server`, { hint: "set current-context in it (kubectl config use-context <name> --kubeconfig <file>)" });
  }
  const where = `the API server ${server} (context ${context} of ${kubeconfigPath})`;
  const version = await readVersion(kc, where);
  const minor = Number(version.minor.replace(/\D.*$/, ""));
  if (version.major !== "1" || !Number.isInteger(minor) || minor < 1) {
    throw new PreflightError(`${where} reports version ${JSON.stringify({ major: version.major, minor: version.minor, gitVersion: version.gitVersion })}, which names no Kubernetes 1.x release`, {
      hint: "the kubelets the harness joins follow the server's release; point it at a Kubernetes 1.x API server",
    });
  }
  const missing = await missingRights(kc, o.allowClusterChanges ? [...REQUIRED_RIGHTS, ...CLUSTER_CHANGES_RIGHTS] : REQUIRED_RIGHTS);
  if (missing.length) {
    throw new PreflightError(
      `the credentials of context ${context} (${kubeconfigPath}) lack ${missing.length} right(s) the run needs:\n` +
        missing.map((m) => `    - ${describeRight(m.attributes)}: ${m.why}`).join("\n"),
      { hint: "use a cluster-admin's kubeconfig (the run creates and removes Nodes, CSRs and bootstrap-token Secrets, and approves CSRs)" },
    );
  }
  return { kubeconfigPath, context, server, gitVersion: version.gitVersion, minor };
}

/** A request option that aborts the call after `ms`, so an address that drops packets cannot hang the run. */
export function abortAfter(ms: number): PromiseConfigurationOptions {
  const signal = AbortSignal.timeout(ms);
  return {
    middleware: [
      {
        pre: async (ctx: RequestContext) => {
          ctx.setSignal(signal);
          return ctx;
        },
        post: async (response) => response,
      },
    ],
    middlewareMergeStrategy: "append",
  };
}

async function readVersion(kc: KubeConfig, where: string): Promise<VersionInfo> {
  const deadlineMs = Timeouts.componentReady / 4;
  try {
    return await kc.makeApiClient(VersionApi).getCode(abortAfter(deadlineMs));
  } catch (err) {
    const status = apiStatus(err);
    if (status === 401) throw new PreflightError(`${where} rejected the kubeconfig's credentials (HTTP 401)`, { hint: KUBECONFIG_HINT });
    const e = err as Error & { code?: string; type?: string; cause?: { code?: string } };
    const reason = e.name === "AbortError" || e.type === "aborted" ? `no answer within ${deadlineMs / 1000} s` : (e.cause?.code ?? e.code ?? e.message.split("\n")[0]);
    throw new PreflightError(`${where} did not answer GET /version: ${status ? `HTTP ${status}` : reason}`, {
      hint: "check that the cluster runs and that this machine reaches that address (the server field of the kubeconfig)",
    });
  }
}

/** The call's answer, or an AbortError after `ms` (for the clients whose options take no promise middleware). */
export async function withDeadline<T>(call: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(Object.assign(new Error(`no answer within ${ms / 1000} s`), { name: "AbortError" })), ms);
  });
  try {
    return await Promise.race([call, deadline]);
  } finally {
    clearTimeout(timer);
  }
}

async function missingRights(kc: KubeConfig, rights: readonly RequiredRight[]): Promise<RequiredRight[]> {
  const { authorization } = clientsFromKubeConfig(kc);
  const answers = await Promise.all(
    rights.map(async (right) => {
      try {
        const review = await withDeadline(authorization.createSelfSubjectAccessReview({ body: { spec: { resourceAttributes: right.attributes } } }), Timeouts.componentReady / 4);
        return review.status?.allowed ? undefined : right;
      } catch (err) {
        throw new PreflightError(`could not ask the API server whether the credentials may ${describeRight(right.attributes)} (SelfSubjectAccessReview): ${(err as Error).message.split("\n")[0]}`, {
          hint: "the preflight needs authorization.k8s.io/v1 SelfSubjectAccessReview, which every authenticated user may create by default",
        });
      }
    }),
  );
  return answers.filter((r): r is RequiredRight => r !== undefined);
}
