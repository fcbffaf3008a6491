// @peculiar/x509 v2 resolves its services through tsyringe, which needs a
// Reflect metadata polyfill loaded before the library itself.
import "reflect-metadata";
import { webcrypto } from "node:crypto";
import * as x509 from "@peculiar/x509";

x509.cryptoProvider.set(webcrypto as unknown as Crypto);

export { x509 };
export const subtle = webcrypto.subtle;

/** ECDSA P-256 with SHA-256: what the kubelet itself uses for its client keys. */
export const EC_P256 = { name: "ECDSA", namedCurve: "P-256", hash: "SHA-256" } as const;
