import type { ProviderDefinition } from "../definition";
import { KIND_LEFTOVERS } from "./leftovers";
import { sweepOrphanDockerObjects } from "./lost-runs";
import { KIND_RESOURCE_DELETERS } from "./resource-deleters";

/** kind clusters through the kind CLI, extra nodes as containers (provider.ts). */
export const kindDefinition: ProviderDefinition = {
  name: "kind",
  resourceDeleters: KIND_RESOURCE_DELETERS,
  leftovers: KIND_LEFTOVERS,
  async sweepLostRuns(runsRoot, liveRunIds) {
    const removed = await sweepOrphanDockerObjects(runsRoot, liveRunIds);
    return removed.length ? [`removed docker objects of lost runs: ${removed.join(", ")}`] : [];
  },
};
