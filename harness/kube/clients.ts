import {
  AuthenticationV1Api,
  AuthorizationV1Api,
  CertificatesV1Api,
  CoordinationV1Api,
  CoreV1Api,
  createConfiguration,
  Health,
  KubeConfig,
  RbacAuthorizationV1Api,
  ServerConfiguration,
} from "@kubernetes/client-node";
import { HarnessApiError } from "../errors";
import { KeptAliveConnections } from "./kept-alive-connections";

/** The typed API clients the harness and the suites use, from one kubeconfig. */
export interface KubeClients {
  kc: KubeConfig;
  core: CoreV1Api;
  certificates: CertificatesV1Api;
  rbac: RbacAuthorizationV1Api;
  /** SelfSubjectReview: who the API server takes the caller for. */
  authentication: AuthenticationV1Api;
  authorization: AuthorizationV1Api;
  coordination: CoordinationV1Api;
  health: Health;
}

export function clientsFromKubeConfig(kc: KubeConfig): KubeClients {
  const cluster = kc.getCurrentCluster();
  if (!cluster) throw new HarnessApiError("the kubeconfig has no current cluster", { hint: "its current-context must name a context whose cluster is in the file" });
  // As kc.makeApiClient builds them, with every client of this kubeconfig sharing its connections.
  const config = createConfiguration({ baseServer: new ServerConfiguration(cluster.server, {}), authMethods: { default: new KeptAliveConnections(kc) } });
  return {
    kc,
    core: new CoreV1Api(config),
    certificates: new CertificatesV1Api(config),
    rbac: new RbacAuthorizationV1Api(config),
    authentication: new AuthenticationV1Api(config),
    authorization: new AuthorizationV1Api(config),
    coordination: new CoordinationV1Api(config),
    health: new Health(kc),
  };
}

export function clientsFromFile(kubeconfigPath: string): KubeClients {
  const kc = new KubeConfig();
  kc.loadFromFile(kubeconfigPath);
  return clientsFromKubeConfig(kc);
}

/** The HTTP status of a client-node ApiException, or undefined for other errors. */
export function apiStatus(err: unknown): number | undefined {
  const code = (err as { code?: unknown })?.code;
  return typeof code === "number" ? code : undefined;
}

/**
 * A call made with the harness's admin credentials. The API refusing them
 * (401, 403) is a harness error at once, never retried and never blamed on the
 * product; other errors pass through unchanged.
 */
export async function asAdmin<T>(what: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (err) {
    const status = apiStatus(err);
    if (status === 401 || status === 403) {
      throw new HarnessApiError(`the API refused the harness's own call to ${what}: HTTP ${status}`, {
        hint: "the admin kubeconfig of the cluster lacks the rights the harness needs: a harness or setup error, not a product defect",
        cause: err,
      });
    }
    throw err;
  }
}
