// The built-in scenarios, in the order `synack list` shows them.
import type { Scenario } from './types.js';
import { clientClosesFirst, echo, serverClosesFirst, simultaneousClose, simultaneousOpen, threeWayHandshake } from './builtin/basics.js';
import { abortRst, closeWithUnreadData, connectionRefused, halfClose } from './builtin/errors.js';
import { lostFin, lostFinalAck, lostSyn, lostSynAck } from './builtin/loss.js';
import { backlogOverflow, synFlood, synFloodSyncookies } from './builtin/queues.js';
import { timeWaitRebind } from './builtin/ports.js';
import { udpContrast } from './builtin/udp.js';

export const SCENARIOS: Scenario[] = [
  threeWayHandshake,
  echo,
  clientClosesFirst,
  serverClosesFirst,
  simultaneousOpen,
  simultaneousClose,
  connectionRefused,
  halfClose,
  abortRst,
  closeWithUnreadData,
  lostSyn,
  lostSynAck,
  lostFinalAck,
  lostFin,
  backlogOverflow,
  synFlood,
  synFloodSyncookies,
  timeWaitRebind,
  udpContrast,
];

export function findScenario(name: string): Scenario | undefined {
  return SCENARIOS.find((s) => s.name === name);
}
