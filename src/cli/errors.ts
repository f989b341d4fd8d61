// Errors the user can fix (a bad flag, an unknown scenario): reported in one line, exit code 2, no stack.

export class UsageError extends Error {
  /** `lines`: the message is several lines (a scenario file's problems, one per line), each shown on its own. */
  constructor(
    message: string,
    readonly lines = false,
  ) {
    super(message);
    this.name = 'UsageError';
  }
}

/** The command ran, but what it checked does not hold (a failed expectation, a violation under --strict): exit 1. */
export class CheckFailed extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CheckFailed';
  }
}

/** Exit codes: 0 done, 1 a check failed, 2 a user error, 70 an internal error (EX_SOFTWARE). */
export const EXIT = { ok: 0, checkFailed: 1, usage: 2, internal: 70 } as const;
