import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "@jest/globals";
import { listResources, recordResource, type ResourceRecord } from "../run/resources";
import type { ClusterStateBase } from "./cluster-state";
import { createCluster, type ClusterDraft, type ControlPlaneUp, type CreateSteps } from "./create-cluster";
import type { Cluster } from "./provider";
import { defaultClusterSpec } from "./spec";

/** Only files in a scratch run directory: no process, namespace or container is made. */
const scratch = mkdtempSync(join(tmpdir(), "ktc-create-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function newRunDir(runId: string): string {
  const runDir = join(scratch, runId);
  mkdirSync(runDir);
  writeFileSync(join(runDir, "owner.json"), "{}"); // an open run (closing.ts)
  return runDir;
}

interface FakeState extends ClusterStateBase {
  network: string;
}

/** Steps that log their calls; `failIn` throws from that step after recording an object. */
function fakeSteps(failIn?: "controlPlane") {
  const calls: string[] = [];
  const deleted: ResourceRecord[] = [];
  let draft: ClusterDraft | undefined;
  const steps: CreateSteps<string, ControlPlaneUp, FakeState> = {
    provider: "fake",
    deleters: [{ kind: "fake-object", delete: async (r) => void deleted.push(r) }],
    preflight: async () => void calls.push("preflight"),
    network: async (c) => {
      calls.push("network");
      draft = c;
      return "net0";
    },
    controlPlane: async (c) => {
      calls.push("controlPlane");
      await recordResource(c.runDir, { kind: "fake-object", name: "apiserver", owner: c.name });
      if (failIn === "controlPlane") throw new Error("the API server would not start");
      return { apiServerUrl: "https://10.0.0.1:6443", adminKubeconfigPath: "/x/admin.kubeconfig", caCertPem: "CA", timingsMs: { apiserver: 1 } };
    },
    versions: async () => {
      calls.push("versions");
      return { kubelet: "v1.37.2" };
    },
    state: async (_c, network) => {
      calls.push("state");
      return { network };
    },
    attach: (state) => {
      calls.push("attach");
      return { name: state.name } as Cluster;
    },
  };
  return { steps, calls, deleted, draft: () => draft! };
}

describe("the create skeleton every provider's bring-up runs", () => {
  it("runs the named steps in order and saves the state with the provider's fields", async () => {
    const runDir = newRunDir("a1b2c3");
    const fake = fakeSteps();
    const cluster = await createCluster(runDir, defaultClusterSpec(), fake.steps);
    expect(fake.calls).toEqual(["preflight", "network", "controlPlane", "versions", "state", "attach"]);
    expect(cluster.name).toBe("ktc-a1b2c3-c0");
    const d = fake.draft();
    expect({ dir: d.dir, index: d.index, line: d.tokenFileLine }).toEqual({
      dir: join(runDir, "c0"),
      index: 0,
      line: `${d.tokenFileToken},kubelet-bootstrap,10001,"system:kubelet-bootstrap"`,
    });
    const saved = JSON.parse(readFileSync(join(runDir, "c0", "cluster.json"), "utf8")) as FakeState;
    expect(saved).toMatchObject({ name: "ktc-a1b2c3-c0", network: "net0", apiServerUrl: "https://10.0.0.1:6443", caCertPem: "CA", versions: { kubelet: "v1.37.2" } });
    expect(Object.keys(saved.timingsMs).sort()).toEqual(["apiserver", "total"]);
  });

  it("removes what a failed step recorded, with the provider's deleters, and throws the step's error", async () => {
    const runDir = newRunDir("d4e5f6");
    const fake = fakeSteps("controlPlane");
    await expect(createCluster(runDir, defaultClusterSpec(), fake.steps)).rejects.toThrow("the API server would not start");
    expect(fake.calls).toEqual(["preflight", "network", "controlPlane"]);
    expect(fake.deleted.map((r) => `${r.kind} ${r.name} of ${r.owner}`)).toEqual(["fake-object apiserver of ktc-d4e5f6-c0"]);
    expect(await listResources(runDir)).toEqual([]);
  });
});
