import { execa } from "execa";
import { inNetns } from "./network";

/**
 * Run inside a network namespace by this same Node.js: a TLS handshake with
 * the URL's host and port, verified against the CA bundle and the host name
 * as a kubelet verifies it. Prints "ok", or why not.
 */
const HANDSHAKE = `
const tls = require("node:tls");
const { isIP } = require("node:net");
const u = new URL(process.env.KTC_URL);
const host = u.hostname.replace(/^\\[|\\]$/g, "");
const s = tls.connect({ host, port: Number(u.port || 443), ca: process.env.KTC_CA, servername: isIP(host) ? undefined : host, timeout: Number(process.env.KTC_MS) });
s.once("secureConnect", () => { console.log("ok"); s.destroy(); });
s.once("timeout", () => { console.log("no answer within " + Number(process.env.KTC_MS) / 1000 + " s"); s.destroy(); });
s.once("error", (e) => console.log(e.code ? e.code + ": " + e.message : e.message));
`;

/**
 * Whether a process in the namespace `netns` completes a verified TLS
 * handshake with `url`: undefined if it does, else why not (ECONNREFUSED,
 * no answer, a certificate that does not name the address...).
 */
export async function tlsUnreachableFrom(netns: string, url: string, caPem: string, timeoutMs: number): Promise<string | undefined> {
  const [file, ...args] = inNetns(netns, [process.execPath, "-e", HANDSHAKE]);
  const r = await execa(file!, args, { reject: false, stdin: "ignore", timeout: timeoutMs + 5000, env: { KTC_URL: url, KTC_CA: caPem, KTC_MS: String(timeoutMs) } });
  const said = String(r.stdout ?? "").trim();
  if (said === "ok") return undefined;
  return said || `${r.shortMessage ?? "the probe failed"} ${String(r.stderr ?? "").trim()}`.trim();
}
