// Forged segments for `synack check`'s random scenarios: what RFC 5961 calls blind attacks, written as a
// scenario file's `inject:` entries (docs/scenario-format.md). Two kinds, each found relative to a real
// connection so it lands: an ACK into the client for data it never sent (SEG.ACK > SND.NXT: RFC 9293 3.10.7.4
// says drop it), and a SYN from a client-host port with no socket, whose SYN-ACK the client host answers with
// a RST at the request's RCV.NXT (RFC 9293 3.10.7.4: that RST ends SYN_RECEIVED). Hosts and port follow
// arbitraryScenario's (client, server, port 80).
import fc from 'fast-check';
import type { ScenarioText } from './scenario-text.js';

/** One `inject:` entry as a file writes it. */
export type ForgedText = NonNullable<ScenarioText['inject']>[number];

const at = fc.integer({ min: 1, max: 1500 }).map((n) => `${n}ms`);

/** An ACK from the server's port into the client, `n` past the client's SND.NXT, in its receive window. */
export const forgedAck: fc.Arbitrary<ForgedText> = fc
  .record({ at, n: fc.integer({ min: 1, max: 100_000 }) })
  .map(({ at, n }): ForgedText => ({ at, from: 'server:80', to: 'client', flags: 'ACK', seq: 'rcv.nxt', ack: `snd.nxt+${n}`, note: 'forged: ACK of unsent data' }));

/** A SYN to the server from a port of the client host that has no socket (below the ephemeral range). */
export const spoofedSyn: fc.Arbitrary<ForgedText> = fc
  .record({ at, port: fc.integer({ min: 1024, max: 30000 }), seq: fc.integer({ min: 0, max: 2 ** 32 - 1 }) })
  .map(({ at, port, seq }): ForgedText => ({ at, from: `client:${port}`, to: 'server:80', flags: 'SYN', seq, note: 'spoofed SYN' }));

/** Zero to two forged segments. */
export function arbitraryForgedSegments(): fc.Arbitrary<ForgedText[]> {
  return fc.array(fc.oneof(forgedAck, spoofedSyn), { maxLength: 2 });
}
