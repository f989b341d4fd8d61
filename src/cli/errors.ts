// Errors the user can fix (a bad flag, an unknown scenario): reported in one line, exit code 2, no stack.

export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}
