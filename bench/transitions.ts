// Lookups per second: the compiled table (nextState) against xstate's pure transition().
// A measurement, not a test. Run alone with: node --import tsx bench/transitions.ts

import { pathToFileURL } from 'node:url';
import { transition } from 'xstate';
import { tcpMachine } from '../src/tcp/machine.js';
import { TCP_EVENTS, TCP_STATES, type TcpEventType, type TcpState } from '../src/tcp/states.js';
import { nextState } from '../src/tcp/transitions.js';

export interface BenchResult {
  name: string;
  opsPerSec: number;
  /** A time rather than a rate ("812 ms"): printed instead of opsPerSec. */
  value?: string;
}

/** A fixed pseudo-random mix of (state, event) pairs, accepted and not (LCG, so runs repeat). */
function workload(n: number): { states: TcpState[]; events: TcpEventType[] } {
  const states: TcpState[] = [];
  const events: TcpEventType[] = [];
  let x = 12345;
  for (let i = 0; i < n; i++) {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0;
    states.push(TCP_STATES[x % TCP_STATES.length]!);
    x = (Math.imul(x, 1103515245) + 12345) >>> 0;
    events.push(TCP_EVENTS[x % TCP_EVENTS.length]!);
  }
  return { states, events };
}

/** Run `body` over the workload until at least `minMs` has passed; best of `rounds`. */
function measure(name: string, n: number, body: (i: number) => unknown, minMs = 200, rounds = 5): BenchResult {
  let sink = 0;
  for (let i = 0; i < n; i++) sink ^= body(i) === undefined ? 1 : 0; // warm up
  let best = 0;
  for (let r = 0; r < rounds; r++) {
    let ops = 0;
    const start = performance.now();
    let elapsed = 0;
    do {
      for (let i = 0; i < n; i++) sink ^= body(i) === undefined ? 1 : 0;
      ops += n;
      elapsed = performance.now() - start;
    } while (elapsed < minMs);
    best = Math.max(best, (ops / elapsed) * 1000);
  }
  if (sink === -1) console.log(sink); // keep the results observable
  return { name, opsPerSec: Math.round(best) };
}

export async function run(): Promise<BenchResult[]> {
  const n = 4096;
  const { states, events } = workload(n);
  const snapshots = new Map(TCP_STATES.map((s) => [s, tcpMachine.resolveState({ value: s })]));
  const snapshotList = states.map((s) => snapshots.get(s)!);
  const eventObjects = events.map((type) => ({ type }));
  return [
    measure('transitions: nextState (compiled table)', n, (i) => nextState(states[i]!, events[i]!)),
    measure('transitions: xstate transition()', n, (i) => transition(tcpMachine, snapshotList[i]!, eventObjects[i]!)[0].value, 200, 3),
    // What it takes xstate to give nextState's answer (self-loop vs not accepted needs can()).
    measure('transitions: xstate can() + transition()', n, (i) => {
      const snapshot = snapshotList[i]!;
      return snapshot.can(eventObjects[i]!) ? transition(tcpMachine, snapshot, eventObjects[i]!)[0].value : undefined;
    }, 200, 3),
  ];
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  for (const { name, opsPerSec } of await run()) {
    console.log(`${name.padEnd(44)} ${opsPerSec.toLocaleString('en-US').padStart(14)} lookups/s`);
  }
}
