import type { RunEnv } from "../run/run-env";
import { BinaryProvider } from "./binary/provider";
import type { ClusterProvider } from "./provider";
import { HarnessError } from "../errors";

/** The provider the CLI chose for this run. */
export function providerFor(env: RunEnv): ClusterProvider {
  switch (env.provider) {
    case "binary":
      return new BinaryProvider({ runDir: env.runDir, binDir: env.binDir, etcdBin: env.etcdBin });
    default:
      throw new HarnessError(`provider ${env.provider} is not available`, { hint: "use --provider binary" });
  }
}
