import type { RunEnv } from "../run/run-env";
import { join } from "node:path";
import { BinaryProvider } from "./binary/provider";
import { KindProvider } from "./kind/provider";
import { REPO_ROOT } from "../binaries/layout";
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
        logsRoot: join(process.env.KTC_REPORTS_DIR ?? join(REPO_ROOT, "reports"), "kind-logs"),
      });
    default:
      throw new HarnessError(`provider ${env.provider} is not available`, { hint: "use --provider binary" });
  }
}
