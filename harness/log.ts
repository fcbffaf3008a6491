import { currentSuite } from "./current-suite";

/**
 * Progress lines for people watching a long run. They go to stderr so they
 * never mix with jest's own output, and carry the run's clock and, inside a
 * suite, the suite's name: suites run side by side in jest workers and their
 * lines interleave.
 */

/**
 * When the run started, as epoch ms, in the environment: jest's workers
 * inherit it, so every line of a run reads one clock. Without it (a harness
 * test), the clock starts with the process.
 */
const CLOCK_ENV = "KTC_RUN_CLOCK_ORIGIN";

/** The CLI's first step: this process's start is the run's. */
export function startRunClock(): void {
  process.env[CLOCK_ENV] = String(Date.now() - process.uptime() * 1000);
}

function origin(): number {
  return Number(process.env[CLOCK_ENV] ?? Date.now() - process.uptime() * 1000);
}

function stamp(): string {
  const secs = ((Date.now() - origin()) / 1000).toFixed(1).padStart(6, " ");
  const suite = currentSuite();
  return suite ? `[ktc ${secs}s ${suite}]` : `[ktc ${secs}s]`;
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
