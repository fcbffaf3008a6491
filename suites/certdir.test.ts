/**
 * Suite: certdir
 *
 * What the kubelet writes into --cert-dir and beside it once bootstrapped.
 *
 * Sources (Kubernetes v1.34–v1.37, the same in each: docs/release-differences.md): client-go util/certificate/certificate_store.go
 * (Update: kubelet-client-<2006-01-02-15-04-05>.pem, mode 0600, certificate
 * then key; updateSymlink: kubelet-client-current.pem -> absolute path),
 * pkg/kubelet/certificate/bootstrap/bootstrap.go (writeKubeconfigFromBootstrapping:
 * default-cluster / default-auth / default-context, cert and key =
 * <cert-dir>/kubelet-client-current.pem), client-go tools/clientcmd/loader.go
 * (WriteToFile: 0600), cmd/kubelet/app/server.go (InitializeTLS: kubelet.crt
 * and kubelet.key generated only when they cannot be read, i.e. at start),
 * client-go util/cert/cert.go (GenerateSelfSignedCertKeyWithOptions: leaf
 * "<host>@<unix>" signed by a throwaway CA "<host>-ca@<unix>", both in the
 * file), util/cert/io.go and util/keyutil/key.go (0644 cert, 0600 key).
 */
import { expect } from "@jest/globals";
import { parse } from "yaml";
import { issuedCertificatePem } from "../harness/kube/csr";
import { certificateFacts, isSignedBy, pemBlocks, privateKeyPublicSha256 } from "../harness/pki/inspect";
import { anchorInBundle } from "../harness/pki/trust-anchor";
import { attachCertDir, attachCertificate, attachText } from "../harness/report/allure";
import { joinAndBootstrap } from "../harness/suite/bootstrap-node";
import { prepared } from "../harness/suite/prepared";
import { check } from "../harness/suite/check";
import { CLIENT_CERT_CURRENT } from "../harness/suite/node-waits";
import { conformanceSuite } from "../harness/suite/conformance-suite";
import { useCluster } from "../harness/suite/use-cluster";
import { eventually } from "../harness/wait/eventually";
import { Timeouts } from "../harness/wait/timeouts";

const SUITE = "certdir";
const TIMESTAMPED = /^kubelet-client-\d{4}-\d{2}-\d{2}-\d{2}-\d{2}-\d{2}\.pem$/;

conformanceSuite(SUITE, "the files a bootstrapped kubelet writes", () => {
  const f = useCluster({ autoApprove: { bootstrap: true, renewal: true } });
  const bootstrapped = prepared("the node's bootstrap", () => joinAndBootstrap(f, "certdir", "bootstrap-token"), Timeouts.bootstrap + 60_000);

  check(SUITE, f, "the cert dir holds exactly one timestamped client pem, the current symlink, kubelet.crt and kubelet.key", async () => {
    const b = await bootstrapped();
    await attachCertDir(b.node);
    const entries = await b.node.listCertDir();
    const names = entries.map((e) => e.name);
    const timestamped = names.filter((n) => TIMESTAMPED.test(n));
    expect({ certDir: b.node.certDir, timestamped: timestamped.length, others: names.filter((n) => !TIMESTAMPED.test(n)).sort() }).toEqual({
      certDir: b.node.certDir,
      timestamped: 1,
      others: [CLIENT_CERT_CURRENT, "kubelet.crt", "kubelet.key"],
    });
  });

  check(SUITE, f, "file modes: client pem 0600, kubelet.key 0600, kubelet.crt 0644; the current pem is a symlink", async () => {
    const b = await bootstrapped();
    const entries = await b.node.listCertDir();
    const modes = Object.fromEntries(entries.map((e) => [TIMESTAMPED.test(e.name) ? "kubelet-client-<timestamp>.pem" : e.name, `${e.type} ${e.mode}`]));
    expect(modes).toEqual({
      "kubelet-client-<timestamp>.pem": "file 600",
      [CLIENT_CERT_CURRENT]: "symlink 777",
      "kubelet.crt": "file 644",
      "kubelet.key": "file 600",
    });
  });

  check(SUITE, f, "kubelet-client-current.pem links to the absolute path of the timestamped pem", async () => {
    const b = await bootstrapped();
    const current = await b.node.stat(`${b.node.certDir}/${CLIENT_CERT_CURRENT}`);
    const timestamped = (await b.node.listCertDir()).find((e) => TIMESTAMPED.test(e.name))!;
    expect({ link: CLIENT_CERT_CURRENT, target: current.linkTarget }).toEqual({ link: CLIENT_CERT_CURRENT, target: `${b.node.certDir}/${timestamped.name}` });
  });

  check(SUITE, f, "the client pem holds the certificate of status.certificate, then the key whose public half is the CSR's", async () => {
    const b = await bootstrapped();
    const pem = await b.node.readFile(`${b.node.certDir}/${CLIENT_CERT_CURRENT}`);
    const blocks = pemBlocks(pem);
    const types = blocks.map((x) => x.split("\n")[0]!.replace(/-----BEGIN (.*)-----/, "$1"));
    expect({ file: CLIENT_CERT_CURRENT, blocks: types }).toEqual({ file: CLIENT_CERT_CURRENT, blocks: ["CERTIFICATE", "EC PRIVATE KEY"] });
    const issued = pemBlocks(issuedCertificatePem(b.csr) ?? "", "CERTIFICATE")[0];
    expect({ csr: b.csr.metadata!.name, certificate: blocks[0] }).toEqual({ csr: b.csr.metadata!.name, certificate: issued });
    expect({ csr: b.csr.metadata!.name, keyPublicSha256: await privateKeyPublicSha256(blocks[1]!) }).toEqual({
      csr: b.csr.metadata!.name,
      keyPublicSha256: b.request.publicKeySha256,
    });
  });

  check(SUITE, f, "the kubeconfig the kubelet wrote (mode 0600) points at kubelet-client-current.pem and the bootstrap server", async () => {
    const b = await bootstrapped();
    const text = await b.node.readFile(b.node.kubeconfigPath);
    await attachText("kubeconfig written by the kubelet", text);
    const kc = parse(text) as {
      "current-context": string;
      contexts: { name: string; context: { cluster: string; user: string } }[];
      clusters: { name: string; cluster: { server: string } }[];
      users: { name: string; user: { "client-certificate": string; "client-key": string } }[];
    };
    const ctx = kc.contexts.find((c) => c.name === kc["current-context"])!.context;
    const user = kc.users.find((u) => u.name === ctx.user)!.user;
    const cluster = kc.clusters.find((c) => c.name === ctx.cluster)!.cluster;
    const current = `${b.node.certDir}/${CLIENT_CERT_CURRENT}`;
    expect({ kubeconfig: b.node.kubeconfigPath, context: kc["current-context"], server: cluster.server, cert: user["client-certificate"], key: user["client-key"] }).toEqual({
      kubeconfig: b.node.kubeconfigPath,
      context: "default-context",
      server: f.cluster.apiServerUrl,
      cert: current,
      key: current,
    });
    expect((await b.node.stat(b.node.kubeconfigPath)).mode).toBe("600");
  });

  check(SUITE, f, "kubelet.crt is a serving certificate for the node from its own throwaway CA, not from the cluster CA", async () => {
    const b = await bootstrapped();
    const crt = await b.node.readFile(`${b.node.certDir}/kubelet.crt`);
    const [leaf, ca] = pemBlocks(crt, "CERTIFICATE");
    await attachCertificate("kubelet.crt (leaf)", leaf ?? "");
    const leafFacts = await certificateFacts(leaf!);
    const caFacts = await certificateFacts(ca!);
    expect({
      commonName: leafFacts.commonName?.replace(/@\d+$/, "@<unix>"),
      dnsNames: leafFacts.dnsNames,
      extendedKeyUsages: leafFacts.extendedKeyUsages,
      issuer: caFacts.commonName?.replace(/@\d+$/, "@<unix>"),
      issuerSelfSigned: caFacts.selfSigned,
      issuerIsCA: caFacts.isCA,
    }).toEqual({
      commonName: `${b.node.name}@<unix>`,
      dnsNames: [b.node.name],
      extendedKeyUsages: ["server auth"],
      issuer: `${b.node.name}-ca@<unix>`,
      issuerSelfSigned: true,
      issuerIsCA: true,
    });
    // Against every CA the API server trusts for clients (there may be several), not only the first.
    const clientCas = await anchorInBundle(crt, f.cluster.caCertPem);
    expect({ signedByItsOwnCA: await isSignedBy(leaf!, ca!), apiServerClientCaBundle: clientCas.tried, chainsTo: clientCas.anchor ?? "none of them" }).toEqual({
      signedByItsOwnCA: true,
      apiServerClientCaBundle: clientCas.tried,
      chainsTo: "none of them",
    });
  });

  check(SUITE, f, "kubelet.crt and kubelet.key are regenerated when deleted and the kubelet restarts", async () => {
    const b = await bootstrapped();
    const crtPath = `${b.node.certDir}/kubelet.crt`;
    const before = await certificateFacts(pemBlocks(await b.node.readFile(crtPath), "CERTIFICATE")[0]!);
    await b.node.removeFile(crtPath);
    await b.node.removeFile(`${b.node.certDir}/kubelet.key`);
    await b.node.restartKubelet();
    const after = await eventually(
      async () => ((await b.node.exists(crtPath)) ? certificateFacts(pemBlocks(await b.node.readFile(crtPath), "CERTIFICATE")[0]!) : undefined),
      { what: `${crtPath} to be written again after the restart`, timeoutMs: Timeouts.kubeletRestart, blame: "product" },
    );
    await attachCertDir(b.node);
    expect(await b.node.exists(`${b.node.certDir}/kubelet.key`)).toBe(true);
    expect({ file: "kubelet.crt", serial: after.serialNumber, commonName: after.commonName?.replace(/@\d+$/, "") }).toEqual({
      file: "kubelet.crt",
      serial: expect.not.stringMatching(`^${before.serialNumber}$`),
      commonName: b.node.name,
    });
  });
});
