// TCP Fast Open (RFC 7413): the SYN carries data. A server that accepts it acknowledges it in the
// SYN-ACK (ack = ISN + 1 + data length, RFC 7413 4.2.2; Linux tcp_fastopen_create_child); one that
// does not (no or a bad cookie) acknowledges the SYN only (ISN + 1) and the client sends the data again
// after the handshake (RFC 7413 4.2.2, Linux tcp_rcv_fastopen_synack). Neither is synack-wrong-ack.
import { describe, expect, it } from 'vitest';
import { replayPackets } from '../../../src/replay/replay.js';
import { CLIENT, Conversation, SERVER } from '../conversation.js';
import { violations } from '../replay-helpers.js';

describe('synack-wrong-ack with TCP Fast Open', () => {
  it('a SYN-ACK acknowledging the SYN and its data raises nothing, and the connection is established', () => {
    const x = new Conversation({ clientIss: 1000, serverIss: 5000 });
    x.c('SYN', { seq: 1000, len: 20 });
    x.s('SYN,ACK', { seq: 5000, ack: 1021 });
    x.c('ACK', { seq: 1021, ack: 5001 });
    x.s('ACK', { seq: 5001, ack: 1021, len: 100 });
    x.c('ACK', { seq: 1021, ack: 5101 });
    expect(violations(x.packets)).toEqual([]);
    const conn = replayPackets(x.packets).connections[0]!;
    expect(conn.final).toEqual({ [CLIENT]: 'ESTABLISHED', [SERVER]: 'ESTABLISHED' });
  });

  it('a SYN-ACK acknowledging the SYN only (data refused) raises nothing; the data comes again', () => {
    const x = new Conversation({ clientIss: 1000, serverIss: 5000 });
    x.c('SYN', { seq: 1000, len: 20 });
    x.s('SYN,ACK', { seq: 5000, ack: 1001 });
    x.c('ACK', { seq: 1001, ack: 5001, len: 20 });
    x.s('ACK', { seq: 5001, ack: 1021 });
    expect(violations(x.packets)).toEqual([]);
  });

  it('a SYN-ACK acknowledging past the SYN data is still flagged, naming both acceptable numbers', () => {
    const x = new Conversation({ clientIss: 1000, serverIss: 5000 });
    x.c('SYN', { seq: 1000, len: 20 });
    x.s('SYN,ACK', { seq: 5000, ack: 1022 });
    expect(violations(x.packets)).toEqual([['synack-wrong-ack', 2]]);
    const [v] = replayPackets(x.packets).connections[0]!.violations;
    expect(v?.detail).toContain('ack 1001 or 1021, past the 20 bytes of data it carried expected');
  });

  it('without data in the SYN, ISN + 1 + anything is flagged as before', () => {
    const x = new Conversation({ clientIss: 1000 });
    x.c('SYN', { seq: 1000 });
    x.s('SYN,ACK', { ack: 1021 });
    expect(violations(x.packets)).toEqual([['synack-wrong-ack', 2]]);
  });
});
