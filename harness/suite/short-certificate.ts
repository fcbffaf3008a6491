import type { V1CertificateSigningRequest } from "@kubernetes/client-node";
import { HarnessError } from "../errors";
import { condition, issuedCertificatePem, KUBELET_CLIENT_SIGNER, setApproval, waitForIssued } from "../kube/csr";
import { certificateFacts, type CertificateFacts } from "../pki/inspect";
import { makeCsrPem } from "../pki/csr-request";
import { phase } from "../report/phase";
import type { Node } from "../providers/provider";
import type { ClusterFixture } from "./use-cluster";

/** The least expirationSeconds the API accepts (certificates/v1 validation: 600). */
export const SHORTEST_EXPIRATION_SECONDS = 600;

/** How much longer than asked a certificate may live and still count as honouring expirationSeconds: the signer's 5 min backdate, and a minute of clock. */
const BACKDATE_AND_SLACK_MS = 6 * 60_000;

export interface ShortCertificate {
  /** The CSR the harness made and approved for the node, with spec.expirationSeconds. */
  csr: V1CertificateSigningRequest;
  cert: CertificateFacts;
  /** The file it was installed as (kubelet-client-<timestamp>.pem). */
  file: string;
}

/**
 * Gives a bootstrapped node a client certificate that expires soon, on a
 * cluster whose signer issues long ones: the harness asks the
 * kube-apiserver-client-kubelet signer for a certificate for the node
 * (CN=system:node:<node>, O=system:nodes) with spec.expirationSeconds, which
 * the signer honours as a cap on its duration (pkg/controller/certificates/
 * signer/signer.go, since 1.22), sees it approved, installs it as the kubelet's
 * store would and restarts the kubelet, which then renews it by itself in
 * 70–90 % of its life, as it would its own. A signer that ignores
 * expirationSeconds is a harness error naming what it issued.
 */
export async function shortenClientCertificate(f: ClusterFixture, node: Node, seconds = SHORTEST_EXPIRATION_SECONDS): Promise<ShortCertificate> {
  if (!node.installClientCertificate) {
    throw new HarnessError(`node ${node.name} cannot have a client certificate installed by the harness on this provider`, {
      hint: "local nodes and node containers can (Node.installClientCertificate); the harness's own clusters have short signers instead",
    });
  }
  const { csrPem, keyPem } = await makeCsrPem(`CN=system:node:${node.name}, O=system:nodes`);
  const created = await f.kube.certificates.createCertificateSigningRequest({
    body: {
      metadata: { generateName: await f.csrGenerateName("ktc-short-") },
      spec: { request: Buffer.from(csrPem).toString("base64"), signerName: KUBELET_CLIENT_SIGNER, usages: ["digital signature", "client auth"], expirationSeconds: seconds },
    },
  });
  const name = created.metadata!.name!;
  const issued = await phase(`${node.name}: a ${seconds}s client certificate (CSR ${name})`, async () => {
    await approveUnlessApproved(f, name);
    return waitForIssued(f.kube, name, 60_000);
  });
  const certPem = issuedCertificatePem(issued)!;
  const cert = await certificateFacts(certPem);
  const lifetimeMs = cert.notAfter.getTime() - cert.notBefore.getTime();
  if (lifetimeMs > seconds * 1000 + BACKDATE_AND_SLACK_MS) {
    throw new HarnessError(
      `the kube-apiserver-client-kubelet signer ignored spec.expirationSeconds ${seconds} of CSR ${name}: it issued a certificate valid ${cert.notBefore.toISOString()} → ${cert.notAfter.toISOString()} (${Math.round(lifetimeMs / 1000)} s)`,
      { hint: "the timed renewal needs a certificate that expires within minutes: a signer that honours expirationSeconds (kube-controller-manager's does), or a short --cluster-signing-duration" },
    );
  }
  const file = await node.installClientCertificate(`${certPem.trimEnd()}\n${keyPem.trimEnd()}\n`);
  await phase(`${node.name}: kubelet restarted on the ${seconds}s certificate`, () => node.restartKubelet());
  return { csr: issued, cert, file };
}

/**
 * The cluster's approver may get there first: kube-controller-manager's
 * approves a node client CSR whose requester may create
 * certificatesigningrequests/nodeclient (sarapprove.go), which a cluster-admin
 * may. Either approval will do; a second Approved condition the API refuses.
 */
async function approveUnlessApproved(f: ClusterFixture, name: string): Promise<void> {
  const approved = async () => condition(await f.kube.certificates.readCertificateSigningRequest({ name }), "Approved") !== undefined;
  if (await approved()) return;
  try {
    await setApproval(f.kube, name, "Approved");
  } catch (err) {
    if (!(await approved())) throw err;
  }
}
