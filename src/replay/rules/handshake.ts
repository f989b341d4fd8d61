// The handshake (RFC 9293 3.5, figure 6): a SYN-ACK answers a SYN and acknowledges exactly its ISN + 1.
import { seqAdd } from '../../wire/seq.js';
import { isSynAck } from '../packet-facts.js';
import type { PacketRule } from './types.js';

/**
 * synack-wrong-ack: the SYN-ACK must carry <ACK=RCV.NXT>, the ISN of the SYN it answers plus one
 * (RFC 9293 3.10.7.2: <SEQ=ISS><ACK=RCV.NXT><CTL=SYN,ACK>), or, with TCP Fast Open, plus the SYN's
 * data too. The SYN sender finds it unacceptable
 * and answers with a RST (3.10.7.3 first; Linux tcp_rcv_synsent_state_process).
 */
export const synackWrongAck: PacketRule = {
  id: 'synack-wrong-ack',
  check({ packet, receiver }) {
    if (!isSynAck(packet) || !receiver.sentSyn || receiver.iss === undefined) return undefined;
    const expected = seqAdd(receiver.iss, 1);
    if (packet.segment.ack === expected) return undefined;
    // TCP Fast Open (RFC 7413 3, 4.2): a SYN may carry data; a server that accepts it acknowledges
    // it in the SYN-ACK, ISN + 1 + its length (Linux tcp_fastopen_create_child: rcv_nxt past the data).
    const withData = seqAdd(receiver.iss, 1 + receiver.synDataLength);
    if (receiver.synDataLength > 0 && packet.segment.ack === withData) return undefined;
    const also = receiver.synDataLength > 0 ? ` or ${withData}, past the ${receiver.synDataLength} bytes of data it carried` : '';
    return {
      rule: 'synack-wrong-ack',
      detail: `SYN-ACK acknowledges ${packet.segment.ack}, but the SYN of ${receiver.name} had ISN ${receiver.iss} (ack ${expected}${also} expected)`,
    };
  },
};

/**
 * synack-without-syn: a SYN-ACK to an endpoint that sent no SYN on this connection. Only a SYN is
 * answered with a SYN-ACK (RFC 9293 3.10.7.2); a listener or a closed port answers this one with a
 * RST (3.10.7.1 / 3.10.7.2, Linux tcp_v4_send_reset). Not raised in a midstream capture.
 */
export const synackWithoutSyn: PacketRule = {
  id: 'synack-without-syn',
  check({ packet, receiver, midstream }) {
    if (midstream || !isSynAck(packet) || receiver.sentSyn) return undefined;
    return { rule: 'synack-without-syn', detail: `SYN-ACK to ${receiver.name}, which sent no SYN in the capture` };
  },
};
