import { createHash } from "node:crypto";
import { x509 } from "./x509";

/** The facts of a certificate that suites assert on and reports show. */
export interface CertificateFacts {
  subject: string;
  commonName: string | undefined;
  organizations: string[];
  issuer: string;
  serialNumber: string;
  notBefore: Date;
  notAfter: Date;
  dnsNames: string[];
  ipAddresses: string[];
  keyUsages: string[];
  extendedKeyUsages: string[];
  isCA: boolean;
  selfSigned: boolean;
  /** SHA-256 of the SubjectPublicKeyInfo: compares keys across cert, CSR and key file. */
  publicKeySha256: string;
}

const EKU_NAMES: Record<string, string> = {
  [x509.ExtendedKeyUsage.clientAuth]: "client auth",
  [x509.ExtendedKeyUsage.serverAuth]: "server auth",
};

const KEY_USAGE_NAMES: [number, string][] = [
  [x509.KeyUsageFlags.digitalSignature, "digital signature"],
  [x509.KeyUsageFlags.nonRepudiation, "content commitment"],
  [x509.KeyUsageFlags.keyEncipherment, "key encipherment"],
  [x509.KeyUsageFlags.dataEncipherment, "data encipherment"],
  [x509.KeyUsageFlags.keyAgreement, "key agreement"],
  [x509.KeyUsageFlags.keyCertSign, "cert sign"],
  [x509.KeyUsageFlags.cRLSign, "crl sign"],
];

function spkiSha256(raw: ArrayBuffer): string {
  return createHash("sha256").update(Buffer.from(raw)).digest("hex");
}

function sansOf(ext: x509.SubjectAlternativeNameExtension | null): { dns: string[]; ip: string[] } {
  const names = ext?.names.toJSON() ?? [];
  return {
    dns: names.filter((n) => n.type === "dns").map((n) => n.value),
    ip: names.filter((n) => n.type === "ip").map((n) => n.value),
  };
}

/** Splits a PEM bundle into its blocks of the given type ("CERTIFICATE", "PRIVATE KEY"...). */
export function pemBlocks(pem: string, type?: string): string[] {
  const blocks = pem.match(/-----BEGIN ([A-Z ]+)-----[\s\S]+?-----END \1-----/g) ?? [];
  return type ? blocks.filter((b) => b.startsWith(`-----BEGIN ${type}-----`)) : blocks;
}

export async function certificateFacts(pem: string): Promise<CertificateFacts> {
  const cert = new x509.X509Certificate(pem);
  const ku = cert.getExtension(x509.KeyUsagesExtension);
  const eku = cert.getExtension(x509.ExtendedKeyUsageExtension);
  const bc = cert.getExtension(x509.BasicConstraintsExtension);
  const { dns, ip } = sansOf(cert.getExtension(x509.SubjectAlternativeNameExtension));
  return {
    subject: cert.subject,
    commonName: cert.subjectName.getField("CN")[0],
    organizations: cert.subjectName.getField("O"),
    issuer: cert.issuer,
    serialNumber: cert.serialNumber,
    notBefore: cert.notBefore,
    notAfter: cert.notAfter,
    dnsNames: dns,
    ipAddresses: ip,
    keyUsages: ku ? KEY_USAGE_NAMES.filter(([flag]) => (ku.usages & flag) !== 0).map(([, n]) => n) : [],
    extendedKeyUsages: (eku?.usages ?? []).map((u) => EKU_NAMES[String(u)] ?? String(u)),
    isCA: bc?.ca ?? false,
    selfSigned: await cert.isSelfSigned(),
    publicKeySha256: spkiSha256(cert.publicKey.rawData),
  };
}

/** True when `pem` (a certificate) was signed by `issuerPem`. */
export async function isSignedBy(pem: string, issuerPem: string): Promise<boolean> {
  const cert = new x509.X509Certificate(pem);
  const issuer = new x509.X509Certificate(issuerPem);
  return cert.verify({ publicKey: issuer.publicKey, signatureOnly: true });
}

export interface CsrFacts {
  subject: string;
  commonName: string | undefined;
  organizations: string[];
  dnsNames: string[];
  ipAddresses: string[];
  publicKeyAlgorithm: string;
  namedCurve: string | undefined;
  publicKeySha256: string;
}

export async function csrFacts(pem: string): Promise<CsrFacts> {
  const csr = new x509.Pkcs10CertificateRequest(pem);
  // Pkcs10CertificateRequest.getExtension takes an OID string only (2.5.29.17 = subjectAltName).
  const san = csr.getExtension("2.5.29.17") as x509.SubjectAlternativeNameExtension | null;
  const { dns, ip } = sansOf(san);
  const alg = csr.publicKey.algorithm as { name: string; namedCurve?: string };
  return {
    subject: csr.subject,
    commonName: csr.subjectName.getField("CN")[0],
    organizations: csr.subjectName.getField("O"),
    dnsNames: dns,
    ipAddresses: ip,
    publicKeyAlgorithm: alg.name,
    namedCurve: alg.namedCurve,
    publicKeySha256: spkiSha256(csr.publicKey.rawData),
  };
}

/** SHA-256 of the public half of a PKCS#8 / SEC1 private key PEM, via node:crypto. */
export async function privateKeyPublicSha256(keyPem: string): Promise<string> {
  const { createPrivateKey, createPublicKey } = await import("node:crypto");
  const spki = createPublicKey(createPrivateKey(keyPem)).export({ type: "spki", format: "der" });
  return createHash("sha256").update(spki).digest("hex");
}
