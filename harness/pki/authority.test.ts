import { describe, expect, it } from "@jest/globals";
import { createAuthority, issue } from "./authority";
import { certificateFacts, isSignedBy, privateKeyPublicSha256 } from "./inspect";

describe("PKI", () => {
  it("issues a client certificate that chains to the CA and carries the requested subject and usage", async () => {
    const ca = await createAuthority("test-ca");
    const leaf = await issue(ca, { subject: "CN=system:node:n1, O=system:nodes", usage: "client" });
    const facts = await certificateFacts(leaf.certPem);
    expect(facts).toMatchObject({
      commonName: "system:node:n1",
      organizations: ["system:nodes"],
      extendedKeyUsages: ["client auth"],
      isCA: false,
      selfSigned: false,
    });
    expect(await isSignedBy(leaf.certPem, ca.certPem)).toBe(true);
    expect(await privateKeyPublicSha256(leaf.keyPem)).toBe(facts.publicKeySha256);
    expect((await certificateFacts(ca.certPem)).isCA).toBe(true);
  });

  it("puts DNS and IP SANs into serving certificates", async () => {
    const ca = await createAuthority("test-ca");
    const leaf = await issue(ca, { subject: "CN=kube-apiserver", usage: "server", dnsNames: ["kubernetes"], ipAddresses: ["10.96.0.1"] });
    const facts = await certificateFacts(leaf.certPem);
    expect(facts.dnsNames).toEqual(["kubernetes"]);
    expect(facts.ipAddresses).toEqual(["10.96.0.1"]);
  });
});
