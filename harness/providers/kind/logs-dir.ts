import { join } from "node:path";
import { reportsDir } from "../../report/report-dirs";

/** Where `kind export logs` writes, one folder per cluster, before each kind cluster is deleted. */
export function kindLogsDir(): string {
  return join(reportsDir(), "kind-logs");
}
