import { join } from "node:path";
import { run } from "../exec/command";

/** Runs the cluster's own kubectl, as an operator would, against the admin kubeconfig. */
export async function kubectl(binDir: string, kubeconfig: string, args: string[]): Promise<string> {
  return (await run([join(binDir, "kubectl"), `--kubeconfig=${kubeconfig}`, ...args], { hint: "kubectl failed; see its output above" })).stdout;
}
