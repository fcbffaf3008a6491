import { generateKeys, privateKeyPem } from "./authority";
import { EC_P256, x509 } from "./x509";

/** A PKCS#10 request with a fresh P-256 key, as a kubelet (or an attacker posing as one) would send. */
export async function makeCsrPem(subject: string): Promise<{ csrPem: string; keyPem: string }> {
  const keys = await generateKeys();
  const csr = await x509.Pkcs10CertificateRequestGenerator.create({ name: subject, keys, signingAlgorithm: EC_P256 });
  return { csrPem: csr.toString("pem"), keyPem: await privateKeyPem(keys.privateKey) };
}
