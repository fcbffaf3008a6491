import { describe, expect, it } from "@jest/globals";
import type { V1CertificateSigningRequest } from "@kubernetes/client-node";
import { csrIssuing, servingCsrStates, servingCsrsToApprove } from "./serving-approval";

const pem = (body: string) => `-----BEGIN CERTIFICATE-----\n${body}\n-----END CERTIFICATE-----\n`;
const csr = (name: string, username: string, state: "Pending" | "Approved" | "Issued", certBody?: string): V1CertificateSigningRequest => ({
  metadata: { name },
  spec: { request: "", signerName: "kubernetes.io/kubelet-serving", username },
  status: {
    ...(state === "Pending" ? {} : { conditions: [{ type: "Approved", status: "True" }] }),
    ...(certBody ? { certificate: Buffer.from(pem(certBody)).toString("base64") } : {}),
  },
});

describe("serving approval", () => {
  // The orphan of a lost create response (approved and issued), the kubelet's retry, and one not made by the node.
  const orphan = csr("csr-old", "system:node:serve-1", "Issued", "AAAA");
  const retry = csr("csr-new", "system:node:serve-1", "Pending");
  const foreign = csr("csr-other", "system:node:serve-2", "Pending");

  it("approves the node's own pending CSRs not approved before, and no one else's", () => {
    expect(servingCsrsToApprove([orphan, retry, foreign], "serve-1", new Set(["csr-old"]))).toEqual(["csr-new"]);
    expect(servingCsrsToApprove([orphan, retry], "serve-1", new Set(["csr-old", "csr-new"]))).toEqual([]);
  });

  it("finds the CSR a certificate on disk was issued for, and none for a certificate of no approved CSR", () => {
    const issuedRetry = csr("csr-new", "system:node:serve-1", "Issued", "BBBB");
    expect(csrIssuing([orphan, issuedRetry], pem("BBBB").trim())?.metadata?.name).toBe("csr-new");
    expect(csrIssuing([orphan, issuedRetry], pem("CCCC").trim())).toBeUndefined();
    expect(csrIssuing([orphan], undefined)).toBeUndefined();
  });

  it("names every CSR with its state for a timeout message", () => {
    expect(servingCsrStates([orphan, retry])).toBe("csr-old (Approved,Issued), csr-new (Pending)");
    expect(servingCsrStates([])).toBe("none");
  });
});
