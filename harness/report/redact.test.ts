import { describe, expect, it } from "@jest/globals";
import { redact, registerSecret } from "./redact";

describe("redact", () => {
  it("removes registered tokens and private key blocks, keeps certificates", () => {
    registerSecret("abcdef.0123456789abcdef");
    const text = [
      "token: abcdef.0123456789abcdef",
      "-----BEGIN EC PRIVATE KEY-----\nMHcCAQEE\n-----END EC PRIVATE KEY-----",
      "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----",
    ].join("\n");
    const out = redact(text);
    expect(out).not.toContain("0123456789abcdef");
    expect(out).not.toContain("MHcCAQEE");
    expect(out).toContain("MIIB");
  });
});
