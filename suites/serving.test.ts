/**
 * Suite: serving
 *
 * With serverTLSBootstrap the kubelet asks the cluster for its serving
 * certificate instead of signing its own.
 *
 * Sources (Kubernetes v1.34–v1.37, the same in each: docs/release-differences.md): pkg/kubelet/certificate/kubelet.go
 * (NewKubeletServerCertificateManager: signer kubernetes.io/kubelet-serving,
 * CN system:node:<node>, O system:nodes, DNS and IP SANs from the node's
 * addresses; store prefix "kubelet-server"), client-go
 * util/certificate/certificate_manager.go (DefaultKubeletServingGetUsages:
 * digital signature + server auth for ECDSA), pkg/controller/certificates/
 * approver/sarapprove.go (recognizers only for the client signer: serving
 * CSRs are never auto-approved), cmd/kubelet/app/server.go (InitializeTLS makes
 * no kubelet.crt when serverTLSBootstrap is on).
 */
import { expect } from "@jest/globals";
import { csrState, issuedCertificatePem, KUBELET_SERVING_SIGNER, setApproval, waitForIssued, waitForNodeCsr } from "../harness/kube/csr";
import { certificateFacts, pemBlocks } from "../harness/pki/inspect";
import { attachCertDir, attachCertificate, attachCsr } from "../harness/report/allure";
import { joinAndBootstrap } from "../harness/suite/bootstrap-node";
import { prepared } from "../harness/suite/prepared";
import { check } from "../harness/suite/check";
import { presentedCertificate } from "../harness/suite/tls-probe";
import { conformanceSuite } from "../harness/suite/conformance-suite";
import { useCluster } from "../harness/suite/use-cluster";
import { consistently, eventually } from "../harness/wait/eventually";
import { Timeouts } from "../harness/wait/timeouts";

const SUITE = "serving";
const SERVER_CURRENT = "kubelet-server-current.pem";
const KUBELET_PORT = 10250;

conformanceSuite(SUITE, "kubelet serving certificates with serverTLSBootstrap", () => {
  const f = useCluster({ autoApprove: { bootstrap: true, renewal: true }, serverTLSBootstrap: true });
  const requested = prepared(
    "the node's bootstrap and its serving CSR",
    async () => {
      const b = await joinAndBootstrap(f, "serve", "bootstrap-token");
      return { b, serving: await waitForNodeCsr(f.kube, b.node, Timeouts.bootstrap, KUBELET_SERVING_SIGNER) };
    },
    2 * Timeouts.bootstrap + 60_000,
  );

  check(SUITE, f, "the kubelet requests a kubernetes.io/kubelet-serving certificate as system:node:<node>", async () => {
    const { b, serving } = await requested();
    await attachCsr(serving.csr);
    const name = serving.csr.metadata!.name;
    expect({ csr: name, signerName: serving.csr.spec.signerName, username: serving.csr.spec.username, commonName: serving.facts.commonName, organizations: serving.facts.organizations }).toEqual({
      csr: name,
      signerName: KUBELET_SERVING_SIGNER,
      username: `system:node:${b.node.name}`,
      commonName: `system:node:${b.node.name}`,
      organizations: ["system:nodes"],
    });
    expect({ csr: name, usages: [...(serving.csr.spec.usages ?? [])].sort() }).toEqual({ csr: name, usages: ["digital signature", "server auth"] });
  });

  check(SUITE, f, "its SANs are the node's addresses: the node name and the node IP", async () => {
    const { b, serving } = await requested();
    expect({ csr: serving.csr.metadata!.name, dnsNames: serving.facts.dnsNames, ipAddresses: serving.facts.ipAddresses }).toEqual({
      csr: serving.csr.metadata!.name,
      dnsNames: [b.node.name],
      ipAddresses: [b.node.address],
    });
  });

  check(SUITE, f, `it is not auto-approved (checked for ${Timeouts.negativeWindow / 1000} s) and the kubelet writes no kubelet.crt`, async () => {
    const { b, serving } = await requested();
    const name = serving.csr.metadata!.name!;
    await consistently(
      async () => {
        const now = await f.kube.certificates.readCertificateSigningRequest({ name });
        return csrState(now) === "Pending" ? undefined : `serving CSR ${name} became ${csrState(now)} with nobody approving it`;
      },
      { what: `serving CSR ${name} to stay Pending`, windowMs: Timeouts.negativeWindow },
    );
    const names = (await b.node.listCertDir()).map((e) => e.name);
    expect({ certDir: b.node.certDir, selfSignedPair: names.filter((n) => n === "kubelet.crt" || n === "kubelet.key"), servingCurrent: names.includes(SERVER_CURRENT) }).toEqual({
      certDir: b.node.certDir,
      selfSignedPair: [],
      servingCurrent: false,
    });
  }, Timeouts.negativeWindow + 30_000);

  check(SUITE, f, `until then port ${KUBELET_PORT} completes no TLS handshake`, async () => {
    const { b } = await requested();
    await expect(presentedCertificate(b.node.address, KUBELET_PORT)).rejects.toThrow(/TLS handshake with .* failed/);
  });

  check(SUITE, f, `after manual approval ${SERVER_CURRENT} appears and port ${KUBELET_PORT} presents that certificate`, async () => {
    const { b, serving } = await requested();
    const name = serving.csr.metadata!.name!;
    await setApproval(f.kube, name, "Approved");
    const issued = pemBlocks(issuedCertificatePem(await waitForIssued(f.kube, name, Timeouts.bootstrap))!, "CERTIFICATE")[0]!;
    await attachCertificate("issued serving certificate", issued);
    const path = `${b.node.certDir}/${SERVER_CURRENT}`;
    await eventually(async () => ((await b.node.exists(path)) ? true : undefined), { what: `${path} to be written`, timeoutMs: Timeouts.bootstrap, blame: "product" });
    await attachCertDir(b.node);
    expect({ file: SERVER_CURRENT, certificate: pemBlocks(await b.node.readFile(path), "CERTIFICATE")[0] }).toEqual({ file: SERVER_CURRENT, certificate: issued });
    const presented = await eventually(() => presentedCertificate(b.node.address, KUBELET_PORT), {
      what: `${b.node.address}:${KUBELET_PORT} to complete a TLS handshake`,
      timeoutMs: Timeouts.kubeletRestart,
      blame: "product",
    });
    const [p, i] = [await certificateFacts(presented), await certificateFacts(issued)];
    expect({ port: KUBELET_PORT, serial: p.serialNumber, subject: p.subject }).toEqual({ port: KUBELET_PORT, serial: i.serialNumber, subject: i.subject });
  });
});
