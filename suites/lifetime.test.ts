/**
 * Suite: lifetime
 *
 * How long the certificates of a bootstrapped kubelet are valid.
 *
 * Sources (Kubernetes v1.34–v1.37, the same in each: docs/release-differences.md): pkg/controller/certificates/authority/policies.go
 * (NotBefore backdated 5 min; short certificates, ttl < 8h, keep the whole ttl
 * after their start; NotAfter capped at the CA's NotAfter),
 * pkg/controller/certificates/signer/signer.go (ttl = --cluster-signing-duration
 * when the CSR sets no expirationSeconds, which the kubelet never does:
 * pkg/kubelet/certificate/kubelet.go), client-go util/cert/cert.go (kubelet.crt:
 * 365 days from one hour before its creation), staging/src/k8s.io/apiserver/pkg/
 * authentication/request/x509/x509.go (a client certificate is accepted when it
 * chains to any CA of --client-ca-file: the signer's CA need not be the cluster
 * CA, kube-controller-manager --cluster-signing-kubelet-client-{cert,key}-file).
 */
import { expect } from "@jest/globals";
import { issuedCertificatePem } from "../harness/kube/csr";
import { expectedLifetimeSeconds, SIGNER_BACKDATE_SECONDS } from "../harness/kube/signing-policy";
import { certificateFacts, pemBlocks, type CertificateFacts } from "../harness/pki/inspect";
import { anchorInBundle } from "../harness/pki/trust-anchor";
import { formatSeconds } from "../harness/config/duration";
import { attachCertificate, attachText } from "../harness/report/allure";
import { joinAndBootstrap, type BootstrappedNode } from "../harness/suite/bootstrap-node";
import { check } from "../harness/suite/check";
import { expectApiServerAcceptsClientCertificate } from "../harness/suite/client-certificate-trust";
import { prepared } from "../harness/suite/prepared";
import { conformanceSuite } from "../harness/suite/conformance-suite";
import { useCluster, type ClusterFixture } from "../harness/suite/use-cluster";
import { Timeouts } from "../harness/wait/timeouts";

const SUITE = "lifetime";
const HOUR = 3600;
const seconds = (c: CertificateFacts) => (c.notAfter.getTime() - c.notBefore.getTime()) / 1000;

interface Observed {
  b: BootstrappedNode;
  cert: CertificateFacts;
  pem: string;
  /** When the harness saw the certificate issued: an upper bound of the signing time. */
  seenIssuedAt: number;
}

async function bootstrapAndRead(f: ClusterFixture, label: string): Promise<Observed> {
  const b = await joinAndBootstrap(f, label, "bootstrap-token");
  const seenIssuedAt = Date.now();
  const pem = pemBlocks(issuedCertificatePem(b.csr)!, "CERTIFICATE")[0]!;
  return { b, pem, cert: await certificateFacts(pem), seenIssuedAt };
}

conformanceSuite(SUITE, "certificate lifetimes", () => {
  // The signing duration the distribution is expected to configure (vendor config, default 1 year).
  const configured = useCluster({ autoApprove: { bootstrap: true, renewal: true } });
  // A short signing duration: under the signer's 8 h "short certificate" threshold.
  const short = useCluster({ autoApprove: { bootstrap: true, renewal: true }, signingDurationSeconds: 2 * HOUR });
  // A CA that expires long before the signing duration would.
  const shortCa = useCluster({ autoApprove: { bootstrap: true, renewal: true }, caValiditySeconds: 3 * HOUR });
  // One node per cluster, each bootstrapped on its own: a failure stays with that cluster's checks.
  const onConfigured = prepared("the node on the configured cluster", () => bootstrapAndRead(configured, "life"), Timeouts.bootstrap + 60_000);
  const onShort = prepared("the node on the short-duration cluster", () => bootstrapAndRead(short, "life-short"), Timeouts.bootstrap + 60_000);
  const onShortCa = prepared("the node on the short-CA cluster", () => bootstrapAndRead(shortCa, "life-ca"), Timeouts.bootstrap + 60_000);

  check(SUITE, configured, "the client certificate lives exactly the cluster signing duration (plus the 5 min backdate when shorter than 8 h)", async () => {
    const c = await onConfigured();
    await attachCertificate(`client certificate of ${c.b.node.name}`, c.pem);
    const ttl = configured.spec.signingDurationSeconds;
    expect({ csr: c.b.csr.metadata!.name, signingDuration: formatSeconds(ttl), lifetimeSeconds: seconds(c.cert) }).toEqual({
      csr: c.b.csr.metadata!.name,
      signingDuration: formatSeconds(ttl),
      lifetimeSeconds: expectedLifetimeSeconds(ttl),
    });
  });

  check(SUITE, configured, "NotBefore is the signing time backdated by 5 minutes", async () => {
    const c = await onConfigured();
    const created = c.b.csr.metadata!.creationTimestamp!.getTime();
    const signedAt = c.cert.notBefore.getTime() + SIGNER_BACKDATE_SECONDS * 1000;
    // Signing happened after the CSR was created and before the harness saw it issued (1 s for timestamp truncation).
    await attachText("signing time", `CSR ${c.b.csr.metadata!.name} created ${new Date(created).toISOString()}\nsigned (NotBefore + 5 min) ${new Date(signedAt).toISOString()}\nseen issued ${new Date(c.seenIssuedAt).toISOString()}`);
    expect(signedAt).toBeGreaterThanOrEqual(created - 1000);
    expect(signedAt).toBeLessThanOrEqual(c.seenIssuedAt + 1000);
  });

  check(SUITE, short, "a short signing duration (2 h) gives a certificate of 2 h 5 min: short certificates are not shortened by the backdate", async () => {
    const s = await onShort();
    await attachCertificate(`client certificate of ${s.b.node.name}`, s.pem);
    expect({ csr: s.b.csr.metadata!.name, lifetime: formatSeconds(seconds(s.cert)) }).toEqual({ csr: s.b.csr.metadata!.name, lifetime: "125m" });
  });

  check(SUITE, shortCa, "a client certificate never outlives the CA that signed it", async () => {
    const capped = await onShortCa();
    // The CA that signed it, found by signature among the API server's client CAs: not assumed to be the first or only one.
    const signer = await anchorInBundle(issuedCertificatePem(capped.b.csr)!, shortCa.cluster.caCertPem);
    await attachCertificate(`client certificate of ${capped.b.node.name}`, capped.pem);
    expect({ csr: capped.b.csr.metadata!.name, apiServerClientCaBundle: signer.tried, signedBy: signer.issuerPem ? (await certificateFacts(signer.issuerPem)).subject : "none of them" }).toEqual({
      csr: capped.b.csr.metadata!.name,
      apiServerClientCaBundle: signer.tried,
      signedBy: capped.cert.issuer,
    });
    const ca = await certificateFacts(signer.issuerPem!);
    await attachCertificate(`signing CA (${signer.anchor})`, signer.issuerPem!);
    expect({ csr: capped.b.csr.metadata!.name, notAfter: capped.cert.notAfter.toISOString() }).toEqual({
      csr: capped.b.csr.metadata!.name,
      notAfter: ca.notAfter.toISOString(),
    });
  });

  check(SUITE, configured, "the client certificate verifies against the API server's client CA bundle and the kubelet authenticates with it as system:node:<node>", async () => {
    const c = await onConfigured();
    await expectApiServerAcceptsClientCertificate(configured, c.b.node);
  });

  check(SUITE, configured, "kubelet.crt is valid for 365 days, from one hour before the kubelet created it", async () => {
    const c = await onConfigured();
    const pem = pemBlocks(await c.b.node.readFile(`${c.b.node.certDir}/kubelet.crt`), "CERTIFICATE")[0]!;
    const crt = await certificateFacts(pem);
    await attachCertificate("kubelet.crt", pem);
    const kubeletStartedBefore = c.seenIssuedAt - c.b.msToCertificate;
    expect({ file: "kubelet.crt", lifetime: formatSeconds(seconds(crt)) }).toEqual({ file: "kubelet.crt", lifetime: `${365 * 24}h` });
    const createdAt = crt.notBefore.getTime() + HOUR * 1000;
    // Created (NotBefore + 1 h) after the kubelet started and before now.
    expect(createdAt).toBeGreaterThanOrEqual(kubeletStartedBefore - 1000);
    expect(createdAt).toBeLessThanOrEqual(Date.now());
  });
});
