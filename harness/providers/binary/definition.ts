import type { ProviderDefinition } from "../definition";
import { BINARY_LEFTOVERS } from "./leftovers";
import { BINARY_RESOURCE_DELETERS } from "./resource-deleters";

/** Local processes, each kubelet in its own network namespace (provider.ts). */
export const binaryDefinition: ProviderDefinition = {
  name: "binary",
  resourceDeleters: BINARY_RESOURCE_DELETERS,
  leftovers: BINARY_LEFTOVERS,
};
