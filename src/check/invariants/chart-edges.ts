// Every state change is an edge of the connection statechart (src/tcp/machine.ts, compiled in
// src/tcp/transitions.ts): the event named as its cause takes `from` to `to`, and each socket's changes
// follow on (one change's `from` is the previous change's `to`). RFC 9293 3.3.2, Figure 5.
import type { Trace } from '../../sim/trace.js';
import { TCP_EVENTS, TCP_STATES, type TcpEventType, type TcpState } from '../../tcp/states.js';
import { getTransition, isEdge } from '../../tcp/transitions.js';
import { at, type Violation } from '../violation.js';
import { socketLives } from '../trace-facts.js';

const NAME = 'chart-edges';
const RFC = 'RFC 9293 3.3.2';
const isState = (s: string): s is TcpState => (TCP_STATES as readonly string[]).includes(s);
const isEvent = (e: string): e is TcpEventType => (TCP_EVENTS as readonly string[]).includes(e);

export function chartEdges(trace: Trace): Violation[] {
  const out: Violation[] = [];
  const fail = (message: string, events: number[]) => out.push({ invariant: NAME, rfc: RFC, message, events });
  for (const life of socketLives(trace).values()) {
    let previous: { index: number; to: string } | undefined;
    for (const { index, event } of life.states) {
      const who = `${life.host} socket ${life.socket}`;
      if (!isState(event.from) || !isState(event.to)) {
        fail(`${who}: ${event.from} -> ${event.to} names a state the chart does not have (${at(trace, index)})`, [index]);
      } else if (isEvent(event.cause)) {
        const edge = getTransition(event.from, event.cause);
        if (edge?.to !== event.to) {
          fail(`${who}: ${event.from} + ${event.cause} -> ${event.to} is not an edge of the chart (it goes to ${edge?.to ?? 'nowhere'}) (${at(trace, index)})`, [index]);
        }
      } else if (!isEdge(event.from, event.to)) {
        fail(`${who}: ${event.from} -> ${event.to} is not an edge of the chart (${at(trace, index)})`, [index]);
      }
      if (previous && previous.to !== event.from) {
        fail(`${who}: left ${event.from} but was in ${previous.to} (${at(trace, previous.index)}, then ${at(trace, index)})`, [previous.index, index]);
      }
      previous = { index, to: event.to };
    }
  }
  return out;
}
