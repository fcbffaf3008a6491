/**
 * Typed errors. Every harness error says what failed and carries a hint that
 * tells the user what to do next. Conformance failures are *not* HarnessErrors:
 * they are jest assertion failures, so the report can tell a broken product
 * apart from a broken harness or machine.
 */
export class HarnessError extends Error {
  readonly hint: string | undefined;

  constructor(message: string, options: { hint?: string; cause?: unknown } = {}) {
    super(message, { cause: options.cause });
    this.name = new.target.name;
    this.hint = options.hint;
  }

  /** One block a person can act on: the message, then the hint. */
  describe(): string {
    return this.hint ? `${this.message}\n  hint: ${this.hint}` : this.message;
  }
}

/** Bad command-line input: unknown flag, unknown suite, bad value. */
export class UsageError extends HarnessError {}

/** The machine lacks something the provider needs (root, a binary, a kernel feature). */
export class PreflightError extends HarnessError {}

/**
 * The product did not behave as a suite expects: a conformance failure, not a
 * harness error. Its name and `expected` field make Allure report it as
 * "failed" (a product defect) rather than "broken" (harness or infrastructure),
 * the same as a failed jest assertion.
 */
export class ConformanceError extends Error {
  readonly expected: string;

  constructor(expected: string, message: string) {
    super(message);
    this.name = "ConformanceAssertionError";
    this.expected = expected;
  }
}

/**
 * A check's own expectation was not met within the wait the spec allows: a
 * conformance failure. Only a caller that waits for the product's behaviour
 * throws it (eventually with blame "product").
 */
export class WaitTimeoutError extends ConformanceError {}

/** A command or daemon failed. */
export class ExecError extends HarnessError {}

/** Bringing a cluster or node up failed. */
export class ProvisionError extends HarnessError {}

/**
 * A step of the harness itself (bring-up, a node start, a restart the harness
 * asked for, stopping a process) did not finish in time: broken, not failed.
 */
export class HarnessTimeoutError extends HarnessError {}

/**
 * The API refused a call made with the harness's own (admin) credentials: the
 * harness or the machine is wrong, not the product under test.
 */
export class HarnessApiError extends HarnessError {}

export function describeError(err: unknown): string {
  if (err instanceof HarnessError) return err.describe();
  if (err instanceof Error) return err.stack ?? err.message;
  return String(err);
}
