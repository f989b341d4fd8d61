// Property: every state change the engine reports is an edge of the statechart. For every state
// event of every trace (random programs, random link faults and scripted faults, both profiles
// with knobs varied): the event's cause takes `from` to `to` in the compiled chart
// (nextState(from, cause) === to, so isEdge(from, to) holds), and each socket's state events form
// one unbroken chain starting from CLOSED (or from LISTEN for a listener's child, which starts
// as a clone of the listening socket, RFC 9293 3.10.7.2).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { StateEvent, Trace } from '../../src/sim/trace.js';
import { TCP_EVENTS, TCP_STATES, type TcpEventType, type TcpState } from '../../src/tcp/states.js';
import { isEdge, nextState } from '../../src/tcp/transitions.js';
import { LINUX, RFC9293 } from '../../src/tcp/profile.js';
import { describeRun, fcOptions, stateEvents } from './harness.js';
import { describeWorld, randomWorldArb, runRandomWorld, variedProfileArb } from './random-programs.js';

const isState = (s: string): s is TcpState => (TCP_STATES as readonly string[]).includes(s);
const isEvent = (s: string): s is TcpEventType => (TCP_EVENTS as readonly string[]).includes(s);

/** Every problem with the trace's state events, as readable lines (empty when all is well). */
function stateEdgeViolations(trace: Trace): string[] {
  const problems: string[] = [];
  const last = new Map<string, StateEvent>();
  for (const ev of stateEvents(trace)) {
    const where = `t=${ev.t} ${ev.host} socket ${ev.socket} ${ev.endpoint}: ${ev.from} -> ${ev.to} (${ev.cause})`;
    if (!isState(ev.from) || !isState(ev.to) || !isEvent(ev.cause)) {
      problems.push(`${where}: not a state/event name of states.ts`);
      continue;
    }
    if (ev.from === ev.to) problems.push(`${where}: a state event that does not change the state`);
    if (!isEdge(ev.from, ev.to)) problems.push(`${where}: not an edge of the statechart`);
    const expected = nextState(ev.from, ev.cause);
    if (expected !== ev.to) {
      problems.push(`${where}: the chart takes ${ev.from} + ${ev.cause} to ${expected ?? '(not accepted)'}`);
    }
    const key = `${ev.host}#${ev.socket}`;
    const prev = last.get(key);
    if (prev === undefined) {
      const passiveChild = ev.from === 'LISTEN' && ev.cause === 'RCV_SYN';
      if (ev.from !== 'CLOSED' && !passiveChild) problems.push(`${where}: the socket's first state event does not start from CLOSED`);
    } else if (prev.to !== ev.from) {
      problems.push(`${where}: follows ${prev.from} -> ${prev.to} at t=${prev.t}; the chain is broken`);
    }
    last.set(key, ev);
  }
  return problems;
}

describe('state edges: every state change in a trace is a transition of the statechart', () => {
  it('random programs and faults, both profiles with knobs varied', async () => {
    await fc.assert(
      fc.asyncProperty(randomWorldArb({ loss: 0.3, duplicate: 0.3, reorder: 0.3, profile: variedProfileArb }), async (w) => {
        const { trace } = await runRandomWorld(w);
        const problems = stateEdgeViolations(trace);
        if (problems.length > 0) {
          throw new Error(`${problems.join('\n')}\nworld: ${describeWorld(w)}\n${describeRun(trace, 80)}`);
        }
      }),
      fcOptions(150),
    );
  });

  it('the unchanged profiles, heavier faults', async () => {
    await fc.assert(
      fc.asyncProperty(
        randomWorldArb({ loss: 0.3, duplicate: 0.3, reorder: 0.3, maxFaults: 5, profile: fc.constantFrom(LINUX, RFC9293) }),
        async (w) => {
          const { trace } = await runRandomWorld(w);
          const problems = stateEdgeViolations(trace);
          if (problems.length > 0) {
            throw new Error(`${problems.join('\n')}\nworld: ${describeWorld(w)}\n${describeRun(trace, 80)}`);
          }
        },
      ),
      fcOptions(80),
    );
  });

  it('the checker itself rejects a non-edge, a wrong cause and a broken chain', () => {
    const base = { kind: 'state' as const, host: 'h', endpoint: '10.0.0.1:1', socket: 3 };
    const trace = (events: Array<Pick<StateEvent, 't' | 'from' | 'to' | 'cause'>>): Trace => ({
      format: 'synack-trace',
      version: 1,
      scenario: 'x',
      profile: 'linux',
      seed: 0,
      hosts: [],
      events: events.map((e) => ({ ...base, ...e })),
    });
    expect(stateEdgeViolations(trace([{ t: 0, from: 'CLOSED', to: 'SYN_SENT', cause: 'ACTIVE_OPEN' }]))).toEqual([]);
    expect(stateEdgeViolations(trace([{ t: 0, from: 'CLOSED', to: 'ESTABLISHED', cause: 'ACTIVE_OPEN' }])).length).toBeGreaterThan(0);
    expect(stateEdgeViolations(trace([{ t: 0, from: 'CLOSED', to: 'SYN_SENT', cause: 'PASSIVE_OPEN' }])).length).toBeGreaterThan(0);
    expect(
      stateEdgeViolations(
        trace([
          { t: 0, from: 'CLOSED', to: 'SYN_SENT', cause: 'ACTIVE_OPEN' },
          { t: 1, from: 'ESTABLISHED', to: 'CLOSE_WAIT', cause: 'RCV_FIN' },
        ]),
      ).length,
    ).toBeGreaterThan(0);
    expect(stateEdgeViolations(trace([{ t: 0, from: 'ESTABLISHED', to: 'CLOSE_WAIT', cause: 'RCV_FIN' }])).length).toBeGreaterThan(0);
  });
});
