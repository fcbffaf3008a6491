import { createServer, type Server } from "node:net";

/**
 * Ports for a control plane's daemons, on the address they will listen on.
 * All are taken from the kernel while the earlier ones are still bound, so
 * they are distinct; they are free on that address now, and nobody else picks
 * from it (see clusterLoopback), so they are still free when the daemons bind.
 */
export async function freePorts(host: string, count: number): Promise<number[]> {
  const servers: Server[] = [];
  try {
    for (let i = 0; i < count; i++) {
      servers.push(
        await new Promise<Server>((resolve, reject) => {
          const srv = createServer();
          srv.once("error", reject);
          srv.listen(0, host, () => resolve(srv));
        }),
      );
    }
    return servers.map((s) => {
      const addr = s.address();
      return typeof addr === "object" && addr ? addr.port : 0;
    });
  } finally {
    await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
  }
}

/**
 * The loopback address of one cluster's host-only daemons (etcd, the
 * controller manager's health port): 127.b.c.1 for a cluster on a.b.c.0/24.
 * Linux routes all of 127/8 to lo, and the /24 is unique on the host
 * (network.ts takes it under a host lock), so clusters side by side never pick
 * ports on the same address.
 */
export function clusterLoopback(apiServerIp: string): string {
  const [, b, c] = apiServerIp.split(".");
  return `127.${b}.${c}.1`;
}
