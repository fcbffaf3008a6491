import { connect } from "node:tls";

/**
 * Opens a real TLS connection and returns the DER of the certificate the
 * server presents (PEM-wrapped), or throws with why the handshake failed. The
 * server's chain is not verified here: the caller compares the certificate.
 */
export async function presentedCertificate(host: string, port: number, timeoutMs = 5000): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host, port, rejectUnauthorized: false, servername: undefined });
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`TLS handshake with ${host}:${port} did not finish in ${timeoutMs / 1000}s`));
    }, timeoutMs);
    socket.once("secureConnect", () => {
      clearTimeout(timer);
      const der = socket.getPeerCertificate(false).raw;
      socket.end();
      const b64 = der.toString("base64").match(/.{1,64}/g)!.join("\n");
      resolve(`-----BEGIN CERTIFICATE-----\n${b64}\n-----END CERTIFICATE-----`);
    });
    socket.once("error", (err) => {
      clearTimeout(timer);
      reject(new Error(`TLS handshake with ${host}:${port} failed: ${err.message}`));
    });
  });
}
