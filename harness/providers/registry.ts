import type { RunEnv } from "../run/run-env";
import type { ResourceDeleter } from "../run/resources";
import { BinaryProvider } from "./binary/provider";
import { binaryDefinition } from "./binary/definition";
import { KindProvider } from "./kind/provider";
import { kindDefinition } from "./kind/definition";
import { kindLogsDir } from "../report/report-dirs";
import type { ProviderDefinition } from "./definition";
import type { ClusterProvider } from "./provider";
import { HarnessError } from "../errors";

/** Every provider, by name: the one place that names the provider folders. */
export const PROVIDER_DEFINITIONS: readonly ProviderDefinition[] = [binaryDefinition, kindDefinition];

/**
 * Every provider's deleters: a sweep from records alone (`npm run cleanup`)
 * does not know which provider made a run. A run records the kinds of one
 * provider only, so the order across providers does not matter.
 */
export function allResourceDeleters(): ResourceDeleter[] {
  return PROVIDER_DEFINITIONS.flatMap((p) => p.resourceDeleters);
}

/** The provider the CLI chose for this run. */
export function providerFor(env: RunEnv): ClusterProvider {
  switch (env.provider) {
    case "binary":
      return new BinaryProvider({ runDir: env.runDir, binDir: env.binDir, etcdBin: env.etcdBin });
    case "kind":
      return new KindProvider({
        runDir: env.runDir,
        kindBin: env.kindBin,
        image: env.nodeImage,
        k8sVersion: env.k8sVersion,
        logsRoot: kindLogsDir(),
      });
    default:
      throw new HarnessError(`provider ${env.provider} is not available`, { hint: "use --provider binary" });
  }
}
