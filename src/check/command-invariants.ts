// The invariants `synack check` runs: the library's INVARIANTS, five more (sequence-space,
// fin-acknowledged, timer-armed, rto-retransmits, rst-in-syn-received) until INVARIANTS lists them itself.
import type { Invariant } from './violation.js';
import { INVARIANTS } from './invariants/index.js';
import { finAcknowledged } from './invariants/fin-acknowledged.js';
import { rstInSynReceived } from './invariants/rst-in-syn-received.js';
import { sequenceSpace } from './invariants/sequence-space.js';
import { timerArmed } from './invariants/timer-armed.js';
import { rtoRetransmits } from './invariants/rto-retransmits.js';

const MORE: readonly Invariant[] = [
  { name: 'sequence-space', rfc: 'RFC 9293 3.3.1', description: 'each side\'s segments continue its sequence space: data, SYN and FIN take their numbers in order, an ACK carries SND.NXT', check: sequenceSpace },
  { name: 'fin-acknowledged', rfc: 'RFC 9293 3.3.1', description: 'once a FIN has arrived in order, every ACK its receiver sends acknowledges it (a FIN takes a sequence number)', check: finAcknowledged },
  { name: 'timer-armed', rfc: 'RFC 6298 5.1', description: 'a socket that still owes its peer a SYN, SYN-ACK or FIN has a retransmission (or persist) timer armed', check: timerArmed },
  { name: 'rto-retransmits', rfc: 'RFC 6298 5.4', description: 'when the retransmission timer fires, the socket sends its peer a segment (or gives up)', check: rtoRetransmits },
  { name: 'rst-in-syn-received', rfc: 'RFC 9293 3.10.7.4', description: 'a RST at RCV.NXT ends SYN_RECEIVED', check: rstInSynReceived },
];

export const CHECK_INVARIANTS: readonly Invariant[] = [...INVARIANTS, ...MORE.filter((m) => !INVARIANTS.some((i) => i.name === m.name))];
