import { run } from "../exec/command";
import type { ResourceDeleter } from "../run/resources";
import { linkNames, netnsNames } from "./host-net-names";

/** The kinds of object local nodes and their bridge record (network.ts) besides its processes. */
export const LOCAL_NODE_RESOURCE_KINDS = { netns: "netns", link: "link" } as const;

const netnsExists = async (name: string) => (await netnsNames()).includes(name);
const linkExists = async (name: string) => (await linkNames()).includes(name);

/**
 * Deletes `name` if it exists. A delete that fails because the object went
 * away meanwhile is no error: the kernel removes a namespace's veth pair
 * asynchronously after `ip netns delete` returns (net cleanup runs in a
 * workqueue), so a link listed a moment ago may vanish under `ip link delete`
 * ("Cannot find device"), more often on a loaded machine.
 */
async function deleteIfPresent(exists: (name: string) => Promise<boolean>, argv: string[], name: string): Promise<void> {
  if (!(await exists(name))) return;
  try {
    await run(argv);
  } catch (err) {
    if (await exists(name)) throw err;
  }
}

const deleteNetns = (name: string) => deleteIfPresent(netnsExists, ["ip", "netns", "delete", name], name);
const deleteLink = (name: string) => deleteIfPresent(linkExists, ["ip", "link", "delete", name], name);

/** Namespaces before links: deleting a namespace also removes its veth pair. */
export const LOCAL_NODE_RESOURCE_DELETERS: readonly ResourceDeleter[] = [
  { kind: LOCAL_NODE_RESOURCE_KINDS.netns, delete: (r) => deleteNetns(r.name) },
  { kind: LOCAL_NODE_RESOURCE_KINDS.link, delete: (r) => deleteLink(r.name) },
];
