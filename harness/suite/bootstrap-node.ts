import type { V1CertificateSigningRequest } from "@kubernetes/client-node";
import { requestPem, waitForIssued, waitForNodeCsr } from "../kube/csr";
import { info } from "../log";
import { csrFacts, type CsrFacts } from "../pki/inspect";
import type { Node } from "../providers/provider";
import type { BootstrapCredential } from "../providers/spec";
import { Timeouts } from "../wait/timeouts";
import { phase } from "../report/phase";
import { waitForClientCertificate } from "./node-waits";
import type { ClusterFixture, NodeOptions } from "./use-cluster";

export interface BootstrappedNode {
  node: Node;
  /** The node's first client CSR, as read after the certificate was issued. */
  csr: V1CertificateSigningRequest;
  request: CsrFacts;
  /** Milliseconds from the kubelet's start to the certificate on disk. */
  msToCertificate: number;
}

/**
 * Joins a node and waits for the whole auto-approved bootstrap: its first
 * CSR, the certificate issued for it, the certificate written to the cert dir.
 */
export async function joinAndBootstrap(f: ClusterFixture, label: string, credential: BootstrapCredential, options?: NodeOptions): Promise<BootstrappedNode> {
  const t0 = Date.now();
  const node = await phase(`${label}: token and kubelet start (${credential})`, () => f.join(label, credential, options));
  const first = await phase(`${node.name}: first CSR seen`, () => waitForNodeCsr(f.kube, node, Timeouts.bootstrap));
  const name = first.csr.metadata!.name!;
  await phase(`${node.name}: CSR ${name} approved and issued`, () => waitForIssued(f.kube, name, Timeouts.bootstrap));
  await phase(`${node.name}: client certificate on disk`, () => waitForClientCertificate(node, Timeouts.bootstrap));
  const msToCertificate = Date.now() - t0;
  info(`node ${node.name} (${credential}): client certificate on disk ${(msToCertificate / 1000).toFixed(1)}s after kubelet start`);
  const csr = await f.kube.certificates.readCertificateSigningRequest({ name });
  return { node, csr, request: await csrFacts(requestPem(csr)), msToCertificate };
}
