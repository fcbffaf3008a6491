import { execa, type Options } from "execa";
import { ExecError } from "../errors";

export interface CommandResult {
  stdout: string;
  stderr: string;
  exitCode: number;
}

/** A command as a person would paste it into a shell. */
export function prettyCommand(argv: readonly string[]): string {
  return argv.map((a) => (/^[\w@%+=:,./-]+$/.test(a) ? a : `'${a.replace(/'/g, `'\\''`)}'`)).join(" ");
}

/** The last `lines` lines of a text. */
export function tail(text: string, lines = 20): string {
  const all = text.trimEnd().split("\n");
  return all.slice(-lines).join("\n");
}

/**
 * Runs a command to completion (argument arrays only, never a shell string).
 * A non-zero exit throws an ExecError whose message is the pasteable command
 * and the tail of its stderr.
 */
export async function run(
  argv: readonly string[],
  options: Options & { hint?: string; timeoutMs?: number } = {},
): Promise<CommandResult> {
  const [file, ...args] = argv;
  if (!file) throw new ExecError("run() called with an empty argv");
  const { hint, timeoutMs, ...execaOptions } = options;
  const result = await execa(file, args, {
    reject: false,
    timeout: timeoutMs,
    stdin: "ignore",
    ...execaOptions,
  });
  const stdout = typeof result.stdout === "string" ? result.stdout : "";
  const stderr = typeof result.stderr === "string" ? result.stderr : "";
  if (result.failed) {
    const why = result.timedOut
      ? `timed out after ${(timeoutMs ?? 0) / 1000}s`
      : result.exitCode !== undefined
        ? `exit code ${result.exitCode}`
        : (result.originalMessage ?? result.shortMessage);
    throw new ExecError(`command failed (${why}): ${prettyCommand(argv)}\n${tail(stderr || stdout)}`, {
      hint,
      cause: result,
    });
  }
  return { stdout, stderr, exitCode: result.exitCode ?? 0 };
}
