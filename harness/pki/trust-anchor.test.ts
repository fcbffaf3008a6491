import { describe, expect, it } from "@jest/globals";
import { createAuthority, generateKeys, issue, type Authority } from "./authority";
import { anchorInBundle, inBundle } from "./trust-anchor";
import { EC_P256, x509 } from "./x509";

/** An intermediate CA signed by `root`, as a distribution's kubelet-client signer may be. */
async function intermediate(root: Authority, commonName: string): Promise<Authority> {
  const keys = await generateKeys();
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: "0a",
    subject: `CN=${commonName}`,
    issuer: root.cert.subject,
    notBefore: new Date(Date.now() - 60_000),
    notAfter: new Date(Date.now() + 3600_000),
    signingKey: root.keys.privateKey,
    publicKey: keys.publicKey,
    signingAlgorithm: EC_P256,
    extensions: [new x509.BasicConstraintsExtension(true, undefined, true), await x509.AuthorityKeyIdentifierExtension.create(root.cert)],
  });
  return { cert, keys, certPem: cert.toString("pem"), keyPem: "" };
}

const NODE = { subject: "CN=system:node:n1, O=system:nodes", usage: "client" } as const;

describe("anchorInBundle", () => {
  it("finds the CA of a bundle of several that signed the certificate, not only the first", async () => {
    const [apiserverCa, kubeletClientCa] = [await createAuthority("cluster-ca"), await createAuthority("kubelet-client-ca")];
    const leaf = await issue(kubeletClientCa, NODE);
    const found = await anchorInBundle(leaf.certPem, apiserverCa.certPem + kubeletClientCa.certPem);
    expect(found).toMatchObject({ tried: ["1 of 2: CN=cluster-ca", "2 of 2: CN=kubelet-client-ca"], anchor: "2 of 2: CN=kubelet-client-ca", issuerPem: kubeletClientCa.cert.toString("pem") });
  });

  it("finds none when no CA of the bundle signed it, even one with the issuer's very subject", async () => {
    const [trusted, impostor] = [await createAuthority("same-name-ca"), await createAuthority("same-name-ca")];
    const leaf = await issue(impostor, NODE);
    expect(await anchorInBundle(leaf.certPem, trusted.certPem)).toEqual({ tried: ["1 of 1: CN=same-name-ca"], anchor: undefined, anchorPem: undefined, issuerPem: undefined });
  });

  it("follows intermediates that come with the certificate to a root of the bundle, and names the intermediate as the issuer", async () => {
    const root = await createAuthority("root-ca");
    const signer = await intermediate(root, "kubelet-client-intermediate");
    const leaf = await issue(signer, NODE);
    const found = await anchorInBundle(leaf.certPem + signer.certPem, root.certPem);
    expect(found).toMatchObject({ anchor: "1 of 1: CN=root-ca", issuerPem: signer.certPem });
    expect(inBundle(found.anchorPem!, root.certPem)).toBe(true);
    expect(inBundle(signer.certPem, root.certPem)).toBe(false);
  });
});
