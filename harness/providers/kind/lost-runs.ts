import { docker, dockerAvailable, RUN_LABEL } from "../../container-node/docker";
import { containersOfRuns, RUNS_ROOT_LABEL } from "./docker-objects";

/**
 * The docker objects of runs under `runsRoot` whose directory is gone (e.g.
 * /tmp was wiped after a kill), found through the run networks labelled with
 * that root: the kind clusters named ktc-<run>-cN and our node containers
 * (label io.ktc.run), then the network. Runs of other roots are never touched.
 */
export async function sweepOrphanDockerObjects(runsRoot: string, liveRunIds: ReadonlySet<string>): Promise<string[]> {
  if (!(await dockerAvailable())) return [];
  const removed: string[] = [];
  const nets = await docker(["network", "ls", "--filter", `label=${RUNS_ROOT_LABEL}=${runsRoot}`, "--format", `{{.Name}}\t{{.Label "${RUN_LABEL}"}}`]);
  for (const row of nets.split("\n").filter(Boolean)) {
    const [net, runId] = row.split("\t");
    if (!net || !runId || liveRunIds.has(runId)) continue;
    for (const name of await containersOfRuns([runId])) {
      await docker(["rm", "-f", "-v", name]);
      removed.push(`container ${name}`);
    }
    await docker(["network", "rm", net]);
    removed.push(`network ${net}`);
  }
  return removed;
}
