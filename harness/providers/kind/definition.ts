import type { ProviderDefinition } from "../definition";
import { kindConcurrency } from "./concurrency";
import { KIND_LEFTOVERS } from "./leftovers";
import { kindLogsDir } from "./logs-dir";
import { sweepOrphanDockerObjects } from "./lost-runs";
import { prepareKind } from "./prepare";
import { KindProvider } from "./provider";
import { KIND_RESOURCE_DELETERS } from "./resource-deleters";
import type { KindSettings } from "./settings";

/** kind clusters through the kind CLI, extra nodes as containers (provider.ts). */
export const kindDefinition: ProviderDefinition<KindSettings> = {
  name: "kind",
  summary: "kind clusters, node image built offline",
  environmentHelp: `KTC_KIND_BIN (your kind CLI), KTC_KIND_NODE_IMAGE (your node image),
  KTC_DEBIAN_MIRROR (Debian archive for the offline node image on non-Debian hosts).`,
  concurrency: kindConcurrency,
  prepare: prepareKind,
  open: (env, settings) =>
    new KindProvider({ runDir: env.runDir, kindBin: settings.kindBin, image: settings.nodeImage, k8sVersion: env.k8sVersion, logsRoot: kindLogsDir() }),
  exportedLogsDir: kindLogsDir,
  resourceDeleters: KIND_RESOURCE_DELETERS,
  leftovers: KIND_LEFTOVERS,
  async sweepLostRuns(runsRoot, liveRunIds) {
    const removed = await sweepOrphanDockerObjects(runsRoot, liveRunIds);
    return removed.length ? [`removed docker objects of lost runs: ${removed.join(", ")}`] : [];
  },
};
