import { existsSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { registerSecret } from "../report/redact";
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

/**
 * The token of the kept cluster's --token-auth-file line, read from that file
 * as a vendor reads their API server's: what they declare as tokenFileToken.
 */
export function keptClusterTokenFileToken(adminKubeconfig: string): string {
  const token = readFileSync(join(dirname(adminKubeconfig), "pki", "token.csv"), "utf8").split("\n")[0]!.split(",")[0]!;
  registerSecret(token);
  return token;
}
