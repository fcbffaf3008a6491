import { mkdir, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { assertOpen } from "./closing";

/**
 * Objects a run creates that do not live in its directory (network
 * namespaces, containers, ...). Each is recorded before it is created, so a
 * sweep finds it even when creation was interrupted half-way. The kinds are
 * the providers' own: each provider registers a deleter per kind it records
 * (ResourceDeleter), so `npm run cleanup` removes them from the records alone.
 */
export interface ResourceRecord {
  /** The provider's name for this kind of object, e.g. "netns" or "container". */
  kind: string;
  name: string;
  /** The cluster it belongs to (see ProcessRecord.owner). */
  owner: string;
  /** What deleting it needs besides its name (kind-cluster: kindBin, network, logsDir). */
  detail?: Record<string, string>;
}

/**
 * How one kind of recorded object is deleted, from its record alone (the run
 * that made it may be long gone). Deleting what no longer exists is no error.
 */
export interface ResourceDeleter {
  readonly kind: string;
  delete(r: ResourceRecord): Promise<void>;
}

function dir(runDir: string): string {
  return join(runDir, "resources");
}

function file(runDir: string, r: Pick<ResourceRecord, "kind" | "name">): string {
  return join(dir(runDir), `${r.kind}-${r.name}.json`);
}

export async function recordResource(runDir: string, r: ResourceRecord): Promise<void> {
  assertOpen(runDir, `${r.kind} ${r.name}`);
  await mkdir(dir(runDir), { recursive: true });
  await writeFile(file(runDir, r), JSON.stringify(r));
}

export async function forgetResource(runDir: string, r: Pick<ResourceRecord, "kind" | "name">): Promise<void> {
  await rm(file(runDir, r), { force: true });
}

export async function listResources(runDir: string): Promise<ResourceRecord[]> {
  let names: string[];
  try {
    names = await readdir(dir(runDir));
  } catch {
    return [];
  }
  const out: ResourceRecord[] = [];
  for (const n of names) {
    try {
      out.push(JSON.parse(await readFile(join(dir(runDir), n), "utf8")) as ResourceRecord);
    } catch {
      // Interrupted write: the object it names was never created.
    }
  }
  return out;
}
