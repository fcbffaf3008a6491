import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "@jest/globals";
import type { ProviderDefinition } from "../providers/definition";
import { pruneExportedLogs, scanExportedLogs } from "./after-run";

const root = mkdtempSync(join(tmpdir(), "ktc-exported-logs-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** A provider as scanExportedLogs sees it: only where its sweep exports logs. */
const exporting = { exportedLogsDir: () => root } as unknown as ProviderDefinition;

describe("the scan of the logs a sweep exported", () => {
  it("covers this run's clusters' folders, not those earlier runs left beside them", async () => {
    const token = "abcdef.0123456789abcdef";
    for (const cluster of ["ktc-aaaaaa-c0", "ktc-aaaaaa-c12", "ktc-bbbbbb-c0"]) {
      mkdirSync(join(root, cluster, "node"), { recursive: true });
      writeFileSync(join(root, cluster, "node", "kubelet.log"), `bootstrap with ${token}\n`);
    }
    const hits = await scanExportedLogs(exporting, "aaaaaa", [token]);
    expect(hits.map((h) => h.file.slice(root.length + 1)).sort()).toEqual(["ktc-aaaaaa-c0/node/kubelet.log", "ktc-aaaaaa-c12/node/kubelet.log"]);
  });

  it("a provider that exports nothing, or a run that exported nothing, has nothing to scan", async () => {
    expect(await scanExportedLogs({} as ProviderDefinition, "aaaaaa", ["x"])).toEqual([]);
    expect(await scanExportedLogs(exporting, "cccccc", ["x"])).toEqual([]);
  });

  it("before a run, the logs of runs that are over go; those of live or kept runs (a directory under the runs root) stay", async () => {
    const runsRoot = mkdtempSync(join(tmpdir(), "ktc-runs-root-"));
    mkdirSync(join(runsRoot, "aaaaaa"));
    mkdirSync(join(root, "ktc-dddddd-c3"), { recursive: true });
    mkdirSync(join(root, "not-a-cluster"), { recursive: true });
    await pruneExportedLogs(exporting, runsRoot);
    rmSync(runsRoot, { recursive: true, force: true });
    expect(["ktc-aaaaaa-c0", "ktc-aaaaaa-c12", "ktc-bbbbbb-c0", "ktc-dddddd-c3", "not-a-cluster"].filter((d) => existsSync(join(root, d)))).toEqual(["ktc-aaaaaa-c0", "ktc-aaaaaa-c12", "not-a-cluster"]);
  });
});
