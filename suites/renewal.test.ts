/**
 * Suite: renewal
 *
 * A kubelet renews its client certificate by itself, before it expires.
 *
 * Sources (Kubernetes v1.34–v1.37, the same in each: docs/release-differences.md): client-go util/certificate/certificate_manager.go
 * (nextRotationDeadline = NotBefore + jitteryDuration(NotAfter − NotBefore),
 * jitteryDuration(d) = wait.Jitter(d, 0.2) − 0.3·d, i.e. uniform in
 * [0.7·d, 0.9·d); a new key and CSR per attempt; certificateWaitTimeout 15 min),
 * client-go util/certificate/certificate_store.go (a new timestamped file, the
 * symlink swapped, old files never pruned), pkg/controller/certificates/approver/
 * sarapprove.go (selfnodeclient: the CSR's username equals the CN;
 * "Auto approving self kubelet client certificate after SubjectAccessReview."),
 * pkg/controller/certificates/authority/policies.go (lifetime = ttl + 5 min
 * backdate for ttl < 8 h).
 *
 * Durations. With a signing duration T < 8 h the certificate lives L = T + 5 min
 * from NotBefore = issue − 5 min, so the renewal comes f·L − 5 min after issue,
 * f uniform in [0.7, 0.9). It is never immediate only if 0.7·(T + 5) ≥ 5, i.e.
 * T ≥ 2 min 9 s: that is the theoretical fastest; below it a kubelet can renew
 * back to back. T = 3 min here: renewal 0.6–2.2 min after issue, expiry at 3 min.
 * Without the selfnodeclient binding T = 4 min: the renewal CSR comes 1.3–3.1 min
 * after issue, leaving at least 54 s before expiry to watch it stay Pending and
 * then approve it by hand.
 *
 * A running cluster (--provider existing) has the signer its installer set
 * up, usually a year: there the node's bootstrapped certificate is replaced by
 * one the harness requests with spec.expirationSeconds 600 (the least the API
 * takes) and the kubelet restarted on it (harness/suite/short-certificate.ts),
 * so it renews 330–510 s after that certificate is issued (600 s + the 5 min
 * backdate, 70–90 %), through the cluster's own selfnodeclient binding.
 */
import { describe, expect } from "@jest/globals";
import { condition, csrState, issuedCertificatePem, setApproval, waitForIssued } from "../harness/kube/csr";
import { certificateFacts, pemBlocks, type CertificateFacts } from "../harness/pki/inspect";
import { attachCertDir, attachCsr, attachText } from "../harness/report/allure";
import { joinAndBootstrap, type BootstrappedNode } from "../harness/suite/bootstrap-node";
import { check } from "../harness/suite/check";
import { prepared } from "../harness/suite/prepared";
import { CLIENT_CERT_CURRENT } from "../harness/suite/node-waits";
import { waitForCurrentLinkMoved, waitForRenewalCsr } from "../harness/suite/renewal-waits";
import { conformanceSuite } from "../harness/suite/conformance-suite";
import { shortenClientCertificate } from "../harness/suite/short-certificate";
import { unservableReason, useCluster, type ClusterFixture } from "../harness/suite/use-cluster";
import { consistently } from "../harness/wait/eventually";
import { Timeouts } from "../harness/wait/timeouts";

const SUITE = "renewal";
const MINUTE = 60;
/** Latest renewal: 90 % of the lifetime after NotBefore, plus slack for the kubelet's loop and the API. */
const renewalDeadlineMs = (c: CertificateFacts) => c.notBefore.getTime() + 0.9 * (c.notAfter.getTime() - c.notBefore.getTime()) + 30_000;

interface Before {
  b: BootstrappedNode;
  /** The certificate the kubelet will renew. */
  cert: CertificateFacts;
  linkTarget: string;
  kubeconfig: string;
  /** The node's CSRs so far: the renewal is the next one. */
  known: string[];
}

async function snapshot(b: BootstrappedNode): Promise<Before> {
  const pem = pemBlocks(issuedCertificatePem(b.csr)!, "CERTIFICATE")[0]!;
  return {
    b,
    cert: await certificateFacts(pem),
    linkTarget: (await b.node.stat(`${b.node.certDir}/${CLIENT_CERT_CURRENT}`)).linkTarget!,
    kubeconfig: await b.node.readFile(b.node.kubeconfigPath),
    known: [b.csr.metadata!.name!],
  };
}

/** The node on a certificate of SHORTEST_EXPIRATION_SECONDS instead of its bootstrapped one (see the top of this file). */
async function onShortCertificate(f: ClusterFixture, b: BootstrappedNode): Promise<Before> {
  const short = await shortenClientCertificate(f, b.node);
  return {
    b,
    cert: short.cert,
    linkTarget: short.file,
    kubeconfig: await b.node.readFile(b.node.kubeconfigPath),
    known: [b.csr.metadata!.name!, short.csr.metadata!.name!],
  };
}

conformanceSuite(SUITE, "client certificate renewal", () => {
  const shortSigner = { autoApprove: { bootstrap: true, renewal: true }, signingDurationSeconds: 3 * MINUTE };
  const asItIs = { autoApprove: { bootstrap: true, renewal: true } };
  // A cluster that cannot have a 3-minute signer but renews by itself as it is: a short certificate instead.
  const shortenFirst = unservableReason(shortSigner) !== undefined && unservableReason(asItIs) === undefined;
  const withBinding = useCluster(shortenFirst ? asItIs : shortSigner);
  const withoutBinding = useCluster({ autoApprove: { bootstrap: true, renewal: false }, signingDurationSeconds: 4 * MINUTE });
  // Both nodes start together so their renewal clocks run side by side; each one's failure stays with its own checks.
  let both: [Promise<Before>, Promise<Before>] | undefined;
  const startBoth = () => {
    if (!both) {
      both = [
        joinAndBootstrap(withBinding, "renew", "bootstrap-token").then((b) => (shortenFirst ? onShortCertificate(withBinding, b) : snapshot(b))),
        joinAndBootstrap(withoutBinding, "renew-man", "bootstrap-token").then(snapshot),
      ];
      // Whichever fails first is awaited later, by its own prepared step; until then it is not an unhandled rejection.
      for (const p of both) p.catch(() => undefined);
    }
    return both;
  };
  const autoNode = prepared("the node with the selfnodeclient binding", () => startBoth()[0], Timeouts.bootstrap + 60_000);
  const manualNode = prepared("the node without the selfnodeclient binding", () => startBoth()[1], Timeouts.bootstrap + 60_000);

  describe("with the selfnodeclient binding", () => {
    const renewed = prepared(
      "the renewal",
      async () => {
        const auto = await autoNode();
        const timeout = renewalDeadlineMs(auto.cert) - Date.now();
        const renewal = await waitForRenewalCsr(withBinding.kube, auto.b.node, auto.known, timeout);
        const seenAt = Date.now();
        await waitForIssued(withBinding.kube, renewal.csr.metadata!.name!, 60_000);
        renewal.csr = await withBinding.kube.certificates.readCertificateSigningRequest({ name: renewal.csr.metadata!.name! });
        const newTarget = await waitForCurrentLinkMoved(auto.b.node, auto.linkTarget, 60_000);
        return { auto, renewal, seenAt, newTarget };
      },
      5 * 60_000,
    );

    check(SUITE, withBinding, "the renewal CSR is requested by the node itself (system:node:<node>, group system:nodes)", async () => {
      const { auto, renewal } = await renewed();
      await attachCsr(renewal.csr);
      const name = renewal.csr.metadata!.name;
      expect({ csr: name, username: renewal.csr.spec.username, commonName: renewal.facts.commonName }).toEqual({
        csr: name,
        username: `system:node:${auto.b.node.name}`,
        commonName: `system:node:${auto.b.node.name}`,
      });
      expect({ csr: name, groups: renewal.csr.spec.groups }).toEqual({ csr: name, groups: expect.arrayContaining(["system:nodes", "system:authenticated"]) });
    });

    check(SUITE, withBinding, "it is auto-approved through selfnodeclient", async () => {
      const { renewal } = await renewed();
      const approved = condition(renewal.csr, "Approved");
      expect({ csr: renewal.csr.metadata!.name, reason: approved?.reason, message: approved?.message }).toEqual({
        csr: renewal.csr.metadata!.name,
        reason: "AutoApproved",
        message: "Auto approving self kubelet client certificate after SubjectAccessReview.",
      });
    });

    check(SUITE, withBinding, "it was requested inside the 70–90 % window of the old certificate's lifetime", async () => {
      const { auto, renewal, seenAt } = await renewed();
      const lifetime = auto.cert.notAfter.getTime() - auto.cert.notBefore.getTime();
      const created = renewal.csr.metadata!.creationTimestamp!.getTime();
      const fraction = (created - auto.cert.notBefore.getTime()) / lifetime;
      // creationTimestamp has 1 s resolution; the kubelet's loop and the API add up to a few seconds.
      const slack = 5000 / lifetime;
      await attachText(
        "renewal timing",
        `old certificate ${auto.cert.notBefore.toISOString()} → ${auto.cert.notAfter.toISOString()} (${lifetime / 1000}s)\n` +
          `renewal CSR created ${new Date(created).toISOString()} = ${(fraction * 100).toFixed(1)} % of the lifetime\n` +
          `seen by the harness ${new Date(seenAt).toISOString()}`,
      );
      const percent = Math.round(fraction * 1000) / 10;
      expect(percent).toBeGreaterThanOrEqual(100 * (0.7 - 1000 / lifetime));
      expect(percent).toBeLessThan(100 * (0.9 + slack));
    });

    check(SUITE, withBinding, "a new timestamped file holds the new certificate and kubelet-client-current.pem moved to it", async () => {
      const { auto, renewal, newTarget } = await renewed();
      await attachCertDir(auto.b.node);
      const node = auto.b.node;
      expect(newTarget).toMatch(new RegExp(`^${node.certDir}/kubelet-client-\\d{4}(-\\d{2}){5}\\.pem$`));
      const onDisk = pemBlocks(await node.readFile(newTarget), "CERTIFICATE")[0];
      expect({ file: newTarget, certificate: onDisk }).toEqual({ file: newTarget, certificate: pemBlocks(issuedCertificatePem(renewal.csr)!, "CERTIFICATE")[0] });
      const fresh = await certificateFacts(onDisk!);
      expect(fresh.serialNumber).not.toBe(auto.cert.serialNumber);
      expect(fresh.notAfter.getTime()).toBeGreaterThan(auto.cert.notAfter.getTime());
      // The store never prunes: the old file stays beside the new one.
      expect(await node.exists(auto.linkTarget)).toBe(true);
    });

    check(SUITE, withBinding, "the kubeconfig is not rewritten: it keeps pointing at kubelet-client-current.pem", async () => {
      const { auto } = await renewed();
      // The whole file, before and after the renewal: a difference shows as a diff.
      expect({ kubeconfig: auto.b.node.kubeconfigPath, content: await auto.b.node.readFile(auto.b.node.kubeconfigPath) }).toEqual({
        kubeconfig: auto.b.node.kubeconfigPath,
        content: auto.kubeconfig,
      });
    });
  });

  describe("without the selfnodeclient binding", () => {
    const requested = prepared(
      "the renewal request",
      async () => {
        const manual = await manualNode();
        const renewal = await waitForRenewalCsr(withoutBinding.kube, manual.b.node, manual.known, renewalDeadlineMs(manual.cert) - Date.now());
        return { manual, renewal };
      },
      6 * 60_000,
    );

    check(SUITE, withoutBinding, "the renewal CSR stays Pending and the kubelet keeps its old certificate", async () => {
      const { manual, renewal } = await requested();
      // Watch until 20 s before the old certificate expires, at most the negative window.
      const windowMs = Math.min(Timeouts.negativeWindow, manual.cert.notAfter.getTime() - Date.now() - 20_000);
      expect(windowMs).toBeGreaterThanOrEqual(10_000);
      const name = renewal.csr.metadata!.name!;
      await consistently(
        async () => {
          const now = await withoutBinding.kube.certificates.readCertificateSigningRequest({ name });
          if (csrState(now) !== "Pending") return `renewal CSR ${name} became ${csrState(now)} without the selfnodeclient binding`;
          const target = (await manual.b.node.stat(`${manual.b.node.certDir}/${CLIENT_CERT_CURRENT}`)).linkTarget;
          if (target !== manual.linkTarget) return `${CLIENT_CERT_CURRENT} moved to ${target}`;
          return undefined;
        },
        { what: `renewal CSR ${name} to stay Pending`, windowMs },
      );
      await attachCsr(await withoutBinding.kube.certificates.readCertificateSigningRequest({ name }));
    }, 60_000);

    check(SUITE, withoutBinding, "a manual approval then completes the renewal: new file, symlink moved", async () => {
      const { manual, renewal } = await requested();
      const name = renewal.csr.metadata!.name!;
      await setApproval(withoutBinding.kube, name, "Approved");
      const issued = await waitForIssued(withoutBinding.kube, name, 60_000);
      const newTarget = await waitForCurrentLinkMoved(manual.b.node, manual.linkTarget, 60_000);
      await attachCertDir(manual.b.node);
      const onDisk = pemBlocks(await manual.b.node.readFile(newTarget), "CERTIFICATE")[0];
      expect({ csr: name, certificate: onDisk }).toEqual({ csr: name, certificate: pemBlocks(issuedCertificatePem(issued)!, "CERTIFICATE")[0] });
    }, 3 * 60_000);
  });
});
