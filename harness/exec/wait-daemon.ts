import { readFile } from "node:fs/promises";
import type { Daemon } from "./daemon";
import { ProvisionError } from "../errors";
import { lastErrorLine } from "../report/log-window";
import { eventually } from "../wait/eventually";

export async function logTail(path: string, lines: number): Promise<string> {
  try {
    return (await readFile(path, "utf8")).trimEnd().split("\n").slice(-lines).join("\n");
  } catch {
    return `(no log at ${path})`;
  }
}

/**
 * Waits until `probe` reports the daemon ready, failing at once (with the
 * tail of its log) if the daemon exits first, rather than waiting out the
 * deadline for a process that is already gone.
 */
export async function waitForDaemon(
  daemon: Daemon,
  probe: () => Promise<boolean | undefined>,
  opts: { what: string; timeoutMs: number },
): Promise<void> {
  const ready = eventually(async () => ((await probe()) ? true : undefined), { ...opts, intervalMs: 250 });
  const died = daemon.exited.then(async (e) => {
    // The component's own words first: they are the reason a vendor reads.
    const log = await readFile(daemon.record.logPath, "utf8").catch(() => "");
    const said = lastErrorLine(log) ?? log.trimEnd().split("\n").pop();
    throw new ProvisionError(
      `${daemon.name} exited (code ${e.code}, signal ${e.signal})${said ? `: ${said}` : ""}\nwhile waiting for ${opts.what}\n` +
        `command: ${daemon.describeCommand()}\nlast log lines:\n${await logTail(daemon.record.logPath, 25)}`,
      { hint: `read the whole log at ${daemon.record.logPath}` },
    );
  });
  try {
    await Promise.race([ready, died]);
  } catch (err) {
    if (err instanceof ProvisionError) throw err;
    throw new ProvisionError(`${(err as Error).message}\nlast log lines of ${daemon.name}:\n${await logTail(daemon.record.logPath, 25)}`, {
      hint: `read the whole log at ${daemon.record.logPath}`,
      cause: err,
    });
  }
  // Keep the race's losing promise from surfacing as an unhandled rejection later.
  died.catch(() => undefined);
}
