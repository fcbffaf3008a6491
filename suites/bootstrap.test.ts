/**
 * Suite: bootstrap
 *
 * A kubelet that starts with only a bootstrap kubeconfig authenticates with a
 * token, asks for a client certificate through the certificates.k8s.io API,
 * gets it approved by kube-controller-manager, and writes it into --cert-dir.
 *
 * Sources (Kubernetes v1.34–v1.37, the same in each: docs/release-differences.md): client-go util/certificate/certificate_manager.go
 * (generateCSR: ECDSA P-256; DefaultKubeletClientGetUsages: digital signature +
 * client auth without key encipherment for ECDSA), client-go
 * util/certificate/csr/csr.go (GenerateName "csr-"), pkg/kubelet/certificate/
 * kubelet.go (CN system:node:<name>, O system:nodes, signer
 * kube-apiserver-client-kubelet), pkg/controller/certificates/approver/
 * sarapprove.go (reason AutoApproved and its message), client-go
 * util/certificate/certificate_store.go (timestamped file, absolute symlink),
 * cmd/kubelet/app/server.go (self-signed kubelet.crt/kubelet.key),
 * staging/src/k8s.io/apiserver/pkg/authentication/request/x509/x509.go (a client
 * certificate is accepted when it chains to any CA of --client-ca-file; which
 * CA signs kubelet client certificates is the installer's choice:
 * kube-controller-manager --cluster-signing-kubelet-client-{cert,key}-file).
 */
import { describe, expect } from "@jest/globals";
import { condition, csrsForNode, issuedCertificatePem, KUBELET_CLIENT_SIGNER } from "../harness/kube/csr";
import { certificateFacts, pemBlocks, privateKeyPublicSha256 } from "../harness/pki/inspect";
import type { BootstrapCredential } from "../harness/providers/spec";
import { attachCertDir, attachCertificate, attachCsr, attachText } from "../harness/report/allure";
import { check } from "../harness/suite/check";
import { expectApiServerAcceptsClientCertificate } from "../harness/suite/client-certificate-trust";
import { joinAndBootstrap } from "../harness/suite/bootstrap-node";
import { prepared } from "../harness/suite/prepared";
import { CLIENT_CERT_CURRENT, waitForNodeObject } from "../harness/suite/node-waits";
import { conformanceSuite } from "../harness/suite/conformance-suite";
import { useCluster } from "../harness/suite/use-cluster";
import { Timeouts } from "../harness/wait/timeouts";

const SUITE = "bootstrap";
/** Node name prefixes per credential. */
const LABEL: Record<BootstrapCredential, string> = { "token-file": "boot-tf", "bootstrap-token": "boot-bt" };

conformanceSuite(SUITE, "kubelet TLS bootstrap with the auto-approve bindings", () => {
  const cluster = useCluster({ autoApprove: { bootstrap: true, renewal: true } });

  describe.each(["token-file", "bootstrap-token"] as const)("a node joined with a %s credential", (credential: BootstrapCredential) => {
    const f = cluster.joiningWith(credential);
    // Each node bootstraps on its own: its checks pass or fail on this node alone.
    const bootstrapped = prepared(`the ${credential} node's bootstrap`, () => joinAndBootstrap(f, LABEL[credential], credential), Timeouts.bootstrap + 60_000);

    check(SUITE, f, `${credential}: the kubelet's first CSR asks the kube-apiserver-client-kubelet signer`, async () => {
      const { csr } = await bootstrapped();
      await attachCsr(csr);
      expect({ csr: csr.metadata!.name, signerName: csr.spec.signerName }).toEqual({ csr: csr.metadata!.name, signerName: KUBELET_CLIENT_SIGNER });
    });

    check(SUITE, f, `${credential}: the CSR subject is CN=system:node:<node>, O=system:nodes, with no SANs`, async () => {
      const { csr, request, node } = await bootstrapped();
      expect({ csr: csr.metadata!.name, commonName: request.commonName, organizations: request.organizations, dnsNames: request.dnsNames, ipAddresses: request.ipAddresses }).toEqual({
        csr: csr.metadata!.name,
        commonName: `system:node:${node.name}`,
        organizations: ["system:nodes"],
        dnsNames: [],
        ipAddresses: [],
      });
    });

    check(SUITE, f, `${credential}: the CSR asks for digital signature and client auth only, with an ECDSA P-256 key`, async () => {
      const { csr, request } = await bootstrapped();
      expect({ csr: csr.metadata!.name, usages: [...(csr.spec.usages ?? [])].sort(), key: `${request.publicKeyAlgorithm} ${request.namedCurve}` }).toEqual({
        csr: csr.metadata!.name,
        usages: ["client auth", "digital signature"],
        key: "ECDSA P-256",
      });
    });

    check(SUITE, f, `${credential}: the CSR is named by the certificate manager (csr-<random>)`, async () => {
      const { csr } = await bootstrapped();
      expect(csr.metadata!.name).toMatch(/^csr-[a-z0-9]{5}$/);
    });

    check(SUITE, f, `${credential}: the CSR was requested by the bootstrap identity`, async () => {
      const { csr, node } = await bootstrapped();
      expect({ csr: csr.metadata!.name, username: csr.spec.username }).toEqual({ csr: csr.metadata!.name, username: node.bootstrapUser });
      if (credential === "token-file") {
        // The token-file line's identity: the harness's own (kubelet-bootstrap and the binding style's group), or
        // on a running cluster the one its declared token authenticates as (a SelfSubjectReview made with it).
        const identity = f.cluster.tokenFileIdentity;
        expect(node.bootstrapUser).toBe(identity.user);
        expect({ csr: csr.metadata!.name, groups: [...(csr.spec.groups ?? [])].sort() }).toEqual({
          csr: csr.metadata!.name,
          groups: [...new Set([...identity.groups, "system:authenticated"])].sort(),
        });
      } else {
        expect(node.bootstrapUser).toMatch(/^system:bootstrap:[a-z0-9]{6}$/);
        expect({ csr: csr.metadata!.name, groups: csr.spec.groups }).toEqual({
          csr: csr.metadata!.name,
          groups: expect.arrayContaining(["system:bootstrappers", "system:authenticated"]),
        });
      }
    });

    check(SUITE, f, `${credential}: kube-controller-manager approved the CSR with reason AutoApproved`, async () => {
      const { csr } = await bootstrapped();
      await attachCsr(csr);
      const approved = condition(csr, "Approved");
      expect({ csr: csr.metadata!.name, status: approved?.status, reason: approved?.reason, message: approved?.message }).toEqual({
        csr: csr.metadata!.name,
        status: "True",
        reason: "AutoApproved",
        message: "Auto approving kubelet client certificate after SubjectAccessReview.",
      });
      expect({ csr: csr.metadata!.name, denied: condition(csr, "Denied"), failed: condition(csr, "Failed") }).toEqual({
        csr: csr.metadata!.name,
        denied: undefined,
        failed: undefined,
      });
    });

    check(SUITE, f, `${credential}: the certificate in the cert dir is the one issued for the CSR, with the CSR's key, and the API server accepts it as system:node:<node>`, async () => {
      const { csr, node, request } = await bootstrapped();
      const issued = issuedCertificatePem(csr);
      expect({ csr: csr.metadata!.name, statusCertificate: issued ? "present" : "absent" }).toEqual({ csr: csr.metadata!.name, statusCertificate: "present" });
      const pem = await node.readFile(`${node.certDir}/${CLIENT_CERT_CURRENT}`);
      const onDisk = pemBlocks(pem, "CERTIFICATE");
      await attachCertificate(`certificate of ${node.name} on disk`, onDisk[0] ?? "");
      expect({ file: CLIENT_CERT_CURRENT, certificate: onDisk[0] }).toEqual({ file: CLIENT_CERT_CURRENT, certificate: pemBlocks(issued!, "CERTIFICATE")[0] });
      const keys = pemBlocks(pem).filter((b) => /PRIVATE KEY-----/.test(b.split("\n")[0]!));
      expect(keys).toHaveLength(1);
      expect({ file: CLIENT_CERT_CURRENT, publicKeySha256: await privateKeyPublicSha256(keys[0]!) }).toEqual({
        file: CLIENT_CERT_CURRENT,
        publicKeySha256: request.publicKeySha256,
      });
      expect({ file: CLIENT_CERT_CURRENT, subject: (await certificateFacts(onDisk[0]!)).commonName }).toEqual({ file: CLIENT_CERT_CURRENT, subject: `system:node:${node.name}` });
      // Any CA the API server trusts for clients, not one cluster CA: see client-certificate-trust.ts.
      await expectApiServerAcceptsClientCertificate(f, node);
    });

    check(SUITE, f, `${credential}: kubelet-client-current.pem is a symlink to a kubelet-client-<timestamp>.pem`, async () => {
      const { node } = await bootstrapped();
      await attachCertDir(node);
      const entries = await node.listCertDir();
      const current = entries.find((e) => e.name === CLIENT_CERT_CURRENT);
      expect({ name: current?.name, type: current?.type }).toEqual({ name: CLIENT_CERT_CURRENT, type: "symlink" });
      // certificate_store.go links to the absolute path of the timestamped file.
      expect(current!.linkTarget).toMatch(new RegExp(`^${node.certDir}/kubelet-client-\\d{4}-\\d{2}-\\d{2}-\\d{2}-\\d{2}-\\d{2}\\.pem$`));
      const target = current!.linkTarget!.split("/").pop()!;
      expect(entries.find((e) => e.name === target)).toMatchObject({ name: target, type: "file" });
    });

    check(SUITE, f, `${credential}: the self-signed serving pair kubelet.crt and kubelet.key exists`, async () => {
      const { node } = await bootstrapped();
      const names = (await node.listCertDir()).map((e) => e.name);
      expect(names).toEqual(expect.arrayContaining(["kubelet.crt", "kubelet.key"]));
    });

    check(SUITE, f, `${credential}: the Node object is registered under the node's name`, async () => {
      const { node, msToCertificate } = await bootstrapped();
      const registered = await waitForNodeObject(f.kube, node.name, Timeouts.nodeRegistered);
      expect(registered.metadata?.name).toBe(node.name);
      await attachText("timings", `kubelet start to client certificate on disk: ${(msToCertificate / 1000).toFixed(1)}s`);
    });

    check(SUITE, f, `${credential}: the node made exactly one client CSR to bootstrap`, async () => {
      const { node } = await bootstrapped();
      const all = await csrsForNode(f.kube, node.name);
      expect({ node: node.name, csrs: all.map((c) => c.csr.metadata!.name) }).toEqual({ node: node.name, csrs: [(await bootstrapped()).csr.metadata!.name] });
    });
  });
});
