// Planted protocol bugs, for testing the checkers only (issue 12: "a test-only way to plant known protocol bugs").
// A Profile carries them in `bugs` (profile.ts); nothing a user writes sets it: no scenario key, no knob, no flag.
// The only ways in are the check runner's `bugs` option (src/check, for tests) and the SYNACK_PLANT_BUG
// environment variable, read by the command line alone (src/cli/planted-bugs.ts). With no bug planted the
// engine takes exactly its normal path: each site is one `bugs?.has(...)` test that is false.

export const BUG_NAMES = [
  /** input.ts: an ACK for data never sent (SEG.ACK > SND.MAX) is taken, not dropped (RFC 9293 3.10.7.4 fifth). */
  'ack-outside-window',
  /** input.ts: TIME_WAIT ends at once instead of after 2*MSL (RFC 9293 3.10.7.4 / 3.6). */
  'forget-time-wait',
  /** input.ts: a RST at RCV.NXT is ignored in SYN_RECEIVED (RFC 9293 3.10.7.4 second). */
  'ignore-rst-in-syn-received',
  /** stack.ts: the listen queues hold one more than their backlog allows (Linux sk_acceptq_is_full). */
  'backlog-off-by-one',
  /** input.ts: a FIN received takes no sequence number: RCV.NXT stays before it (RFC 9293 3.3.1: SYN and FIN occupy one each). */
  'fin-no-sequence-number',
] as const;

export type BugName = (typeof BUG_NAMES)[number];

export function isBugName(name: string): name is BugName {
  return (BUG_NAMES as readonly string[]).includes(name);
}
