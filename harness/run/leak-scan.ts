import { readdirSync, readFileSync } from "node:fs";
import { run } from "../exec/command";
import { dockerAvailable, KIND_CLUSTER_LABEL, RUN_LABEL } from "./docker-sweep";

/** What a finished run may have left behind, by kind; every list empty means nothing leaked. */
export interface Leaks {
  runDirs: string[];
  processes: string[];
  netns: string[];
  links: string[];
  containers: string[];
  networks: string[];
}

export const NO_LEAKS: Leaks = { runDirs: [], processes: [], netns: [], links: [], containers: [], networks: [] };

/** Processes whose command line names a path under the runs root (every daemon a run starts does). */
function processesUnder(runsRoot: string): string[] {
  const found: string[] = [];
  for (const pid of readdirSync("/proc").filter((p) => /^\d+$/.test(p))) {
    try {
      const cmd = readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0").join(" ");
      const state = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]?.[0];
      if (cmd.includes(`${runsRoot}/`) && state !== "Z") found.push(`${pid} ${cmd.slice(0, 120)}`);
    } catch {
      // The process ended while being read.
    }
  }
  return found;
}

async function lines(argv: string[]): Promise<string[]> {
  return (await run(argv)).stdout.split("\n").filter(Boolean);
}

/**
 * Everything of the given runs (ids) under a private runs root that still
 * exists: run directories, processes, network namespaces and links (binary
 * provider, named after the run id), containers and docker networks (kind
 * provider, labelled or named after it). Only a root of one's own gives a
 * clean answer on a shared machine: other people's runs are never counted.
 */
export async function findLeaks(runsRoot: string, runIds: readonly string[]): Promise<Leaks> {
  let runDirs: string[] = [];
  try {
    runDirs = readdirSync(runsRoot);
  } catch {
    // No root: nothing left.
  }
  const ids = [...new Set([...runIds, ...runDirs])];
  const netns = (await lines(["ip", "netns", "list"])).map((l) => l.split(" ")[0]!);
  const links = (await lines(["ip", "-o", "link", "show"])).map((l) => l.split(": ")[1]?.split("@")[0] ?? "");
  const leaks: Leaks = {
    runDirs,
    processes: processesUnder(runsRoot),
    netns: netns.filter((n) => ids.some((id) => n.startsWith(`ktc-${id}-`))),
    links: links.filter((l) => ids.some((id) => l.startsWith(`ktc${id}`) || l.startsWith(`k${id}`))),
    containers: [],
    networks: [],
  };
  if (await dockerAvailable()) {
    const rows = await lines(["docker", "ps", "-a", "--format", `{{.Names}}\t{{.Label "${RUN_LABEL}"}}\t{{.Label "${KIND_CLUSTER_LABEL}"}}`]);
    leaks.containers = rows
      .filter((r) => {
        const [, runLabel, cluster] = r.split("\t");
        return ids.some((id) => runLabel === id || cluster?.startsWith(`ktc-${id}-`));
      })
      .map((r) => r.split("\t")[0]!);
    leaks.networks = (await lines(["docker", "network", "ls", "--format", "{{.Name}}"])).filter((n) => ids.some((id) => n === `ktc-${id}`));
  }
  return leaks;
}

/** "none", or "2 processes, 1 netns" with the names. */
export function describeLeaks(l: Leaks): string {
  const parts = Object.entries(l)
    .filter(([, v]) => (v as string[]).length)
    .map(([k, v]) => `${(v as string[]).length} ${k} (${(v as string[]).slice(0, 3).join(", ")})`);
  return parts.join("; ") || "none";
}
