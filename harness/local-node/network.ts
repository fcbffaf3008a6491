import { run } from "../exec/command";
import { ProvisionError } from "../errors";
import { forgetResource, recordResource } from "../run/resources";
import { withHostLock } from "../host/host-lock";
import { LOCAL_NODE_RESOURCE_KINDS } from "./resource-deleters";

/**
 * The binary provider's network: one Linux bridge per cluster on the host,
 * holding the API server's address, and one network namespace per node,
 * joined to the bridge by a veth pair. Nodes get their own IP, their own
 * loopback and so their own ports 10250/10248, as separate machines would.
 */
export interface ClusterNetwork {
  bridge: string;
  /** "10.213.7" : the first three octets of the /24. */
  prefix: string;
  gateway: string;
}

/** Candidate /24s; the first one with no address or route on the host is taken. */
const CANDIDATE_PREFIXES = Array.from({ length: 200 }, (_, i) => `10.213.${i + 20}`);

export async function pickFreePrefix(): Promise<string> {
  const addrs = (await run(["ip", "-o", "addr", "show"])).stdout;
  const routes = (await run(["ip", "route", "show", "table", "all"])).stdout;
  const used = (p: string) => addrs.includes(` ${p}.`) || routes.includes(`${p}.`);
  const free = CANDIDATE_PREFIXES.find((p) => !used(p));
  if (!free) throw new ProvisionError("no free 10.213.x.0/24 subnet for the cluster bridge", { hint: "run `npm run cleanup` to remove leftover clusters" });
  return free;
}

export async function createClusterNetwork(runDir: string, bridge: string, owner: string): Promise<ClusterNetwork> {
  await recordResource(runDir, { kind: LOCAL_NODE_RESOURCE_KINDS.link, name: bridge, owner });
  await run(["ip", "link", "add", "name", bridge, "type", "bridge"]);
  // Looking for a free /24 and taking it is one step for every run on the host:
  // two runs creating clusters at the same moment would otherwise take the same one.
  const prefix = await withHostLock("binary-cluster-subnet", async () => {
    const free = await pickFreePrefix();
    await run(["ip", "addr", "add", `${free}.1/24`, "dev", bridge]);
    return free;
  });
  await run(["ip", "link", "set", bridge, "up"]);
  return { bridge, prefix, gateway: `${prefix}.1` };
}

export interface NodeNetwork {
  netns: string;
  hostVeth: string;
  address: string;
}

/** A network namespace with eth0 on the cluster bridge and a default route via the host. */
export async function createNodeNetwork(
  runDir: string,
  net: ClusterNetwork,
  opts: { netns: string; hostVeth: string; hostIndex: number; owner: string },
): Promise<NodeNetwork> {
  const address = `${net.prefix}.${opts.hostIndex}`;
  await recordResource(runDir, { kind: LOCAL_NODE_RESOURCE_KINDS.netns, name: opts.netns, owner: opts.owner });
  await recordResource(runDir, { kind: LOCAL_NODE_RESOURCE_KINDS.link, name: opts.hostVeth, owner: opts.owner });
  await run(["ip", "netns", "add", opts.netns]);
  await run(["ip", "link", "add", opts.hostVeth, "type", "veth", "peer", "name", "eth0", "netns", opts.netns]);
  await run(["ip", "link", "set", opts.hostVeth, "master", net.bridge, "up"]);
  const inNs = (...argv: string[]) => run(["ip", "-n", opts.netns, ...argv]);
  await inNs("link", "set", "lo", "up");
  await inNs("addr", "add", `${address}/24`, "dev", "eth0");
  await inNs("link", "set", "eth0", "up");
  await inNs("route", "add", "default", "via", net.gateway);
  return { netns: opts.netns, hostVeth: opts.hostVeth, address };
}

export async function deleteNodeNetwork(runDir: string, n: NodeNetwork): Promise<void> {
  // Deleting the namespace destroys eth0 and with it the host end of the pair.
  await run(["ip", "netns", "delete", n.netns]);
  await forgetResource(runDir, { kind: LOCAL_NODE_RESOURCE_KINDS.netns, name: n.netns });
  await forgetResource(runDir, { kind: LOCAL_NODE_RESOURCE_KINDS.link, name: n.hostVeth });
}

/** argv prefix that runs a command in the node's network namespace only (not its own mount namespace, unlike `ip netns exec`, which remounts /sys and hides the cgroup hierarchy the kubelet needs). */
export function inNetns(netns: string, argv: string[]): string[] {
  return ["nsenter", `--net=/var/run/netns/${netns}`, "--", ...argv];
}
