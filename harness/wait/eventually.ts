import { setTimeout as delay } from "node:timers/promises";
import { ConformanceError, HarnessApiError, HarnessTimeoutError, WaitTimeoutError } from "../errors";

/**
 * Who is at fault when the deadline passes: "product" for a check's own
 * expectation (a CSR not approved, a file not written within the wait the spec
 * allows: the result is *failed*), "harness" for a step of the harness
 * (bring-up, a restart it asked for, a process to stop: *broken*). The caller
 * knows which; the error class follows from it.
 */
export type Blame = "product" | "harness";

export interface EventuallyOptions {
  /** What is being awaited, as it should read in a timeout message. */
  what: string;
  timeoutMs: number;
  /** Default "harness": a product wait says so, because only then may a timeout fail a check. */
  blame?: Blame;
  intervalMs?: number;
  /** Renders the last value seen for the timeout message: the cause the product gave, not only "not yet". */
  describe?: (last: unknown) => string | Promise<string>;
}

/**
 * Polls `probe` until it returns a value that is not undefined, or the deadline
 * passes. A probe that throws counts as "not yet" and its error is kept as the
 * last state seen (a command that fails until a daemon is up is "not yet"),
 * except the API refusing the harness's own credentials (HarnessApiError),
 * which ends the wait at once: retrying it only delays a harness error. The timeout message names what was awaited and that state,
 * never just "timeout". The pause between polls is the poll interval of a
 * deadline-bounded poll, not a synchronisation sleep.
 */
export async function eventually<T>(probe: () => Promise<T | undefined>, opts: EventuallyOptions): Promise<T> {
  const deadline = Date.now() + opts.timeoutMs;
  const interval = opts.intervalMs ?? 500;
  let last: unknown = "nothing observed yet";
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
      last = "not yet";
    } catch (err) {
      if (err instanceof HarnessApiError) throw err;
      last = err instanceof Error ? err.message : err;
    }
    if (Date.now() >= deadline) {
      const seen = opts.describe ? await opts.describe(last) : typeof last === "string" ? last : JSON.stringify(last);
      const message = `timed out after ${opts.timeoutMs / 1000}s waiting for ${opts.what}; last seen: ${seen}`;
      if (opts.blame === "product") throw new WaitTimeoutError(opts.what, message);
      throw new HarnessTimeoutError(message, { hint: "a step of the harness did not finish: this says nothing about the product" });
    }
    await delay(Math.min(interval, Math.max(0, deadline - Date.now())));
  }
}

/**
 * Asserts that `probe` keeps returning undefined for the whole window: the
 * "stays Pending for N seconds" check of negative tests. Returns nothing; throws
 * with the offending value as soon as the probe reports one.
 */
export async function consistently(
  probe: () => Promise<string | undefined>,
  opts: { what: string; windowMs: number; intervalMs?: number },
): Promise<void> {
  const deadline = Date.now() + opts.windowMs;
  for (;;) {
    const violation = await probe();
    if (violation !== undefined) {
      throw new ConformanceError(opts.what, `expected ${opts.what} for ${opts.windowMs / 1000}s, but: ${violation}`);
    }
    if (Date.now() >= deadline) return;
    await delay(Math.min(opts.intervalMs ?? 1000, Math.max(0, deadline - Date.now())));
  }
}
