// A stop with one line before V8 runs out of heap (issue 10: a million-frame capture ended in "JavaScript heap
// out of memory" and a core dump). The readers and the replay call the guard every 10,000 packets.
import { getHeapStatistics } from 'node:v8';
import { UsageError } from './errors.js';

/** The share of V8's heap limit the guard allows: the rest is room for the work between two checks. */
export const HEAP_BUDGET = 0.8;

const mb = (bytes: number): number => Math.round(bytes / 2 ** 20);

/**
 * A check to call with the packets (or frames) handled so far: it throws a UsageError naming the limit
 * once the heap in use passes the budget. `used` and `limit` are for tests.
 */
export function memoryGuard(
  limit = getHeapStatistics().heap_size_limit * HEAP_BUDGET,
  used: () => number = () => process.memoryUsage().heapUsed,
): (count: number, what: string) => void {
  return (count, what) => {
    const now = used();
    if (now <= limit) return;
    throw new UsageError(
      `the capture needs more memory than this process has: ${mb(now)} MB in use after ${count} ${what}, past the ${mb(limit)} MB allowed; use --max-packets N to read part of it (or run node with a larger --max-old-space-size)`,
    );
  };
}
