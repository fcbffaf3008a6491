import { readdirSync, readFileSync } from "node:fs";
import { PROVIDER_DEFINITIONS } from "../providers/registry";

/**
 * What a finished run may have left behind, by kind: its directory and
 * processes, and each provider's own kinds (binary: netns, links; kind:
 * containers, networks). Every list empty means nothing leaked.
 */
export type Leaks = { runDirs: string[]; processes: string[] } & Record<string, string[]>;

export const NO_LEAKS: Leaks = {
  runDirs: [],
  processes: [],
  ...Object.fromEntries(PROVIDER_DEFINITIONS.flatMap((p) => p.leftovers.kinds).map((k) => [k, []])),
};

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

/**
 * Everything of the given runs (ids) under a private runs root that still
 * exists: run directories, processes, and what every provider finds of them
 * (named or labelled after the run id). Only a root of one's own gives a
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
  const leaks: Leaks = { runDirs, processes: processesUnder(runsRoot) };
  for (const p of PROVIDER_DEFINITIONS) Object.assign(leaks, await p.leftovers.find(ids));
  return leaks;
}

/** "none", or "2 processes, 1 netns" with the names. */
export function describeLeaks(l: Leaks): string {
  const parts = Object.entries(l)
    .filter(([, v]) => (v as string[]).length)
    .map(([k, v]) => `${(v as string[]).length} ${k} (${(v as string[]).slice(0, 3).join(", ")})`);
  return parts.join("; ") || "none";
}
