import { availableParallelism } from "node:os";
import type { ProviderDefinition } from "../definition";
import { prepareExisting } from "./prepare";
import { ExistingProvider } from "./provider";
import type { ExistingSettings } from "./settings";

/** A running cluster named by --kubeconfig; its test nodes run on this machine (provider.ts). */
export const existingDefinition: ProviderDefinition<ExistingSettings> = {
  name: "existing",
  summary: "a running cluster named by --kubeconfig; preflight only so far",
  testsRunningCluster: true,
  concurrency: () => ({ suites: 1, bringUps: availableParallelism(), why: "existing: the suites share the one cluster" }),
  prepare: prepareExisting,
  open: (_env, settings) => new ExistingProvider(settings),
  resourceDeleters: [],
  leftovers: { kinds: [], find: async () => ({}) },
};
