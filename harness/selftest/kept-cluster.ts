import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { startCli } from "./cli-run";
import type { TestRunsRoot } from "./runs-root";

/**
 * A cluster kept by a run of the harness (`--suite certdir --keep`, on the
 * binary provider) in `runsRoot`, as a vendor's running cluster would be: its
 * admin kubeconfig. `npm run cleanup` of that runs root removes it.
 */
export async function keptBinaryCluster(runsRoot: TestRunsRoot): Promise<string> {
  const cli = startCli("main", ["--suite", "certdir", "--keep"], { KTC_RUNS_ROOT: runsRoot.path });
  const { code } = await cli.exit;
  if (code !== 0) throw new Error(`the kept run exited ${code}:\n${cli.output().slice(-3000)}`);
  const [runId] = runsRoot.runIds();
  const cluster = readdirSync(join(runsRoot.path, runId!)).find((d) => existsSync(join(runsRoot.path, runId!, d, "admin.kubeconfig")));
  return join(runsRoot.path, runId!, cluster!, "admin.kubeconfig");
}
