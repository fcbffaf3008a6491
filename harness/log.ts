/**
 * Progress lines for people watching a long run. They go to stderr so they
 * never mix with jest's own output, and carry the elapsed time of the step.
 */
function stamp(): string {
  // Seconds since the harness process started (the same clock in every suite).
  const secs = process.uptime().toFixed(1).padStart(6, " ");
  return `[ktc ${secs}s]`;
}

export function info(message: string): void {
  if (process.env.KTC_QUIET === "1") return;
  process.stderr.write(`${stamp()} ${message}\n`);
}

/** A line that must be seen even with KTC_QUIET (the run goes on). */
export function warn(message: string): void {
  process.stderr.write(`${stamp()} WARNING: ${message}\n`);
}

/** Runs `fn` as a named step and logs its start and duration. Returns the result and the time. */
export async function timed<T>(what: string, fn: () => Promise<T>): Promise<{ value: T; ms: number }> {
  info(`${what} ...`);
  const t0 = Date.now();
  try {
    const value = await fn();
    const ms = Date.now() - t0;
    info(`${what}: done in ${(ms / 1000).toFixed(1)}s`);
    return { value, ms };
  } catch (err) {
    info(`${what}: FAILED after ${((Date.now() - t0) / 1000).toFixed(1)}s`);
    throw err;
  }
}
