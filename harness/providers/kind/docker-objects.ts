import { docker, RUN_LABEL } from "../../container-node/docker";
import { withHostLock } from "../../host/host-lock";
import { info } from "../../log";
import type { ResourceRecord } from "../../run/resources";
import { KindCli } from "./kind-cli";

/**
 * The docker objects a kind run creates besides its node containers
 * (../../container-node/docker.ts): how they are labelled, made and
 * removed. Removal needs nothing but a record (resource-deleters.ts) or a
 * label (lost-runs.ts), so `npm run cleanup` removes a killed run's objects.
 */

/** On the run's docker network: the runs root it belongs to, so cleanup never crosses roots. */
export const RUNS_ROOT_LABEL = "io.ktc.runs-root";
/** The label kind puts on its node containers (its own cluster listing uses it). */
export const KIND_CLUSTER_LABEL = "io.x-k8s.kind.cluster";

async function networkExists(name: string): Promise<boolean> {
  return (await docker(["network", "ls", "-q", "--filter", `name=^${name}$`])) !== "";
}

export async function removeNetwork(name: string): Promise<void> {
  if (await networkExists(name)) await docker(["network", "rm", name]);
}

/** `kind export logs` then `kind delete cluster`, or plain container removal when kind is gone. */
export async function removeKindCluster(r: ResourceRecord): Promise<void> {
  const containers = (await docker(["ps", "-aq", "--filter", `label=${KIND_CLUSTER_LABEL}=${r.name}`])).split("\n").filter(Boolean);
  if (!containers.length) return;
  const { kindBin, network, logsDir } = r.detail ?? {};
  if (kindBin && network) {
    try {
      await new KindCli({ kindBin, network }).deleteCluster(r.name, logsDir);
      return;
    } catch (err) {
      info(`kind delete cluster ${r.name} failed, removing its containers directly: ${(err as Error).message.split("\n")[0]}`);
    }
  }
  await docker(["rm", "-f", "-v", ...containers]);
}

/** The containers of these runs: our node containers (run label) and kind's (cluster named ktc-<run>-cN). */
export async function containersOfRuns(runIds: readonly string[]): Promise<string[]> {
  const rows = await docker(["ps", "-a", "--format", `{{.Names}}\t{{.Label "${RUN_LABEL}"}}\t{{.Label "${KIND_CLUSTER_LABEL}"}}`]);
  return rows
    .split("\n")
    .filter(Boolean)
    .map((row) => row.split("\t"))
    .filter(([, runLabel, cluster]) => runIds.some((id) => runLabel === id || cluster?.startsWith(`ktc-${id}-`)))
    .map(([name]) => name!);
}

/**
 * The run's docker network, made by the harness (kind uses an existing network
 * of the name it is given) so it carries the run and its runs root: cleanup
 * finds a lost run's objects through it. Suites side by side race to make it,
 * and dockerd's check for a duplicate name is not atomic (two creates can both
 * succeed, and then the name is ambiguous), so the check and the create are
 * one step under a host lock.
 */
export async function ensureRunNetwork(name: string, runId: string, runsRoot: string): Promise<void> {
  await withHostLock(`docker-network-${name}`, async () => {
    if (await networkExists(name)) return;
    await docker(["network", "create", "--label", `${RUN_LABEL}=${runId}`, "--label", `${RUNS_ROOT_LABEL}=${runsRoot}`, name]);
  });
}

