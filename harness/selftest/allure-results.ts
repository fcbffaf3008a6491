import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

/** One Allure result file, as far as the harness's own tests read it. */
export interface ResultJson {
  name: string;
  status: string;
  statusDetails?: { message?: string };
  labels: { name: string; value: string }[];
  parameters?: { name: string; value: string }[];
  attachments?: { name: string; source: string }[];
  steps?: { attachments?: { name: string; source: string }[] }[];
}

export function readResults(dir: string): ResultJson[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith("-result.json"))
    .map((f) => JSON.parse(readFileSync(join(dir, f), "utf8")) as ResultJson);
}

/** Names of a result's attachments, its own and its steps'. */
export function attachmentNames(r: ResultJson): string[] {
  return [...(r.attachments ?? []), ...(r.steps ?? []).flatMap((s) => s.attachments ?? [])].map((a) => a.name);
}

/** The text of a result's attachment, by name. */
export function attachmentText(dir: string, r: ResultJson, name: string): string | undefined {
  const a = [...(r.attachments ?? []), ...(r.steps ?? []).flatMap((s) => s.attachments ?? [])].find((x) => x.name === name);
  return a ? readFileSync(join(dir, a.source), "utf8") : undefined;
}

export function parametersOf(r: ResultJson): Record<string, string> {
  return Object.fromEntries((r.parameters ?? []).map((p) => [p.name, p.value]));
}
