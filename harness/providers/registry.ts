import { UsageError } from "../errors";
import type { ResourceDeleter } from "../run/resources";
import type { RunEnv } from "../run/run-env";
import { binaryDefinition } from "./binary/definition";
import type { ProviderDefinition } from "./definition";
import { existingDefinition } from "./existing/definition";
import { kindDefinition } from "./kind/definition";
import type { ClusterProvider } from "./provider";

/**
 * Every provider: the one place outside its folder that names one. The CLI,
 * the sweep and the suites reach a provider only through this list.
 */
export const PROVIDER_DEFINITIONS: readonly ProviderDefinition[] = [binaryDefinition, kindDefinition, existingDefinition];

/** What `--provider auto` (and no --provider at all) means. */
export const DEFAULT_PROVIDER = binaryDefinition.name;

export function providerNames(): string[] {
  return PROVIDER_DEFINITIONS.map((p) => p.name);
}

export function providerDefinition(name: string): ProviderDefinition {
  const found = PROVIDER_DEFINITIONS.find((p) => p.name === name);
  if (!found) throw new UsageError(`unknown provider: ${name}`, { hint: `valid providers: ${providerNames().join(", ")}` });
  return found;
}

/**
 * Every provider's deleters: a sweep from records alone (`npm run cleanup`)
 * does not know which provider made a run. A run records the kinds of one
 * provider only, so the order across providers does not matter.
 */
export function allResourceDeleters(): ResourceDeleter[] {
  return PROVIDER_DEFINITIONS.flatMap((p) => p.resourceDeleters);
}

/** The provider the CLI chose and prepared for this run, opened in a suite. */
export function providerFor(env: RunEnv): ClusterProvider {
  return providerDefinition(env.provider).open(env, env.providerSettings);
}
