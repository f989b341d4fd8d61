// Every limit on what a scenario file may ask for, in one place (docs/scenario-format.md, "Limits", lists
// them). Numbers are bounded so that every time the engine derives from them stays a safe integer number
// of microseconds and every run ends; the run budget stops what cannot be counted before the run.

/** Any duration in a file (until, start, at, sleep, latency, jitter, fault delays, knob times): 1 day. */
export const MAX_DURATION_US = 86_400 * 1_000_000;
/** The same, in seconds, for values written as plain seconds (settimeout, SO_LINGER, knobs). */
export const MAX_SECONDS = 86_400;
/** Link bandwidth, bits per second: 1 kbit/s keeps a full-size packet's serialization delay under 9 min. */
export const MIN_BANDWIDTH = 1_000;
export const MAX_BANDWIDTH = 1e12;
/** A C int: the range of socket options, backlogs and buffer sizes in Linux. */
export const MAX_INT = 2_147_483_647;
/** Bytes one send or receive may move (and a recv's max). */
export const MAX_BYTES = 64 * 1024 * 1024;
/** Retransmission counts (tcp_syn_retries and friends); Linux caps tcp_syn_retries at 127. */
export const MAX_RETRIES = 255;

/** Rounds of one `repeat` loop, and of nested `times` loops multiplied together. */
export const MAX_ROUNDS = 100_000;
/** Values (maps, lists, scalars) a file may hold once YAML aliases are expanded. */
export const MAX_VALUES = 1_000_000;
/** Segments all `inject` entries put on the wire: count x times, summed. */
export const MAX_INJECTED = 100_000;

/** The run budget: what one run may do before it is stopped with a RunBudgetError. */
export interface RunBudget {
  /** Simulator events dispatched (packets delivered, timers fired, programs woken). */
  events: number;
  /** Program steps executed, over every program and every round of every loop. */
  steps: number;
}

/**
 * Far above a normal run (every built-in scenario dispatches under 1,000 events and runs under 300 steps), and
 * low enough that a run stopped by it ends in minutes with its trace in memory: an event costs 60-170 us.
 */
export const DEFAULT_BUDGET: RunBudget = { events: 1_000_000, steps: 1_000_000 };
