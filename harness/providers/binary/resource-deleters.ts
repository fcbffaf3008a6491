import { run } from "../../exec/command";
import type { ResourceDeleter } from "../../run/resources";

/** The kinds of object the binary provider records (network.ts) besides its processes. */
export const BINARY_RESOURCE_KINDS = { netns: "netns", link: "link" } as const;

async function deleteNetns(name: string): Promise<void> {
  const names = (await run(["ip", "netns", "list"])).stdout.split("\n").map((l) => l.split(" ")[0]);
  if (names.includes(name)) await run(["ip", "netns", "delete", name]);
}

async function deleteLink(name: string): Promise<void> {
  const links = (await run(["ip", "-o", "link", "show"])).stdout;
  if (new RegExp(`^\\d+: ${name}[@:]`, "m").test(links)) await run(["ip", "link", "delete", name]);
}

/** Namespaces before links: deleting a namespace also removes its veth pair. */
export const BINARY_RESOURCE_DELETERS: readonly ResourceDeleter[] = [
  { kind: BINARY_RESOURCE_KINDS.netns, delete: (r) => deleteNetns(r.name) },
  { kind: BINARY_RESOURCE_KINDS.link, delete: (r) => deleteLink(r.name) },
];
