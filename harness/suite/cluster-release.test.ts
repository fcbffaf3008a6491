/**
 * When a pooled cluster goes: once every suite of the run has declared and
 * every user of it is done, by its last user or, if that user ended before
 * the last suite was collected, by the suite whose collection completed the
 * declarations. The provider is a fake that records what it destroyed: this is
 * the release's own logic over the real file system, not a conformance claim.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "@jest/globals";
import type { Cluster, ClusterProvider } from "../providers/provider";
import { defaultClusterSpec } from "../providers/spec";
import { acquireCluster } from "./cluster-pool";
import { declareUser, finishUse, releaseUnneededClusters } from "./cluster-release";
import { markSuiteDeclared } from "./suite-declarations";

const scratch = mkdtempSync(join(tmpdir(), "ktc-release-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

class RecordingProvider implements ClusterProvider {
  readonly name = "fake";
  readonly destroyed: string[] = [];
  private n = 0;
  async create(): Promise<Cluster> {
    const handle = `c${++this.n}`;
    return { name: handle, handle } as Cluster;
  }
  async attach(handle: string): Promise<Cluster> {
    return { name: handle, handle, destroy: async () => void this.destroyed.push(handle) } as unknown as Cluster;
  }
}

const suites = ["lifetime", "certdir"];
const lifetimeOnly = defaultClusterSpec({ signingDurationSeconds: 7200 });
const shared = defaultClusterSpec();

describe("releasing pooled clusters", () => {
  it("a cluster whose only suite ended before the last suite was collected goes when that suite is collected, not at the final sweep", async () => {
    const runDir = mkdtempSync(join(scratch, "run-"));
    const provider = new RecordingProvider();
    // lifetime is collected and runs: its own cluster and the shared one.
    const ownDone = declareUser(runDir, lifetimeOnly, "lifetime");
    const sharedDone = declareUser(runDir, shared, "lifetime");
    markSuiteDeclared(runDir, "lifetime");
    await acquireCluster(runDir, provider, lifetimeOnly);
    await acquireCluster(runDir, provider, shared);
    // It ends while certdir has not been collected yet: nothing can go.
    expect(await finishUse({ runDir, spec: lifetimeOnly, doneMarker: ownDone, suites, provider })).toBe(false);
    expect(await finishUse({ runDir, spec: shared, doneMarker: sharedDone, suites, provider })).toBe(false);
    expect(provider.destroyed).toEqual([]);
    // certdir is collected (it uses the shared cluster): lifetime's own cluster goes, the shared one stays.
    const certdirDone = declareUser(runDir, shared, "certdir");
    markSuiteDeclared(runDir, "certdir");
    expect(await releaseUnneededClusters({ runDir, suites, provider })).toEqual(["c1"]);
    // A second look (another suite collected at the same moment) releases nothing twice.
    expect(await releaseUnneededClusters({ runDir, suites, provider })).toEqual([]);
    expect(await finishUse({ runDir, spec: shared, doneMarker: certdirDone, suites, provider })).toBe(true);
    expect(provider.destroyed).toEqual(["c1", "c2"]);
  });

  it("keeps a cluster a suite still uses, and one that never came up", async () => {
    const runDir = mkdtempSync(join(scratch, "run-"));
    const provider = new RecordingProvider();
    declareUser(runDir, shared, "lifetime");
    const done = declareUser(runDir, lifetimeOnly, "certdir");
    markSuiteDeclared(runDir, "lifetime");
    markSuiteDeclared(runDir, "certdir");
    await acquireCluster(runDir, provider, shared);
    // lifetimeOnly's user is done but its cluster was never brought up (its checks were skipped).
    expect(await finishUse({ runDir, spec: lifetimeOnly, doneMarker: done, suites, provider })).toBe(false);
    expect(await releaseUnneededClusters({ runDir, suites, provider })).toEqual([]);
    expect(provider.destroyed).toEqual([]);
  });
});
