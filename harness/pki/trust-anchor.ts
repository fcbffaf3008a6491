import { pemBlocks } from "./inspect";
import { x509 } from "./x509";

/**
 * Where a certificate's chain ends among the certificates of a CA bundle, as
 * the API server asks it of a client certificate: kube-apiserver takes every
 * certificate of --client-ca-file as a trust anchor and verifies the chain the
 * client presents against them (staging/src/k8s.io/apiserver/pkg/
 * authentication/request/x509/x509.go, Verifier and DefaultVerifyOptions), so
 * a kubelet client certificate may come from any CA of the bundle, directly or
 * through intermediates that come with it. Signatures are checked link by
 * link (@peculiar/x509's chain builder); validity and usages are left to the
 * API server itself, which the suites ask too (a request made with the
 * certificate).
 */
export interface BundleAnchor {
  /** The bundle's certificates as "<n> of <total>: <subject>", in bundle order: what was tried. */
  tried: string[];
  /** The bundle certificate the chain ends at, as in `tried`; undefined when none. */
  anchor: string | undefined;
  /** The same certificate, PEM; undefined when none. */
  anchorPem: string | undefined;
  /** The certificate that signed the leaf (its first link), PEM: the anchor itself or an intermediate; undefined when none verifies. */
  issuerPem: string | undefined;
}

const sameCertificate = (a: x509.X509Certificate, b: x509.X509Certificate) => Buffer.from(a.rawData).equals(Buffer.from(b.rawData));

/**
 * `chainPem`: the leaf first, then any intermediates (a kubelet-client pem or
 * a CSR's status.certificate). `bundlePem`: one or more CERTIFICATE blocks.
 */
export async function anchorInBundle(chainPem: string, bundlePem: string): Promise<BundleAnchor> {
  const [leafPem, ...intermediatePems] = pemBlocks(chainPem, "CERTIFICATE");
  if (!leafPem) throw new Error("anchorInBundle: the chain holds no CERTIFICATE block");
  const bundle = pemBlocks(bundlePem, "CERTIFICATE").map((p) => new x509.X509Certificate(p));
  const tried = bundle.map((c, i) => `${i + 1} of ${bundle.length}: ${c.subject}`);
  const builder = new x509.X509ChainBuilder({ certificates: [...intermediatePems.map((p) => new x509.X509Certificate(p)), ...bundle] });
  const chain = await builder.build(new x509.X509Certificate(leafPem));
  for (const link of chain.slice(1)) {
    const at = bundle.findIndex((c) => sameCertificate(c, link));
    if (at >= 0) return { tried, anchor: tried[at], anchorPem: bundle[at]!.toString("pem"), issuerPem: chain[1]!.toString("pem") };
  }
  return { tried, anchor: undefined, anchorPem: undefined, issuerPem: undefined };
}

/** Whether `pem` (one certificate) is one of the certificates of `bundlePem`. */
export function inBundle(pem: string, bundlePem: string): boolean {
  const cert = new x509.X509Certificate(pem);
  return pemBlocks(bundlePem, "CERTIFICATE").some((p) => sameCertificate(new x509.X509Certificate(p), cert));
}
