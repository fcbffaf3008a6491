import { beforeAll } from "@jest/globals";
import { setTimeout as timer } from "node:timers/promises";
import { HarnessError } from "../errors";

/** A step several checks stand on, run once; each check awaits its result. */
export interface Prepared<T> {
  /** The step's result; rejects with the step's own error, in every check that asks. */
  (): Promise<T>;
  /** The result now: the value, the step's error, or a harness error if it has not finished. */
  now(): T;
}

/**
 * A step several checks stand on (a cluster up, a node joined and
 * bootstrapped, a renewal awaited), run once and memoised. A beforeAll starts
 * it, so the checks' own clocks do not include it, but that beforeAll never
 * fails: jest would skip the bodies of the checks, and Allure would report
 * them without labels, parameters or evidence. Instead the step's error
 * surfaces inside every check that asks for the result, where check() gives it
 * the check's labels and the logs, and its class decides failed (the product)
 * or broken (the harness).
 *
 * The hook stops waiting a little before its own timeout (jest would fail it);
 * a check still waiting for the step then awaits it within its own timeout.
 */
export function prepared<T>(what: string, run: () => Promise<T>, hookTimeoutMs: number): Prepared<T> {
  let promise: Promise<T> | undefined;
  let state: { done: false } | { done: true; ok: true; value: T } | { done: true; ok: false; error: unknown } = { done: false };
  const get = (() =>
    (promise ??= run().then(
      (value) => ((state = { done: true, ok: true, value }), value),
      (error: unknown) => {
        state = { done: true, ok: false, error };
        throw error;
      },
    ))) as Prepared<T>;
  get.now = () => {
    if (!state.done) throw new HarnessError(`${what} has not finished`, { hint: "a check used a prepared step before awaiting it: a harness bug" });
    if (state.ok) return state.value;
    throw state.error;
  };
  beforeAll(async () => {
    const stop = new AbortController();
    await Promise.race([get().catch(() => undefined), timer(Math.max(1000, hookTimeoutMs - 5000), undefined, { signal: stop.signal }).catch(() => undefined)]);
    stop.abort();
  }, hookTimeoutMs);
  return get;
}
