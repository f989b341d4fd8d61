// After a FIN the sender has nothing more to say (RFC 9293 3.6, 3.10.4).
import { FIN, RST } from '../../wire/segment.js';
import { seqAdd, seqGt } from '../../wire/seq.js';
import { finSeqOf, has } from '../packet-facts.js';
import type { PacketRule } from './types.js';

/**
 * data-after-fin: bytes at or beyond the sequence number of the sender's own FIN, or its FIN moved.
 * After CLOSE no SEND is accepted (RFC 9293 3.10.4), and a receiver ignores text after a FIN
 * (3.10.7.4 seventh, CLOSE-WAIT/CLOSING/LAST-ACK/TIME-WAIT: "This should not occur").
 */
export const dataAfterFin: PacketRule = {
  id: 'data-after-fin',
  check({ packet, sender }) {
    if (sender.finSeq === undefined || has(packet, RST)) return undefined;
    const fin = sender.finSeq;
    const end = seqAdd(packet.segment.seq, packet.payloadLength);
    if (packet.payloadLength > 0 && seqGt(end, fin)) {
      return { rule: 'data-after-fin', detail: `data ${packet.segment.seq}..${end} from ${sender.name} at or past its FIN at ${fin}` };
    }
    if (has(packet, FIN) && finSeqOf(packet) !== fin) {
      return { rule: 'data-after-fin', detail: `${sender.name} sent a FIN at ${finSeqOf(packet)}, after its FIN at ${fin}` };
    }
    return undefined;
  },
};
