import { KubeConfig } from "@kubernetes/client-node";
import { tokenFileTokenOf, type TokenFileDeclaration } from "../../config/run-config";
import { UsageError } from "../../errors";
import { registerSecret } from "../../report/redact";
import type { BootstrapIdentity } from "../provider";

/**
 * The vendor's own token-file credential (a line of their API server's
 * --token-auth-file), as the run carries it from the CLI to the suites: where
 * its token is and whom it authenticates as, never the token itself. The
 * token is read from where it was declared each time a node joins with it.
 */
export interface TokenFileCredential {
  declared: TokenFileDeclaration;
  /** What a SelfSubjectReview made with the token said (token-file-preflight.ts). */
  identity: BootstrapIdentity;
}

/** "tokenFileToken of /etc/acme/ktc.yaml", for messages (never the token). */
export function describeDeclaration(d: TokenFileDeclaration): string {
  return d.key === "tokenFileToken" ? `tokenFileToken of ${d.config}` : `the user's token of tokenFileBootstrapKubeconfig ${d.kubeconfig}`;
}

/** The declared token, registered for redaction before anything else sees it. */
export async function readTokenFileToken(d: TokenFileDeclaration): Promise<string> {
  const token = d.key === "tokenFileToken" ? await tokenFileTokenOf(d.config) : tokenOfBootstrapKubeconfig(d.kubeconfig);
  registerSecret(token);
  return token;
}

/**
 * The token of a bootstrap kubeconfig's current user (`token`, or a
 * `token-file` it names). Its server and CA are not used: the nodes reach the
 * API server where the run found they can (api-server-for-nodes.ts).
 */
function tokenOfBootstrapKubeconfig(path: string): string {
  const hint = "tokenFileBootstrapKubeconfig names a kubeconfig whose current user authenticates with a token of the API server's --token-auth-file (what your nodes bootstrap with)";
  const kc = new KubeConfig();
  try {
    kc.loadFromFile(path);
  } catch (err) {
    throw new UsageError(`tokenFileBootstrapKubeconfig ${path} is not a kubeconfig the harness can read: ${(err as Error).message.split("\n")[0]}`, { hint });
  }
  const user = kc.getCurrentUser();
  if (!user) throw new UsageError(`tokenFileBootstrapKubeconfig ${path} names no current context with a user`, { hint });
  const token = user.token?.trim();
  if (!token) {
    throw new UsageError(`tokenFileBootstrapKubeconfig ${path}: its current user ${user.name} authenticates with no token (${user.certData || user.certFile ? "a client certificate" : user.exec ? "an exec plugin" : "nothing the harness can use"})`, { hint });
  }
  return token;
}
