import { availableParallelism } from "node:os";
import type { ProviderDefinition } from "../definition";
import { LOCAL_NODE_LEFTOVERS } from "../../local-node/leftovers";
import { EXISTING_DELETERS } from "./deleters";
import { unmetForTokenFile, unmetOnRunningCluster } from "./cluster-offer";
import { prepareExisting } from "./prepare";
import { ExistingProvider } from "./provider";
import type { ExistingSettings } from "./settings";

/** A running cluster named by --kubeconfig; its test nodes run on this machine (provider.ts), as processes or containers (node-placement.ts). */
export const existingDefinition: ProviderDefinition<ExistingSettings> = {
  name: "existing",
  summary: "a running cluster named by --kubeconfig, its test nodes local processes or node containers (config nodes:)",
  testsRunningCluster: true,
  // Its nodes are local processes, as binary's; its "bring-ups" are a bridge and a TLS probe.
  concurrency: () => ({
    suites: availableParallelism() + 2,
    bringUps: availableParallelism(),
    why: `existing: the suites share the one cluster; their nodes are local processes, cores + 2 suites at once as for binary`,
  }),
  prepare: prepareExisting,
  cannotServe: (settings, spec, baseSpec) => unmetOnRunningCluster(settings.offer, spec, baseSpec, { bindingsChangeable: settings.allowClusterChanges }),
  cannotJoinWith: (settings, credential, spec) => {
    if (credential === "bootstrap-token") return undefined;
    if (!settings.tokenFile) {
      return "a running cluster's token file is unknown to the harness, and the config declares none of its tokens (tokenFileToken or tokenFileBootstrapKubeconfig)";
    }
    return unmetForTokenFile(settings.offer, settings.tokenFile.identity, spec);
  },
  open: (env, settings) => new ExistingProvider({ runDir: env.runDir, binDir: env.binDir, settings }),
  resourceDeleters: EXISTING_DELETERS,
  // What it leaves on the cluster is checked against the cluster itself (a harness test compares its objects before and after).
  leftovers: LOCAL_NODE_LEFTOVERS,
};
