import { existsSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { clientsFromFile } from "../kube/clients";
import { registerSecret } from "../report/redact";
import { eventually } from "../wait/eventually";
import { startCli } from "./cli-run";
import type { TestRunsRoot } from "./runs-root";

/**
 * A cluster kept by a run of the harness (`--suite certdir --keep`, on the
 * binary provider) in `runsRoot`, as a vendor's running cluster would be: its
 * admin kubeconfig, once the kept node is registered with its Lease (the
 * suite ends when its certificate is on disk, and the kubelet registers its
 * Node a moment later: a snapshot taken before would miss it). `npm run
 * cleanup` of that runs root removes it.
 */
export async function keptBinaryCluster(runsRoot: TestRunsRoot): Promise<string> {
  const cli = startCli("main", ["--suite", "certdir", "--keep"], { KTC_RUNS_ROOT: runsRoot.path });
  const { code } = await cli.exit;
  if (code !== 0) throw new Error(`the kept run exited ${code}:\n${cli.output().slice(-3000)}`);
  const [runId] = runsRoot.runIds();
  const cluster = readdirSync(join(runsRoot.path, runId!)).find((d) => existsSync(join(runsRoot.path, runId!, d, "admin.kubeconfig")));
  const admin = join(runsRoot.path, runId!, cluster!, "admin.kubeconfig");
  const kube = clientsFromFile(admin);
  await eventually(
    async () => {
      const [nodes, leases] = await Promise.all([kube.core.listNode(), kube.coordination.listNamespacedLease({ namespace: "kube-node-lease" })]);
      const leased = new Set(leases.items.map((l) => l.metadata!.name));
      return nodes.items.length > 0 && nodes.items.every((n) => leased.has(n.metadata!.name)) ? true : undefined;
    },
    { what: "the kept cluster's node to register, with its Lease", timeoutMs: 2 * 60_000 },
  );
  return admin;
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
