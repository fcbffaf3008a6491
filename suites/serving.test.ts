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
 * no kubelet.crt when serverTLSBootstrap is on). The kubelet may ask more than
 * once (a create call that failed after the API server stored the CSR is
 * retried with a new key; it waits on the newest only): the checks look at
 * every serving CSR of the node, see harness/suite/serving-approval.ts.
 */
import { expect } from "@jest/globals";
import { csrState, csrsForNode, issuedCertificatePem, KUBELET_SERVING_SIGNER, setApproval, waitForIssued, waitForNodeCsr } from "../harness/kube/csr";
import { certificateFacts, pemBlocks } from "../harness/pki/inspect";
import { attachCertDir, attachCertificate, attachCsr } from "../harness/report/allure";
import { joinAndBootstrap } from "../harness/suite/bootstrap-node";
import { prepared } from "../harness/suite/prepared";
import { check } from "../harness/suite/check";
import { approveServingUntilWritten, csrIssuing, servingCsrStates } from "../harness/suite/serving-approval";
import { presentedCertificate } from "../harness/suite/tls-probe";
import { conformanceSuite } from "../harness/suite/conformance-suite";
import { useCluster } from "../harness/suite/use-cluster";
import { consistently, eventually } from "../harness/wait/eventually";
import { Timeouts } from "../harness/wait/timeouts";

const SUITE = "serving";
const SERVER_CURRENT = "kubelet-server-current.pem";
const KUBELET_PORT = 10250;

conformanceSuite(SUITE, "kubelet serving certificates with serverTLSBootstrap", () => {
  // serverTLSBootstrap is the node's own setting: its node joins the cluster most suites share.
  const f = useCluster({ autoApprove: { bootstrap: true, renewal: true } });
  const requested = prepared(
    "the node's bootstrap and its serving CSR",
    async () => {
      const b = await joinAndBootstrap(f, "serve", "bootstrap-token", { serverTLSBootstrap: true });
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
    // Every serving CSR of the node, not only the first: the kubelet may have asked again (see the header).
    await consistently(
      async () => {
        const all = (await csrsForNode(f.kube, b.node.name, KUBELET_SERVING_SIGNER)).map((c) => c.csr);
        return all.every((c) => csrState(c) === "Pending") ? undefined : `serving CSRs of ${b.node.name}: ${servingCsrStates(all)}, with nobody approving them`;
      },
      { what: `serving CSR ${name} and any other serving CSR of ${b.node.name} to stay Pending`, windowMs: Timeouts.negativeWindow },
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
    const approved = new Set([name]);
    const first = pemBlocks(issuedCertificatePem(await waitForIssued(f.kube, name, Timeouts.bootstrap))!, "CERTIFICATE")[0]!;
    await attachCertificate(`serving certificate issued for ${name}`, first);
    const path = `${b.node.certDir}/${SERVER_CURRENT}`;
    // The kubelet may wait on a later CSR than the first one seen (see the header): that one is approved too.
    await approveServingUntilWritten(f.kube, b.node, path, approved, Timeouts.bootstrap);
    await attachCertDir(b.node);
    const onDisk = pemBlocks(await b.node.readFile(path), "CERTIFICATE")[0];
    const all = (await csrsForNode(f.kube, b.node.name, KUBELET_SERVING_SIGNER)).map((c) => c.csr);
    const source = csrIssuing(all.filter((c) => approved.has(c.metadata!.name!)), onDisk);
    if (source && source.metadata!.name !== name) await attachCsr(source);
    const issuedFor = (ok: boolean) => (ok ? "a serving CSR of the node the harness approved" : "no serving CSR the harness approved");
    expect({ file: SERVER_CURRENT, approved: [...approved], certificateIssuedFor: issuedFor(source !== undefined) }).toEqual({
      file: SERVER_CURRENT,
      approved: [...approved],
      certificateIssuedFor: issuedFor(true),
    });
    const issued = onDisk!;
    const presented = await eventually(() => presentedCertificate(b.node.address, KUBELET_PORT), {
      what: `${b.node.address}:${KUBELET_PORT} to complete a TLS handshake`,
      timeoutMs: Timeouts.kubeletRestart,
      blame: "product",
    });
    const [p, i] = [await certificateFacts(presented), await certificateFacts(issued)];
    expect({ port: KUBELET_PORT, serial: p.serialNumber, subject: p.subject }).toEqual({ port: KUBELET_PORT, serial: i.serialNumber, subject: i.subject });
  });
});
