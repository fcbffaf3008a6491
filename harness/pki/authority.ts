import { randomBytes } from "node:crypto";
import { EC_P256, subtle, x509 } from "./x509";

export interface KeyPairPem {
  certPem: string;
  keyPem: string;
}

export interface Authority extends KeyPairPem {
  cert: x509.X509Certificate;
  keys: CryptoKeyPair;
}

export interface LeafRequest {
  /** Distinguished name, e.g. "CN=system:kube-controller-manager" or "CN=admin, O=system:masters". */
  subject: string;
  usage: "client" | "server" | "client+server";
  dnsNames?: string[];
  ipAddresses?: string[];
  validityDays?: number;
}

const DAY_MS = 24 * 3600 * 1000;

function serial(): string {
  // Positive 128-bit serial, as the Kubernetes signer uses.
  const bytes = randomBytes(16);
  bytes[0] = bytes[0]! & 0x7f;
  return bytes.toString("hex");
}

export async function generateKeys(): Promise<CryptoKeyPair> {
  return (await subtle.generateKey(EC_P256, true, ["sign", "verify"])) as CryptoKeyPair;
}

export async function privateKeyPem(key: CryptoKey): Promise<string> {
  return x509.PemConverter.encode(await subtle.exportKey("pkcs8", key), "PRIVATE KEY");
}

export async function publicKeyPem(key: CryptoKey): Promise<string> {
  return x509.PemConverter.encode(await subtle.exportKey("spki", key), "PUBLIC KEY");
}

/** A self-signed CA, as `kubeadm init` or a binary install's `cfssl gencert -initca` makes. */
export async function createAuthority(commonName: string, validitySeconds = 3650 * 24 * 3600): Promise<Authority> {
  const keys = await generateKeys();
  const now = Date.now();
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: serial(),
    name: `CN=${commonName}`,
    notBefore: new Date(now - 3600_000),
    notAfter: new Date(now + validitySeconds * 1000),
    keys,
    signingAlgorithm: EC_P256,
    extensions: [
      new x509.BasicConstraintsExtension(true, undefined, true),
      new x509.KeyUsagesExtension(
        x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign | x509.KeyUsageFlags.digitalSignature,
        true,
      ),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
    ],
  });
  return { cert, keys, certPem: cert.toString("pem"), keyPem: await privateKeyPem(keys.privateKey) };
}

/** A leaf certificate signed by the authority, with a fresh P-256 key. */
export async function issue(ca: Authority, req: LeafRequest): Promise<KeyPairPem> {
  const keys = await generateKeys();
  const now = Date.now();
  const eku = {
    client: [x509.ExtendedKeyUsage.clientAuth],
    server: [x509.ExtendedKeyUsage.serverAuth],
    "client+server": [x509.ExtendedKeyUsage.clientAuth, x509.ExtendedKeyUsage.serverAuth],
  }[req.usage];
  const sans = [
    ...(req.dnsNames ?? []).map((value) => ({ type: "dns" as const, value })),
    ...(req.ipAddresses ?? []).map((value) => ({ type: "ip" as const, value })),
  ];
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: serial(),
    subject: req.subject,
    issuer: ca.cert.subject,
    notBefore: new Date(now - 300_000),
    notAfter: new Date(now + (req.validityDays ?? 365) * DAY_MS),
    signingKey: ca.keys.privateKey,
    publicKey: keys.publicKey,
    signingAlgorithm: EC_P256,
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyEncipherment, true),
      new x509.ExtendedKeyUsageExtension(eku),
      ...(sans.length ? [new x509.SubjectAlternativeNameExtension(sans)] : []),
      await x509.AuthorityKeyIdentifierExtension.create(ca.cert),
    ],
  });
  return { certPem: cert.toString("pem"), keyPem: await privateKeyPem(keys.privateKey) };
}
