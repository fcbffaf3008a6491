/**
 * The harness's API clients keep their connections: calls of one kubeconfig
 * share one TLS connection, and kubeconfigs of different identities never
 * share one. The server is a local HTTPS server that tells who connected (not
 * a cluster: this is the clients' connection handling, no conformance claim).
 */
import type { AddressInfo } from "node:net";
import https from "node:https";
import type { TLSSocket } from "node:tls";
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { KubeConfig } from "@kubernetes/client-node";
import { createAuthority, issue, type Authority } from "../pki/authority";
import { clientsFromKubeConfig } from "./clients";
import { renderKubeconfig } from "./kubeconfig";

let ca: Authority;
let server: https.Server;
let url: string;
/** The client certificate's CN of each TLS connection the server accepted. */
const connections: string[] = [];

beforeAll(async () => {
  ca = await createAuthority("test-ca");
  const serving = await issue(ca, { subject: "CN=127.0.0.1", usage: "server", ipAddresses: ["127.0.0.1"] });
  server = https.createServer({ cert: serving.certPem, key: serving.keyPem, ca: ca.certPem, requestCert: true, rejectUnauthorized: true }, (req, res) => {
    const cn = (req.socket as TLSSocket).getPeerCertificate().subject?.CN;
    res.setHeader("content-type", "application/json");
    res.end(JSON.stringify({ apiVersion: "v1", kind: "Namespace", metadata: { name: String(cn) } }));
  });
  server.on("secureConnection", (s: TLSSocket) => connections.push(String(s.getPeerCertificate().subject?.CN)));
  await new Promise<void>((ready) => server.listen(0, "127.0.0.1", ready));
  url = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((closed) => server.close(closed));
});

async function kubeConfigFor(user: string): Promise<KubeConfig> {
  const client = await issue(ca, { subject: `CN=${user}`, usage: "client" });
  const kc = new KubeConfig();
  kc.loadFromString(renderKubeconfig({ server: url, user, caPem: ca.certPem, auth: { kind: "client-cert", certPem: client.certPem, keyPem: client.keyPem } }));
  return kc;
}

describe("the API clients' connections", () => {
  it("calls of one kubeconfig, through any of its clients, share one TLS connection", async () => {
    connections.length = 0;
    const kube = clientsFromKubeConfig(await kubeConfigFor("alice"));
    const names: string[] = [];
    for (let i = 0; i < 5; i++) names.push((await kube.core.readNamespace({ name: "default" })).metadata!.name!);
    expect({ names, connections }).toEqual({ names: Array(5).fill("alice"), connections: ["alice"] });
  });

  it("kubeconfigs of different identities never share a connection", async () => {
    connections.length = 0;
    const [alice, bob] = [clientsFromKubeConfig(await kubeConfigFor("alice")), clientsFromKubeConfig(await kubeConfigFor("bob"))];
    const seen = [];
    for (const kube of [alice, bob, alice, bob]) seen.push((await kube.core.readNamespace({ name: "default" })).metadata!.name);
    expect({ seen, connections }).toEqual({ seen: ["alice", "bob", "alice", "bob"], connections: ["alice", "bob"] });
  });
});
