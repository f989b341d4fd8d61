// Every rule the replay checks, in the order findings are listed for one packet.
// docs/reading-captures.md has the table of them; test/replay/rules/*.test.ts one test file per group.
import { ackOfUnsent, missingAckFlag } from './ack.js';
import { segmentAfterReset } from './after-reset.js';
import { dataAfterFin } from './fin.js';
import { invalidFlags } from './flags.js';
import { synackWithoutSyn, synackWrongAck } from './handshake.js';
import { synOptionOutsideSyn } from './options.js';
import { rstNotExact, rstOutOfWindow, rstUnacceptableAck } from './rst.js';
import type { ExpectationRule, PacketRule } from './types.js';
import { seqOutOfWindow } from './window.js';

export const PACKET_RULES: readonly PacketRule[] = [
  invalidFlags,
  synackWrongAck,
  synackWithoutSyn,
  missingAckFlag,
  ackOfUnsent,
  seqOutOfWindow,
  dataAfterFin,
  segmentAfterReset,
  synOptionOutsideSyn,
  rstOutOfWindow,
  rstUnacceptableAck,
];

export const EXPECTATION_RULES: readonly ExpectationRule[] = [rstNotExact];

/** Rules the connection tracker raises itself (they need the whole connection). */
export const TRACKER_RULES = ['impossible-transition', 'missing-rst'] as const;

/** Every rule id, for the docs and the CLI's --strict. */
export const RULE_IDS: readonly string[] = [...PACKET_RULES.map((r) => r.id), ...EXPECTATION_RULES.map((r) => r.id), ...TRACKER_RULES];
