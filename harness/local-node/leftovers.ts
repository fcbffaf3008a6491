import type { LeftoverScan } from "../providers/definition";
import { linkNames, netnsNames } from "./host-net-names";

/** Network namespaces (ktc-<run>-...) and links (ktc<run>... bridges, k<run>... veths) named after the runs. */
export const LOCAL_NODE_LEFTOVERS: LeftoverScan = {
  kinds: ["netns", "links"],
  async find(runIds) {
    const [netns, links] = await Promise.all([netnsNames(), linkNames()]);
    return {
      netns: netns.filter((n) => runIds.some((id) => n.startsWith(`ktc-${id}-`))),
      links: links.filter((l) => runIds.some((id) => l.startsWith(`ktc${id}`) || l.startsWith(`k${id}`))),
    };
  },
};
