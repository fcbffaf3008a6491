import type { StartedTestContainer } from "testcontainers";
import { ExecError } from "../errors";
import { eventually } from "../wait/eventually";
import { Timeouts } from "../wait/timeouts";
import type { CertDirEntry, Node } from "../providers/provider";
import type { BootstrapCredential } from "../providers/spec";

/** Paths of a kubeadm-style node (kind's 10-kubeadm.conf drop-in). */
export const KUBEADM_NODE_PATHS = {
  certDir: "/var/lib/kubelet/pki",
  kubeconfig: "/etc/kubernetes/kubelet.conf",
  bootstrapKubeconfig: "/etc/kubernetes/bootstrap-kubelet.conf",
  caFile: "/etc/kubernetes/pki/ca.crt",
  kubeletConfig: "/var/lib/kubelet/config.yaml",
  flagsEnv: "/var/lib/kubelet/kubeadm-flags.env",
} as const;

const FIND_FORMAT = "%f\\t%y\\t%m\\t%l\\t%s\\n";

/** One line of `find -printf '%f\t%y\t%m\t%l\t%s\n'` as a cert-dir entry. */
export function parseFindLine(line: string): CertDirEntry {
  const [name, y, mode, link, size] = line.split("\t");
  const type: CertDirEntry["type"] = y === "f" ? "file" : y === "l" ? "symlink" : y === "d" ? "dir" : "other";
  return { name: name!, type, mode: mode!, size: Number(size), ...(type === "symlink" ? { linkTarget: link } : {}) };
}

export interface ContainerNodeInit {
  name: string;
  credential: BootstrapCredential;
  bootstrapUser: string;
  address: string;
  container: StartedTestContainer;
  /** Removes the container and its volumes, and forgets its record. */
  remove: () => Promise<void>;
}

/** A kubelet in a node container; its files are read with `docker exec`. */
export class ContainerNode implements Node {
  private stopped = false;

  constructor(private readonly i: ContainerNodeInit) {}

  get name() { return this.i.name; }
  get credential() { return this.i.credential; }
  get bootstrapUser() { return this.i.bootstrapUser; }
  get address() { return this.i.address; }
  get certDir() { return KUBEADM_NODE_PATHS.certDir; }
  get kubeconfigPath() { return KUBEADM_NODE_PATHS.kubeconfig; }

  /** Runs a command in the node; a non-zero exit throws with its output. */
  private async exec(argv: string[]): Promise<string> {
    const r = await this.i.container.exec(argv);
    if (r.exitCode !== 0) {
      throw new ExecError(`in node ${this.name}: ${argv.join(" ")} exited ${r.exitCode}: ${(r.stderr || r.stdout).trim()}`);
    }
    return r.stdout;
  }

  async listCertDir(): Promise<CertDirEntry[]> {
    const out = await this.exec(["find", this.certDir, "-mindepth", "1", "-maxdepth", "1", "-printf", FIND_FORMAT]);
    return out.split("\n").filter(Boolean).map(parseFindLine).sort((a, b) => a.name.localeCompare(b.name));
  }

  async stat(path: string): Promise<CertDirEntry> {
    const out = await this.exec(["find", path, "-maxdepth", "0", "-printf", FIND_FORMAT]);
    return parseFindLine(out.split("\n")[0]!);
  }

  readFile(path: string): Promise<string> {
    return this.exec(["cat", path]);
  }

  async exists(path: string): Promise<boolean> {
    // Like lstat: a dangling symlink exists.
    return (await this.i.container.exec(["sh", "-c", 'test -e "$1" || test -L "$1"', "sh", path])).exitCode === 0;
  }

  async removeFile(path: string): Promise<void> {
    await this.exec(["rm", "-f", path]);
  }

  async kubeletLogTail(lines: number): Promise<string> {
    return (await this.i.container.exec(["journalctl", "-u", "kubelet", "--no-pager", "-o", "cat", "-n", String(lines)])).stdout;
  }

  /** The kubelet unit's journal: the container booted with the node, so it holds everything since the node started. */
  async kubeletLog(): Promise<string> {
    const r = await this.i.container.exec(["journalctl", "-u", "kubelet", "--no-pager", "-o", "short-iso-precise"]);
    return r.exitCode === 0 ? r.stdout : `(journalctl -u kubelet failed: ${r.stderr.trim()})`;
  }

  async kubeletStatus(): Promise<string> {
    const r = await this.i.container.exec(["systemctl", "show", "kubelet", "-p", "ActiveState,SubState,MainPID,ExecMainStatus,NRestarts"]);
    if (r.exitCode !== 0) return `unknown (systemctl: ${r.stderr.trim()})`;
    const p = Object.fromEntries(r.stdout.trim().split("\n").map((l) => l.split("=", 2) as [string, string]));
    if (p.ActiveState === "active") return `running (pid ${p.MainPID}, ${p.NRestarts ?? 0} restarts)`;
    return `${p.ActiveState}/${p.SubState} (last exit status ${p.ExecMainStatus}); last log line: ${(await this.kubeletLogTail(1)).trim()}`;
  }

  async restartKubelet(): Promise<void> {
    await this.exec(["systemctl", "restart", "kubelet"]);
    // kubeadm's kubelet config binds healthz to 127.0.0.1, so it is probed from inside the node.
    await eventually(
      async () => ((await this.i.container.exec(["curl", "-sf", "http://127.0.0.1:10248/healthz"])).exitCode === 0 ? true : undefined),
      { what: `restarted kubelet of node ${this.name} to answer http://127.0.0.1:10248/healthz`, timeoutMs: Timeouts.kubeletRestart },
    );
  }

  /**
   * As certificate_store.go Update, in the node: a timestamped file (0600,
   * created only if no file has that name: the kubelet may have written one
   * that second), then a new symlink renamed over kubelet-client-current.pem.
   * The pair is staged beside the cert dir, not in /tmp: docker's archive API
   * writes under a tmpfs mount, where the node does not see it.
   */
  async installClientCertificate(pem: string): Promise<string> {
    const staged = `${this.certDir}/../ktc-client-${Date.now()}.pem`;
    await this.i.container.copyContentToContainer([{ content: pem, target: staged, mode: 0o600 }]);
    const script = [
      'set -e; umask 077; dir="$1"; staged="$2"; t=$(date -u +%s)',
      '[ -s "$staged" ] || { echo "the staged certificate $staged is not in the node" >&2; exit 1; }',
      "while :; do",
      '  f="$dir/kubelet-client-$(date -u -d "@$t" +%Y-%m-%d-%H-%M-%S).pem"',
      '  if [ ! -e "$f" ] && (set -C; cat "$staged" > "$f") 2>/dev/null; then break; fi',
      '  [ -e "$f" ] || { echo "cannot create $f" >&2; exit 1; }',
      "  t=$((t + 1))",
      "done",
      'rm -f "$staged" "$dir/kubelet-client-updated.pem"; ln -s "$f" "$dir/kubelet-client-updated.pem"; mv -T "$dir/kubelet-client-updated.pem" "$dir/kubelet-client-current.pem"; echo "$f"',
    ].join("\n");
    return (await this.exec(["sh", "-c", script, "sh", this.certDir, staged])).trim();
  }

  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    await this.i.remove();
  }
}
