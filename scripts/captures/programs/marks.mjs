// Shared by the capture programs: `mark(name)` prints `MARK name` and, unless stdin is a terminal, waits
// for a line (or EOF) before going on, so the harness can read `ss` while the program is paused.
import { createInterface } from 'node:readline';

let lines;
export async function mark(name) {
  process.stdout.write(`MARK ${name}\n`);
  if (process.stdin.isTTY) return;
  lines ??= createInterface({ input: process.stdin })[Symbol.asyncIterator]();
  await lines.next();
}

export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
