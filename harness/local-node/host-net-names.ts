import { run } from "../exec/command";

/**
 * The names of the host's network namespaces and links, as `ip` lists them:
 * what the leak scan filters by run and the deleters check before deleting.
 */
export async function netnsNames(): Promise<string[]> {
  return (await run(["ip", "netns", "list"])).stdout
    .split("\n")
    .filter(Boolean)
    .map((l) => l.split(" ")[0]!);
}

/** Link names without their "@peer" suffix (`ip -o link show`: "3: name@if2: <...>"). */
export async function linkNames(): Promise<string[]> {
  return (await run(["ip", "-o", "link", "show"])).stdout
    .split("\n")
    .filter(Boolean)
    .map((l) => l.split(": ")[1]?.split("@")[0] ?? "");
}
