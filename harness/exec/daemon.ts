import { mkdir, open } from "node:fs/promises";
import { dirname } from "node:path";
import { spawn, type ChildProcess } from "node:child_process";
import { closeSync, openSync } from "node:fs";
import { ExecError } from "../errors";
import { assertOpen, isClosing } from "../run/closing";
import { info } from "../log";
import { eventually } from "../wait/eventually";
import { prettyCommand, tail } from "./command";
import { DEFAULT_STOP_GRACE_MS, forgetProcess, isAlive, processStartTime, recordProcess, type ProcessRecord } from "./process-table";

export interface DaemonSpec {
  /** Unique within the run, e.g. "kube-apiserver" or "kubelet-node-a". */
  name: string;
  /** See ProcessRecord.owner. */
  owner: string;
  /** See ProcessRecord.tier. */
  tier: number;
  argv: string[];
  logPath: string;
  env?: Record<string, string>;
  /** See ProcessRecord.stopGraceMs. */
  stopGraceMs?: number;
}

export interface ExitInfo {
  code: number | null;
  signal: string | null;
}

/**
 * A long-running process of the cluster (etcd, kube-apiserver, a kubelet...).
 * It runs in its own process group (detached) so that a Ctrl-C aimed at the
 * harness does not kill it before the harness has collected logs and torn
 * things down in order; the run's process table makes sure it is stopped.
 */
export class Daemon {
  private exitInfo: ExitInfo | undefined;
  readonly exited: Promise<ExitInfo>;

  private constructor(
    readonly record: ProcessRecord,
    private readonly runDir: string,
    exited: Promise<ExitInfo>,
  ) {
    this.exited = exited.then((e) => (this.exitInfo = e));
  }

  static async start(runDir: string, spec: DaemonSpec): Promise<Daemon> {
    assertOpen(runDir, spec.name);
    await mkdir(dirname(spec.logPath), { recursive: true });
    // The daemon writes straight into its log file through its own descriptor.
    // (execa's `{file}` output is piped through this process, so a daemon kept
    // with --keep would die of SIGPIPE once the harness exits.)
    const fd = openSync(spec.logPath, "a");
    const [file, ...args] = spec.argv;
    let child: ChildProcess;
    try {
      child = spawn(file!, args, { detached: true, stdio: ["ignore", fd, fd], env: spec.env ?? process.env });
    } finally {
      closeSync(fd);
    }
    const exited = new Promise<ExitInfo>((resolve) => {
      child.once("exit", (code, signal) => resolve({ code, signal }));
      child.once("error", () => resolve({ code: null, signal: null }));
    });
    const pid = child.pid;
    if (pid === undefined) {
      const why = await new Promise<string>((resolve) => child.once("error", (e) => resolve(e.message)));
      throw new ExecError(`could not start ${spec.name}: ${why}`, { hint: `is ${file} installed and executable?` });
    }
    // The daemon belongs to the run (its record), not to this process: a jest
    // worker that created a pooled cluster must be able to exit while the
    // cluster keeps serving other suites until the run's sweep.
    child.unref();
    const record: ProcessRecord = {
      name: spec.name,
      owner: spec.owner,
      tier: spec.tier,
      pid,
      startTime: processStartTime(pid) ?? "unknown",
      argv: spec.argv,
      logPath: spec.logPath,
      stopGraceMs: spec.stopGraceMs,
    };
    await recordProcess(runDir, record);
    if (isClosing(runDir)) {
      // The sweep began while this process was being spawned; it may have
      // listed the run's processes already, so this one stops itself.
      await stopProcess(record, 5_000, exited);
      assertOpen(runDir, spec.name);
    }
    info(`started ${spec.name} (pid ${pid}), log ${spec.logPath}`);
    return new Daemon(record, runDir, exited);
  }

  get name(): string {
    return this.record.name;
  }

  /** The exit status if the process has ended, for error messages. */
  get exitStatus(): ExitInfo | undefined {
    return this.exitInfo;
  }

  describeCommand(): string {
    return prettyCommand(this.record.argv);
  }

  /** SIGTERM, then SIGKILL after the grace period (the record's own by default); idempotent. */
  async stop(graceMs?: number): Promise<void> {
    await stopProcess(this.record, graceMs, this.exited);
    await forgetProcess(this.runDir, this.record.name);
  }
}

function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    try {
      process.kill(pid, signal);
    } catch {
      // Already gone.
    }
  }
}

/** The last `lines` lines of a log file (read from its last 16 KiB), or why there are none. */
async function logTail(path: string, lines: number): Promise<string> {
  try {
    const f = await open(path, "r");
    try {
      const { size } = await f.stat();
      const length = Math.min(size, 16 * 1024);
      const { buffer } = await f.read(Buffer.alloc(length), 0, length, size - length);
      return tail(buffer.toString("utf8"), lines).replace(/^/gm, "  ");
    } finally {
      await f.close();
    }
  } catch (err) {
    return `  (not readable: ${(err as Error).message})`;
  }
}

/**
 * Stops a recorded process and its process group: SIGTERM, wait up to the
 * grace period for it to exit, then SIGKILL and wait again. Works from any
 * process, not only the one that started it.
 */
export async function stopProcess(record: ProcessRecord, graceMs = record.stopGraceMs ?? DEFAULT_STOP_GRACE_MS, exited?: Promise<unknown>): Promise<void> {
  if (!isAlive(record)) {
    await exited;
    return;
  }
  signalGroup(record.pid, "SIGTERM");
  const gone = async () => (isAlive(record) ? undefined : true);
  try {
    await eventually(gone, { what: `${record.name} (pid ${record.pid}) to exit after SIGTERM`, timeoutMs: graceMs, intervalMs: 100 });
  } catch {
    // What it was still doing is in its log's last lines (the run directory, and the log, may be gone soon).
    info(`${record.name} (pid ${record.pid}) ignored SIGTERM for ${graceMs / 1000}s; sending SIGKILL; the last lines of ${record.logPath}:\n${await logTail(record.logPath, 8)}`);
    signalGroup(record.pid, "SIGKILL");
    await eventually(gone, { what: `${record.name} (pid ${record.pid}) to exit after SIGKILL`, timeoutMs: 10_000, intervalMs: 100 });
  }
  await exited;
}
