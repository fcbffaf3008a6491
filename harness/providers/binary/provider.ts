import { join } from "node:path";
import { run } from "../../exec/command";
import { bootstrapGroup, TOKEN_FILE_UID, TOKEN_FILE_USER } from "../../kube/seed-bindings";
import { info, timed } from "../../log";
import { claimClusterDir, runIdOf } from "../../run/run-dir";
import { sweepRecorded } from "../../run/sweep";
import { BINARY_RESOURCE_DELETERS } from "./resource-deleters";
import { registerSecret } from "../../report/redact";
import type { Cluster, ClusterProvider, ComponentVersions } from "../provider";
import type { ClusterSpec } from "../spec";
import type { Fault } from "../fault-injection";
import { BinaryCluster, loadState, saveState } from "./cluster";
import { newStaticToken, tokenFileLine } from "../../kube/token-file";
import { startControlPlane } from "./control-plane";
import { createClusterNetwork } from "./network";
import { binaryPreflight } from "./preflight";
import { resolveNodeRuntime, type NodeRuntime } from "../../runtime/node-runtime";

export interface BinaryProviderOptions {
  runDir: string;
  binDir: string;
  etcdBin: string;
  /** Negative controls only: every cluster this provider makes carries them. */
  faults: Fault[];
}

async function firstLine(argv: string[]): Promise<string> {
  return (await run(argv)).stdout.split("\n")[0]!.trim();
}

/**
 * A real control plane (etcd, kube-apiserver, kube-controller-manager) and
 * kubelets with containerd, all as local processes, as in a binary install.
 */
export class BinaryProvider implements ClusterProvider {
  readonly name = "binary";
  private runtimeOnce: Promise<NodeRuntime> | undefined;

  constructor(private readonly o: BinaryProviderOptions) {}

  preflight(): Promise<void> {
    return binaryPreflight(this.o.etcdBin);
  }

  /** The node runtime the CLI built (or the user named) before the suites started. */
  private runtime(): Promise<NodeRuntime> {
    this.runtimeOnce ??= resolveNodeRuntime({ build: false });
    return this.runtimeOnce;
  }

  async versions(): Promise<ComponentVersions> {
    const k = (b: string) => firstLine([join(this.o.binDir, b), "--version"]);
    const runtime = await this.runtime();
    return {
      "kube-apiserver": await k("kube-apiserver"),
      "kube-controller-manager": await k("kube-controller-manager"),
      kubelet: await k("kubelet"),
      etcd: await firstLine([this.o.etcdBin, "--version"]),
      containerd: await firstLine([runtime.containerd, "--version"]),
      runc: await firstLine([runtime.runc, "--version"]),
    };
  }

  async create(spec: ClusterSpec): Promise<Cluster> {
    await this.preflight();
    const runtime = await this.runtime();
    const { index, dir } = await claimClusterDir(this.o.runDir);
    const runId = runIdOf(this.o.runDir);
    const name = `ktc-${runId}-c${index}`;
    info(`creating binary cluster ${name} in ${dir}`);
    try {
      const network = await createClusterNetwork(this.o.runDir, `ktc${runId}c${index}`, name);
      const tokenFileToken = newStaticToken();
      registerSecret(tokenFileToken);
      const { value: cp, ms } = await timed(`bringing up control plane of ${name}`, () =>
        startControlPlane({
          runDir: this.o.runDir,
          owner: name,
          dir,
          binDir: this.o.binDir,
          etcdBin: this.o.etcdBin,
          apiServerIp: network.gateway,
          spec,
          faults: this.o.faults,
          tokenFileLines: [tokenFileLine(tokenFileToken, TOKEN_FILE_USER, TOKEN_FILE_UID, [bootstrapGroup(spec.bindingStyle)])],
        }),
      );
      const state = {
        name,
        index,
        runDir: this.o.runDir,
        dir,
        binDir: this.o.binDir,
        spec,
        network,
        runtime,
        faults: this.o.faults,
        apiServerUrl: cp.apiServerUrl,
        adminKubeconfigPath: cp.adminKubeconfigPath,
        caCertPem: cp.pki.caCertPem,
        tokenFileToken,
        versions: await this.versions(),
        timingsMs: { ...cp.timingsMs, total: ms },
      };
      await saveState(state);
      return new BinaryCluster(state);
    } catch (err) {
      // Undo a half-made cluster now rather than leave it running for the other suites.
      info(`bring-up of ${name} failed; removing what was started`);
      await sweepRecorded(this.o.runDir, BINARY_RESOURCE_DELETERS, name);
      throw err;
    }
  }

  async attach(handle: string): Promise<Cluster> {
    return new BinaryCluster(await loadState(handle));
  }
}
