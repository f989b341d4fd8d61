// Control-bit combinations a correct stack never sends (RFC 9293 3.1).
import { FIN, RST, SYN } from '../../wire/segment.js';
import type { PacketRule } from './types.js';

/**
 * invalid-flags: SYN together with FIN or RST. A SYN opens, a FIN closes, a RST aborts; no state of
 * RFC 9293 3.10 sends two of them at once, and Linux discards a SYN+FIN (tcp_rcv_state_process,
 * LISTEN) — it is a scanner's probe.
 */
export const invalidFlags: PacketRule = {
  id: 'invalid-flags',
  check({ packet }) {
    const f = packet.segment.flags;
    if (!(f & SYN) || !(f & (FIN | RST))) return undefined;
    return { rule: 'invalid-flags', detail: `SYN together with ${f & FIN ? 'FIN' : 'RST'}` };
  },
};
