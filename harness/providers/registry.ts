import type { RunEnv } from "../run/run-env";
import { BinaryProvider } from "./binary/provider";
import { KindProvider } from "./kind/provider";
import { kindLogsDir } from "../report/report-dirs";
import type { ClusterProvider } from "./provider";
import { HarnessError } from "../errors";

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
