import { readFile, rm } from "node:fs/promises";
import { run } from "../exec/command";
import { stopProcess } from "../exec/daemon";
import { isAlive, listProcesses } from "../exec/process-table";
import { info, timed } from "../log";
import { markClosing } from "./closing";
import { forgetResource, listResources, type ResourceDeleter, type ResourceRecord } from "./resources";

/**
 * Stops the recorded processes (highest tier first: kubelets, containerd,
 * kube-controller-manager, kube-apiserver, etcd) and deletes the recorded
 * objects with the providers' deleters, in the order the deleters are listed,
 * of one owner (a cluster) or of all. Every step is attempted even if an
 * earlier one failed; the errors are returned.
 */
export async function sweepRecorded(runDir: string, deleters: readonly ResourceDeleter[], owner?: string): Promise<string[]> {
  const errors: string[] = [];
  // A whole run's sweep says what takes its time; a cluster's own teardown stays quiet.
  const step = <T>(what: string, fn: () => Promise<T>) => (owner === undefined ? timed(what, fn).then((r) => r.value) : fn());
  const attempt = async (what: string, fn: () => Promise<void>) => {
    try {
      await fn();
    } catch (err) {
      errors.push(`${what}: ${err instanceof Error ? err.message : String(err)}`);
    }
  };
  const mine = (r: { owner: string }) => owner === undefined || r.owner === owner;
  // Repeat until no live process is recorded: one may have been recorded
  // between the closing mark and the first listing.
  for (let round = 0; round < 5; round++) {
    const processes = (await listProcesses(runDir)).filter((p) => mine(p) && isAlive(p)).sort((a, b) => b.tier - a.tier);
    if (!processes.length) break;
    for (const tier of [...new Set(processes.map((p) => p.tier))]) {
      // One tier at a time, in parallel within it: all kubelets, then the control plane.
      const inTier = processes.filter((p) => p.tier === tier);
      const roles = [...new Set(inTier.map((p) => p.name.split("-").pop()))].join(", ");
      await step(`stopping ${inTier.length} process(es) (${roles})`, () =>
        Promise.all(inTier.map((p) => attempt(`stop ${p.name} (pid ${p.pid})`, () => stopProcess(p)))),
      );
    }
  }
  // One kind at a time, in the deleters' order (clusters before their
  // network); the objects of a kind at once: a run of suites side by side
  // leaves eight kind clusters, each a log export and a delete.
  const resources = (await listResources(runDir)).filter(mine);
  const kinds = [...deleters.map((d) => d.kind), ...resources.map((r) => r.kind)];
  for (const kind of new Set(kinds)) {
    const ofKind = resources.filter((r) => r.kind === kind);
    if (!ofKind.length) continue;
    await step(`deleting ${ofKind.length} ${kind}`, () => Promise.all(ofKind.map((r) => attempt(`delete ${r.kind} ${r.name}`, () => deleteResource(runDir, deleters, r)))));
  }
  return errors;
}

/**
 * Removes everything a run recorded: first it marks the run closing (nothing
 * new may start), then sweeps every owner's processes and kernel objects,
 * unmounts what is mounted under the run directory and removes it. Safe to
 * call twice.
 */
export async function sweepRun(runDir: string, deleters: readonly ResourceDeleter[]): Promise<string[]> {
  markClosing(runDir);
  const errors = await sweepRecorded(runDir, deleters);
  for (const [what, fn] of [
    [`unmount under ${runDir}`, () => unmountUnder(runDir)],
    [`remove ${runDir}`, () => rm(runDir, { recursive: true, force: true, maxRetries: 3 })],
  ] as const) {
    try {
      await timed(what, fn);
    } catch (err) {
      errors.push(`${what}: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
  if (errors.length) info(`cleanup of ${runDir} had ${errors.length} error(s):\n  ${errors.join("\n  ")}`);
  return errors;
}

/** Deletes one recorded object, then its record; a kind no provider deletes keeps its record and is an error. */
async function deleteResource(runDir: string, deleters: readonly ResourceDeleter[], r: ResourceRecord): Promise<void> {
  const deleter = deleters.find((d) => d.kind === r.kind);
  if (!deleter) throw new Error(`no provider deletes objects of kind ${r.kind} (known: ${deleters.map((d) => d.kind).join(", ")})`);
  await deleter.delete(r);
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
