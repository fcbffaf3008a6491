import { AuthenticationV1Api, AuthorizationV1Api, KubeConfig } from "@kubernetes/client-node";
import type { TokenFileDeclaration } from "../../config/run-config";
import { PreflightError } from "../../errors";
import { apiStatus } from "../../kube/clients";
import { Timeouts } from "../../wait/timeouts";
import { withDeadline } from "./preflight";
import { describeDeclaration, readTokenFileToken, type TokenFileCredential } from "./token-file-credential";

/** The kubeconfig user name of the requests made with the declared token. */
const AS_TOKEN = "ktc-token-file-credential";

const DECLARE_HINT =
  "declare the token (the first field) of a line of the API server's --token-auth-file as the file is now, or a bootstrap kubeconfig whose user has one; " +
  "without either key the checks of token-file nodes are skipped";

/**
 * Before the suites, with the token the vendor declared: whom it authenticates
 * as (an authentication.k8s.io/v1 SelfSubjectReview made with it, the
 * identity its nodes' first CSRs carry), and that this identity may create
 * CSRs, as a bootstrapping kubelet must. Each refusal is a PreflightError
 * (exit 3) that never shows the token; nothing is created on the cluster.
 */
export async function preflightTokenFileCredential(admin: KubeConfig, declared: TokenFileDeclaration): Promise<TokenFileCredential> {
  const token = await readTokenFileToken(declared);
  const cluster = admin.getCurrentCluster()!;
  const what = `the token-file credential (${describeDeclaration(declared)})`;
  const kc = new KubeConfig();
  kc.loadFromOptions({
    clusters: [cluster],
    users: [{ name: AS_TOKEN, token }],
    contexts: [{ name: AS_TOKEN, cluster: cluster.name, user: AS_TOKEN }],
    currentContext: AS_TOKEN,
  });
  const deadlineMs = Timeouts.componentReady / 4;

  let userInfo;
  try {
    userInfo = (await withDeadline(kc.makeApiClient(AuthenticationV1Api).createSelfSubjectReview({ body: {} }), deadlineMs)).status?.userInfo;
  } catch (err) {
    if (apiStatus(err) === 401) {
      throw new PreflightError(`${what} does not authenticate to the API server ${cluster.server}: a SelfSubjectReview made with it was refused (HTTP 401)`, { hint: DECLARE_HINT });
    }
    throw new PreflightError(`could not ask the API server ${cluster.server} whom ${what} authenticates as (SelfSubjectReview): ${reasonOf(err)}`, {
      hint: "the harness asks with authentication.k8s.io/v1 SelfSubjectReview (GA since Kubernetes 1.28), which every authenticated user may create by default",
    });
  }
  if (!userInfo?.username) throw new PreflightError(`the API server ${cluster.server} answered the SelfSubjectReview of ${what} with no username`, { hint: DECLARE_HINT });
  const identity = { user: userInfo.username, groups: [...(userInfo.groups ?? [])].sort() };
  const who = `${identity.user} (groups ${identity.groups.join(", ") || "none"})`;

  let allowed: boolean | undefined;
  try {
    const review = await withDeadline(
      kc.makeApiClient(AuthorizationV1Api).createSelfSubjectAccessReview({ body: { spec: { resourceAttributes: { group: "certificates.k8s.io", resource: "certificatesigningrequests", verb: "create" } } } }),
      deadlineMs,
    );
    allowed = review.status?.allowed;
  } catch (err) {
    throw new PreflightError(`could not ask the API server ${cluster.server} whether ${who} may create CSRs (SelfSubjectAccessReview): ${reasonOf(err)}`, {
      hint: "every authenticated user may create a SelfSubjectAccessReview by default",
    });
  }
  if (!allowed) {
    throw new PreflightError(`${what} authenticates as ${who}, who may not create CertificateSigningRequests: a kubelet bootstrapping with it could not ask for its client certificate`, {
      hint: "bind the ClusterRole system:node-bootstrapper to that user or one of its groups, as for the nodes of yours that join with it; " + DECLARE_HINT,
    });
  }
  return { declared, identity };
}

/** HTTP status, the deadline, or the first line of the error (an ApiException's carries no request header). */
function reasonOf(err: unknown): string {
  const status = apiStatus(err);
  if (status) return `HTTP ${status}`;
  const e = err as Error & { code?: string; cause?: { code?: string } };
  return e.name === "AbortError" ? e.message : (e.cause?.code ?? e.code ?? e.message.split("\n")[0]!);
}
