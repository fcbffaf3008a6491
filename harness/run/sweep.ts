import { readFile, rm } from "node:fs/promises";
import { run } from "../exec/command";
import { stopProcess } from "../exec/daemon";
import { isAlive, listProcesses } from "../exec/process-table";
import { info } from "../log";
import { markClosing } from "./closing";
import { forgetResource, listResources, type ResourceRecord } from "./resources";

/**
 * Removes everything a run recorded, in dependency order: processes (highest
 * tier first), network namespaces and links, mounts under the run directory,
 * then the directory itself. Every step is attempted even if an earlier one
 * failed; the errors are returned together. Safe to call twice.
 */
export async function sweepRun(runDir: string): Promise<string[]> {
  const errors: string[] = [];
  const attempt = async (what: string, fn: () => Promise<void>) => {
    try {
      await fn();
    } catch (err) {
      errors.push(`${what}: ${err instanceof Error ? err.message : String(err)}`);
    }
  };

  markClosing(runDir);
  // Repeat until no live process is recorded: one may have been recorded
  // between the closing mark and the first listing.
  for (let round = 0; round < 5; round++) {
    const processes = (await listProcesses(runDir)).filter((p) => isAlive(p)).sort((a, b) => b.tier - a.tier);
    if (!processes.length) break;
    for (const tier of [...new Set(processes.map((p) => p.tier))]) {
      // One tier at a time, in parallel within it: all kubelets, then the control plane.
      await Promise.all(
        processes
          .filter((p) => p.tier === tier)
          .map((p) => attempt(`stop ${p.name} (pid ${p.pid})`, () => stopProcess(p, 10_000))),
      );
    }
  }

  for (const r of await listResources(runDir)) {
    await attempt(`delete ${r.kind} ${r.name}`, () => deleteResource(runDir, r));
  }

  await attempt(`unmount under ${runDir}`, () => unmountUnder(runDir));
  await attempt(`remove ${runDir}`, () => rm(runDir, { recursive: true, force: true, maxRetries: 3 }));
  if (errors.length) info(`cleanup of ${runDir} had ${errors.length} error(s):\n  ${errors.join("\n  ")}`);
  return errors;
}

async function deleteResource(runDir: string, r: ResourceRecord): Promise<void> {
  if (r.kind === "netns") {
    const names = (await run(["ip", "netns", "list"])).stdout.split("\n").map((l) => l.split(" ")[0]);
    if (names.includes(r.name)) await run(["ip", "netns", "delete", r.name]);
  } else if (r.kind === "link") {
    const links = (await run(["ip", "-o", "link", "show"])).stdout;
    if (new RegExp(`^\\d+: ${r.name}[@:]`, "m").test(links)) await run(["ip", "link", "delete", r.name]);
  }
  await forgetResource(runDir, r);
}

/** Lazily unmounts every mount point below dir, deepest first. */
async function unmountUnder(dir: string): Promise<void> {
  const mountinfo = await readFile("/proc/self/mountinfo", "utf8");
  const points = mountinfo
    .split("\n")
    .map((l) => l.split(" ")[4])
    .filter((p): p is string => !!p && (p === dir || p.startsWith(dir + "/")))
    .sort((a, b) => b.length - a.length);
  for (const p of points) await run(["umount", "-l", p]);
}
