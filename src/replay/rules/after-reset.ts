// After ABORT the TCB is gone (RFC 9293 3.10.5).
import { RST } from '../../wire/segment.js';
import { has, isPureSyn } from '../packet-facts.js';
import type { PacketRule } from './types.js';

/**
 * segment-after-reset: an endpoint that ended the connection with its own RST sends on it again.
 * ABORT deletes the TCB (RFC 9293 3.10.5); a socket has nothing left to send from. (A RST answering
 * a later segment is fine, and a new SYN starts a new connection.)
 */
export const segmentAfterReset: PacketRule = {
  id: 'segment-after-reset',
  check({ packet, sender }) {
    if (!sender.abortedByOwnReset || has(packet, RST) || isPureSyn(packet)) return undefined;
    return { rule: 'segment-after-reset', detail: `${sender.name} sends after it reset the connection` };
  },
};
