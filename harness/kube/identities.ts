import { KubeConfig, type V1CertificateSigningRequest } from "@kubernetes/client-node";
import { makeCsrPem } from "../pki/csr-request";
import { clientsFromKubeConfig, type KubeClients } from "./clients";
import { renderKubeconfig, type KubeconfigAuth } from "./kubeconfig";

/** API clients acting as someone other than the admin: a bootstrap token, a node's client certificate. */
export function clientsAs(server: string, caPem: string, user: string, auth: KubeconfigAuth): KubeClients {
  const kc = new KubeConfig();
  kc.loadFromString(renderKubeconfig({ server, user, caPem, auth }));
  return clientsFromKubeConfig(kc);
}

/** Creates a client CSR for `subject` as the given identity. */
export async function createCsrAs(
  as: KubeClients,
  opts: { subject: string; signerName: string; usages: string[]; generateName: string },
): Promise<V1CertificateSigningRequest> {
  const { csrPem } = await makeCsrPem(opts.subject);
  return as.certificates.createCertificateSigningRequest({
    body: {
      apiVersion: "certificates.k8s.io/v1",
      kind: "CertificateSigningRequest",
      metadata: { generateName: opts.generateName },
      spec: { request: Buffer.from(csrPem).toString("base64"), signerName: opts.signerName, usages: opts.usages },
    },
  });
}
