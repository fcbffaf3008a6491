/**
 * The pool's claims when suites run side by side: one bring-up per spec,
 * everyone gets that cluster, and a failed bring-up is retried by one waiter
 * (as a later suite of a serial run would), never by all of them at once.
 * The provider is a fake: this is the pool's own logic over the real file
 * system, not a conformance claim.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "@jest/globals";
import type { Cluster, ClusterProvider } from "../providers/provider";
import { defaultClusterSpec } from "../providers/spec";
import { acquireCluster } from "./cluster-pool";

const scratch = mkdtempSync(join(tmpdir(), "ktc-pool-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** A provider whose bring-ups finish when the test says so. */
class GatedProvider implements ClusterProvider {
  readonly name = "fake";
  created = 0;
  private gates: { resolve: () => void; reject: (e: Error) => void }[] = [];

  async create(): Promise<Cluster> {
    const n = ++this.created;
    await new Promise<void>((resolve, reject) => this.gates.push({ resolve, reject }));
    return { name: `c${n}`, handle: `handle-${n}` } as Cluster;
  }
  async attach(handle: string): Promise<Cluster> {
    return { name: handle, handle } as Cluster;
  }
  /** Settles the oldest bring-up in flight, once one has started. */
  async settle(outcome: "up" | "fail"): Promise<void> {
    while (!this.gates.length) await new Promise((r) => setImmediate(r));
    const g = this.gates.shift()!;
    if (outcome === "up") g.resolve();
    else g.reject(new Error("bring-up failed"));
  }
}

describe("the cluster pool", () => {
  it("brings a spec's cluster up once for suites that claim it at the same time", async () => {
    const runDir = mkdtempSync(join(scratch, "run-"));
    const provider = new GatedProvider();
    const claims = Array.from({ length: 6 }, () => acquireCluster(runDir, provider, defaultClusterSpec()));
    await provider.settle("up");
    const handles = (await Promise.all(claims)).map((c) => c.handle);
    expect({ created: provider.created, handles: [...new Set(handles)] }).toEqual({ created: 1, handles: ["handle-1"] });
  });

  it("keeps different specs apart", async () => {
    const runDir = mkdtempSync(join(scratch, "run-"));
    const provider = new GatedProvider();
    const a = acquireCluster(runDir, provider, defaultClusterSpec());
    const b = acquireCluster(runDir, provider, defaultClusterSpec({ signingDurationSeconds: 180 }));
    await provider.settle("up");
    await provider.settle("up");
    expect(new Set([(await a).handle, (await b).handle]).size).toBe(2);
  });

  it("after a failed bring-up, one waiter tries again and the others share its cluster", async () => {
    const runDir = mkdtempSync(join(scratch, "run-"));
    const provider = new GatedProvider();
    const claims = Array.from({ length: 4 }, () => acquireCluster(runDir, provider, defaultClusterSpec()).then((c) => c.handle, (e: Error) => `error: ${e.message}`));
    await provider.settle("fail");
    await provider.settle("up");
    const outcomes = await Promise.all(claims);
    expect({ created: provider.created, outcomes: outcomes.sort() }).toEqual({
      created: 2,
      outcomes: ["error: bring-up failed", "handle-2", "handle-2", "handle-2"],
    });
  });
});
