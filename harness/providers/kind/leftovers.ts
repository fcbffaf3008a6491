import type { LeftoverScan } from "../definition";
import { docker, dockerAvailable } from "../../container-node/docker";
import { containersOfRuns } from "./docker-objects";

/** Containers (kind's nodes and ours) and the runs' docker networks; none where docker does not answer. */
export const KIND_LEFTOVERS: LeftoverScan = {
  kinds: ["containers", "networks"],
  async find(runIds) {
    if (!(await dockerAvailable())) return { containers: [], networks: [] };
    const networks = (await docker(["network", "ls", "--format", "{{.Name}}"])).split("\n").filter(Boolean);
    return {
      containers: await containersOfRuns(runIds),
      networks: networks.filter((n) => runIds.some((id) => n === `ktc-${id}`)),
    };
  },
};
