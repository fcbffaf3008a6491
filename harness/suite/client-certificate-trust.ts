import { expect } from "@jest/globals";
import { apiStatus } from "../kube/clients";
import { clientsAs } from "../kube/identities";
import { info } from "../log";
import { certificateFacts, pemBlocks } from "../pki/inspect";
import { anchorInBundle, inBundle, type BundleAnchor } from "../pki/trust-anchor";
import type { Node } from "../providers/provider";
import { attachText } from "../report/allure";
import { Timeouts } from "../wait/timeouts";
import { CLIENT_CERT_CURRENT, waitForNodeObject } from "./node-waits";
import type { ClusterFixture } from "./use-cluster";

/**
 * The contract for a kubelet's client certificate, whoever signed it: the API
 * server accepts it as the node. Upstream asks no particular CA: the
 * kube-apiserver-client-kubelet signer's CA must be one the API server trusts
 * for client certificates (its --client-ca-file, published in kube-system/
 * extension-apiserver-authentication as client-ca-file), and kube-controller-
 * manager may sign for that signer with a CA of its own
 * (--cluster-signing-kubelet-client-{cert,key}-file, cmd/kube-controller-manager/
 * app/options/csrsigningcontroller.go). So, for the certificate the kubelet
 * uses (kubelet-client-current.pem):
 * - it chains to one of the certificates of the client CA bundle, any of them
 *   (apiserver pkg/authentication/request/x509/x509.go: every certificate of
 *   the bundle is a root);
 * - the API server authenticates it as system:node:<node> in group
 *   system:nodes (CommonNameUserConversion: CN is the user, O the groups),
 *   asked through a SelfSubjectReview, which system:basic-user allows every
 *   authenticated user (bootstrappolicy/policy.go);
 * - the kubelet itself works with it: it registers its Node, which only
 *   system:node:<node> may (plugin/pkg/auth/authorizer/node, NodeRestriction),
 *   and its only credential after bootstrap is this certificate
 *   (pkg/kubelet/certificate/bootstrap/bootstrap.go writes a kubeconfig with
 *   no other).
 * Which CA it is, and whether that CA also verifies the API server (one
 * cluster CA for everything, as kubeadm and the binary install do), is a
 * convention: reported, never asserted.
 */
export async function expectApiServerAcceptsClientCertificate(f: ClusterFixture, node: Node): Promise<void> {
  const file = `${node.certDir}/${CLIENT_CERT_CURRENT}`;
  const pem = await node.readFile(file);
  const leafPem = pemBlocks(pem, "CERTIFICATE")[0]!;
  const keyPem = pemBlocks(pem).find((b) => /PRIVATE KEY-----/.test(b.split("\n")[0]!))!;
  const leaf = await certificateFacts(leafPem);
  const found = await anchorInBundle(pem, f.cluster.caCertPem);
  await reportIssuerConvention(f, node, leaf.issuer, found);

  expect({ file, issuer: leaf.issuer, apiServerClientCaBundle: found.tried, verifiesAgainst: found.anchor ?? "none of them" }).toEqual({
    file,
    issuer: leaf.issuer,
    apiServerClientCaBundle: found.tried,
    verifiesAgainst: expect.stringMatching(/^\d+ of \d+: /),
  });

  const asNode = clientsAs(f.cluster.apiServerUrl, f.cluster.serverCaPem, node.name, { kind: "client-cert", certPem: leafPem, keyPem });
  const authenticatesAs = await asNode.authentication
    .createSelfSubjectReview({ body: { apiVersion: "authentication.k8s.io/v1", kind: "SelfSubjectReview" } })
    .then((r) => ({ username: r.status?.userInfo?.username, groups: r.status?.userInfo?.groups }))
    .catch((err: unknown) => `refused: HTTP ${apiStatus(err) ?? (err as Error).message}`);
  expect({ file, authenticatesAs }).toEqual({
    file,
    authenticatesAs: { username: `system:node:${node.name}`, groups: expect.arrayContaining(["system:nodes", "system:authenticated"]) },
  });

  const registered = await waitForNodeObject(f.kube, node.name, Timeouts.nodeRegistered);
  expect({ kubeletRegistered: registered.metadata?.name }).toEqual({ kubeletRegistered: node.name });
}

/** Which CA signed the certificate, and whether it is the one that verifies the API server: information for the report and the console. */
async function reportIssuerConvention(f: ClusterFixture, node: Node, issuer: string, found: BundleAnchor): Promise<void> {
  const bundle = `the API server's client CA bundle (${found.tried.length} certificate${found.tried.length === 1 ? "" : "s"})`;
  const layout = !found.anchorPem
    ? `it chains to no certificate of ${bundle}`
    : inBundle(found.anchorPem, f.cluster.serverCaPem)
      ? `it chains to ${found.anchor} of ${bundle}, which also verifies the API server: one cluster CA, as kubeadm and the binary install set up`
      : `it chains to ${found.anchor} of ${bundle}, which does not verify the API server: the kubelet-client signer has a CA of its own (kube-controller-manager --cluster-signing-kubelet-client-{cert,key}-file)`;
  const line = `client certificate of ${node.name} issued by ${issuer}; ${layout}`;
  await attachText("issuer and CA layout (information, not asserted)", `${line}\n\nclient CA bundle:\n${found.tried.join("\n")}`);
  info(line);
}
