import { lstat, readdir, readFile, readlink, rename, rm, symlink, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { Daemon } from "../exec/daemon";
import { run } from "../exec/command";
import { info } from "../log";
import type { CertDirEntry, Node } from "../providers/provider";
import type { BootstrapCredential } from "../providers/spec";
import { inNetns, deleteNodeNetwork, type NodeNetwork } from "./network";
import type { NodeLayout } from "./node-config";
import { cgroupDriverSource, judgeCgroupDriverSource, type CgroupDriverSource } from "../runtime/cgroup-driver-source";
import { logTail, waitForDaemon } from "../exec/wait-daemon";
import { Timeouts } from "../wait/timeouts";

/** Stop order of a node's processes in a run's sweep (higher tiers stop first): after its cluster's components' (0–2). */
export const NODE_TIER = { containerd: 3, kubelet: 4 } as const;

export interface LocalNodeInit {
  runDir: string;
  name: string;
  /** The cluster name: owner of the node's records, prefix of its process names. */
  owner: string;
  credential: BootstrapCredential;
  bootstrapUser: string;
  layout: NodeLayout;
  network: NodeNetwork;
  containerdArgv: string[];
  /** The ctr of that containerd, to probe its socket. */
  ctr: string;
  /**
   * The runtime implements the CRI RuntimeConfig call (containerd 2), so the
   * kubelet must take its cgroup driver from it; false only for a containerd
   * 1.x the user asked for (KTC_CONTAINERD_BIN).
   */
  runtimeConfigExpected: boolean;
  kubeletArgv: string[];
}

function typeOf(s: Awaited<ReturnType<typeof lstat>>): CertDirEntry["type"] {
  if (s.isSymbolicLink()) return "symlink";
  if (s.isFile()) return "file";
  if (s.isDirectory()) return "dir";
  return "other";
}

/**
 * A kubelet and its containerd running as local processes inside the node's
 * network namespace. Its files are local files.
 */
export class LocalNode implements Node {
  private containerd: Daemon | undefined;
  private kubelet: Daemon | undefined;
  private stopped = false;

  constructor(private readonly i: LocalNodeInit) {}

  get name() { return this.i.name; }
  get credential() { return this.i.credential; }
  get certDir() { return this.i.layout.certDir; }
  get kubeconfigPath() { return this.i.layout.kubeconfig; }
  get bootstrapUser() { return this.i.bootstrapUser; }
  get address() { return this.i.network.address; }

  async start(): Promise<void> {
    this.containerd = await Daemon.start(this.i.runDir, {
      name: `${this.i.owner}-${this.i.name}-containerd`,
      owner: this.i.owner,
      tier: NODE_TIER.containerd,
      argv: inNetns(this.i.network.netns, this.i.containerdArgv),
      logPath: join(this.i.layout.dir, "logs", "containerd.log"),
    });
    await waitForDaemon(this.containerd, () => run([this.i.ctr, "--address", this.i.layout.containerdSocket, "version"]).then(() => true), {
      what: `containerd of node ${this.name} to answer on ${this.i.layout.containerdSocket}`,
      timeoutMs: Timeouts.componentReady,
    });
    await this.startKubelet();
    await this.checkCgroupDriverSource();
  }

  /**
   * Waits for the kubelet to say where its cgroup driver came from (it does so
   * right after connecting to the runtime, while the bootstrap goes on in the
   * background) and refuses the RuntimeConfig fallback when the runtime should
   * answer that call: a kubelet 1.38 would not start at all on such a runtime.
   */
  private async checkCgroupDriverSource(): Promise<void> {
    const logs = join(this.i.layout.dir, "logs");
    let seen: CgroupDriverSource | undefined;
    await waitForDaemon(this.kubelet!, async () => (seen = cgroupDriverSource(await readFile(join(logs, "kubelet.log"), "utf8").catch(() => ""))) !== undefined, {
      what: `kubelet of node ${this.name} to log where its cgroup driver comes from (server.go getCgroupDriverFromCRI)`,
      timeoutMs: Timeouts.componentReady,
    });
    info(
      judgeCgroupDriverSource(seen!, {
        node: this.name,
        runtimeConfigExpected: this.i.runtimeConfigExpected,
        containerd: this.i.containerdArgv[0]!,
        containerdLog: join(logs, "containerd.log"),
      }),
    );
  }

  private async startKubelet(): Promise<void> {
    this.kubelet = await Daemon.start(this.i.runDir, {
      name: `${this.i.owner}-${this.i.name}-kubelet`,
      owner: this.i.owner,
      tier: NODE_TIER.kubelet,
      argv: inNetns(this.i.network.netns, this.i.kubeletArgv),
      logPath: join(this.i.layout.dir, "logs", "kubelet.log"),
    });
  }

  async listCertDir(): Promise<CertDirEntry[]> {
    const names = (await readdir(this.certDir)).sort();
    return Promise.all(names.map((name) => this.stat(join(this.certDir, name))));
  }

  async stat(path: string): Promise<CertDirEntry> {
    const s = await lstat(path);
    return {
      name: path.split("/").pop()!,
      type: typeOf(s),
      mode: (s.mode & 0o777).toString(8),
      size: s.size,
      ...(s.isSymbolicLink() ? { linkTarget: await readlink(path) } : {}),
    };
  }

  readFile(path: string): Promise<string> {
    return readFile(path, "utf8");
  }

  async exists(path: string): Promise<boolean> {
    return lstat(path).then(() => true, () => false);
  }

  removeFile(path: string): Promise<void> {
    return rm(path, { force: true });
  }

  kubeletLogTail(lines: number): Promise<string> {
    return logTail(join(this.i.layout.dir, "logs", "kubelet.log"), lines);
  }

  /** The log file is opened for appending at every (re)start, so it is the whole log since the node started. */
  kubeletLog(): Promise<string> {
    const path = join(this.i.layout.dir, "logs", "kubelet.log");
    return readFile(path, "utf8").catch(() => `(no log at ${path})`);
  }

  async kubeletStatus(): Promise<string> {
    if (!this.kubelet) return "not started";
    const exit = this.kubelet.exitStatus;
    if (!exit) return `running (pid ${this.kubelet.record.pid})`;
    return `exited (code ${exit.code}, signal ${exit.signal}); last log line: ${(await this.kubeletLogTail(1)).trim()}`;
  }

  async restartKubelet(): Promise<void> {
    await this.kubelet?.stop();
    await this.startKubelet();
    const daemon = this.kubelet!;
    await waitForDaemon(daemon, async () => (await fetch(`http://${this.address}:10248/healthz`)).ok, {
      what: `restarted kubelet of node ${this.name} to answer http://${this.address}:10248/healthz`,
      timeoutMs: Timeouts.kubeletRestart,
    });
  }

  /**
   * As certificate_store.go Update: a timestamped file (0600), then a new
   * symlink renamed over kubelet-client-current.pem. The stamp is the first
   * second from now without a file: the kubelet may have written one this second.
   */
  async installClientCertificate(pem: string): Promise<string> {
    for (let t = Date.now(); ; t += 1000) {
      const stamp = new Date(t).toISOString().replace(/\.\d+Z$/, "").replace(/[T:]/g, "-");
      const file = join(this.certDir, `kubelet-client-${stamp}.pem`);
      try {
        await writeFile(file, pem, { mode: 0o600, flag: "wx" });
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === "EEXIST") continue;
        throw err;
      }
      return this.pointCurrentAt(file);
    }
  }

  private async pointCurrentAt(file: string): Promise<string> {
    const updated = join(this.certDir, "kubelet-client-updated.pem");
    await rm(updated, { force: true });
    await symlink(file, updated);
    await rename(updated, join(this.certDir, "kubelet-client-current.pem"));
    return file;
  }

  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    await this.kubelet?.stop();
    await this.containerd?.stop();
    await deleteNodeNetwork(this.i.runDir, this.i.network);
  }
}
