import { run } from "../../exec/command";
import type { LeftoverScan } from "../definition";

async function lines(argv: string[]): Promise<string[]> {
  return (await run(argv)).stdout.split("\n").filter(Boolean);
}

/** Network namespaces (ktc-<run>-...) and links (ktc<run>... bridges, k<run>... veths) named after the runs. */
export const BINARY_LEFTOVERS: LeftoverScan = {
  kinds: ["netns", "links"],
  async find(runIds) {
    const netns = (await lines(["ip", "netns", "list"])).map((l) => l.split(" ")[0]!);
    const links = (await lines(["ip", "-o", "link", "show"])).map((l) => l.split(": ")[1]?.split("@")[0] ?? "");
    return {
      netns: netns.filter((n) => runIds.some((id) => n.startsWith(`ktc-${id}-`))),
      links: links.filter((l) => runIds.some((id) => l.startsWith(`ktc${id}`) || l.startsWith(`k${id}`))),
    };
  },
};
