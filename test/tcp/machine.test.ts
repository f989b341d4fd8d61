import fc from 'fast-check';
import { setup, transition } from 'xstate';
import { describe, expect, it } from 'vitest';
import { tcpMachine } from '../../src/tcp/machine.js';
import { TCP_EVENTS, TCP_STATES, type TcpEventType, type TcpState } from '../../src/tcp/states.js';
import {
  IllegalTransitionError,
  TRANSITIONS,
  acceptedEvents,
  applyEvent,
  compileTransitions,
  getTransition,
  isEdge,
  nextState,
} from '../../src/tcp/transitions.js';

/**
 * xstate's own answer for (state, event), independent of the compiled table: undefined when the
 * state does not handle the event. xstate returns the same snapshot object both for an unhandled
 * event and for a reentering self-loop without actions, so "handled" is asked of snapshot.can().
 */
function xstateNext(state: TcpState, event: TcpEventType): TcpState | undefined {
  const snapshot = tcpMachine.resolveState({ value: state });
  const [next] = transition(tcpMachine, snapshot, { type: event });
  if (!snapshot.can({ type: event })) {
    expect(next, `${state} + ${event} is unhandled, so xstate must not move`).toBe(snapshot);
    return undefined;
  }
  return next.value as TcpState;
}

// The edges as specified, written out by hand from RFC 9293 figure 5 and section 3.10
// (see the task brief); the machine must contain exactly these, no more, no fewer.
type Row = [TcpState, TcpEventType, TcpState, 'figure' | 'text' | 'linux'];
const SPEC: Row[] = [
  // Figure 5.
  ['CLOSED', 'PASSIVE_OPEN', 'LISTEN', 'figure'],
  ['CLOSED', 'ACTIVE_OPEN', 'SYN_SENT', 'figure'],
  ['LISTEN', 'RCV_SYN', 'SYN_RECEIVED', 'figure'],
  ['LISTEN', 'SEND', 'SYN_SENT', 'figure'],
  ['LISTEN', 'CLOSE', 'CLOSED', 'figure'],
  ['SYN_SENT', 'CLOSE', 'CLOSED', 'figure'],
  ['SYN_SENT', 'RCV_SYN', 'SYN_RECEIVED', 'figure'],
  ['SYN_SENT', 'RCV_SYN_ACK', 'ESTABLISHED', 'figure'],
  ['SYN_RECEIVED', 'RCV_ACK_OF_SYN', 'ESTABLISHED', 'figure'],
  ['SYN_RECEIVED', 'CLOSE', 'FIN_WAIT_1', 'figure'],
  ['ESTABLISHED', 'CLOSE', 'FIN_WAIT_1', 'figure'],
  ['ESTABLISHED', 'RCV_FIN', 'CLOSE_WAIT', 'figure'],
  ['FIN_WAIT_1', 'RCV_ACK_OF_FIN', 'FIN_WAIT_2', 'figure'],
  ['FIN_WAIT_1', 'RCV_FIN', 'CLOSING', 'figure'],
  ['FIN_WAIT_2', 'RCV_FIN', 'TIME_WAIT', 'figure'],
  ['CLOSE_WAIT', 'CLOSE', 'LAST_ACK', 'figure'],
  ['CLOSING', 'RCV_ACK_OF_FIN', 'TIME_WAIT', 'figure'],
  ['LAST_ACK', 'RCV_ACK_OF_FIN', 'CLOSED', 'figure'],
  ['TIME_WAIT', 'TIMEOUT_2MSL', 'CLOSED', 'figure'],
  // RST (3.10.7.3, 3.10.7.4): everywhere but CLOSED and LISTEN.
  ...(['SYN_SENT', 'SYN_RECEIVED', 'ESTABLISHED', 'FIN_WAIT_1', 'FIN_WAIT_2', 'CLOSE_WAIT', 'CLOSING', 'LAST_ACK', 'TIME_WAIT'] as const).map(
    (s): Row => [s, 'RCV_RST', 'CLOSED', 'text'],
  ),
  // ABORT (3.10.5): everywhere but CLOSED.
  ...(['LISTEN', 'SYN_SENT', 'SYN_RECEIVED', 'ESTABLISHED', 'FIN_WAIT_1', 'FIN_WAIT_2', 'CLOSE_WAIT', 'CLOSING', 'LAST_ACK', 'TIME_WAIT'] as const).map(
    (s): Row => [s, 'ABORT', 'CLOSED', 'text'],
  ),
  // User timeout / R2 (3.10.8): wherever something can be outstanding.
  ...(['SYN_SENT', 'SYN_RECEIVED', 'ESTABLISHED', 'FIN_WAIT_1', 'CLOSE_WAIT', 'CLOSING', 'LAST_ACK'] as const).map(
    (s): Row => [s, 'RETRANSMIT_GIVE_UP', 'CLOSED', 'text'],
  ),
  ['TIME_WAIT', 'RCV_SYN', 'CLOSED', 'text'],
  ['TIME_WAIT', 'RCV_FIN', 'TIME_WAIT', 'text'],
  ['FIN_WAIT_2', 'FIN_WAIT_2_TIMEOUT', 'CLOSED', 'linux'],
];

const PAIRS = TCP_STATES.flatMap((s) => TCP_EVENTS.map((e) => [s, e] as const));

describe('compiled table agrees with xstate for every (state, event) pair', () => {
  it.each(PAIRS)('%s + %s', (state, event) => {
    expect(nextState(state, event)).toBe(xstateNext(state, event));
  });
});

describe('statechart contents match RFC 9293', () => {
  it('has exactly the specified edges with their origins (19 figure, 28 text, 1 linux = 48)', () => {
    const actual = TRANSITIONS.map((t) => `${t.from} ${t.event} ${t.to} ${t.origin}`).sort();
    const expected = SPEC.map((r) => r.join(' ')).sort();
    expect(actual).toEqual(expected);
    expect(expected).toHaveLength(48);
  });

  it('records an RFC section (or kernel function) on every transition', () => {
    for (const t of TRANSITIONS) {
      expect(t.section, `${t.from} + ${t.event}`).toMatch(t.origin === 'linux' ? /Linux/ : /^\d+(\.\d+)+/);
    }
    expect(getTransition('SYN_SENT', 'RCV_RST')?.section).toBe('3.10.7.3');
    expect(getTransition('ESTABLISHED', 'RCV_RST')?.section).toBe('3.10.7.4');
    expect(getTransition('ESTABLISHED', 'ABORT')?.section).toBe('3.10.5');
    expect(getTransition('CLOSE_WAIT', 'RETRANSMIT_GIVE_UP')?.section).toContain('3.10.8');
  });

  it('ignores RST in LISTEN (3.10.7.2) and has nothing to abort in CLOSED', () => {
    expect(nextState('LISTEN', 'RCV_RST')).toBeUndefined();
    expect(acceptedEvents('CLOSED')).toEqual(['PASSIVE_OPEN', 'ACTIVE_OPEN']);
  });

  it('never gives up retransmitting in FIN_WAIT_2 or TIME_WAIT (nothing is outstanding)', () => {
    expect(nextState('FIN_WAIT_2', 'RETRANSMIT_GIVE_UP')).toBeUndefined();
    expect(nextState('TIME_WAIT', 'RETRANSMIT_GIVE_UP')).toBeUndefined();
  });
});

describe('named edges', () => {
  it('CLOSED + PASSIVE_OPEN -> LISTEN', () => expect(nextState('CLOSED', 'PASSIVE_OPEN')).toBe('LISTEN'));
  it('CLOSED + ACTIVE_OPEN -> SYN_SENT', () => expect(nextState('CLOSED', 'ACTIVE_OPEN')).toBe('SYN_SENT'));
  it('LISTEN + RCV_SYN -> SYN_RECEIVED', () => expect(nextState('LISTEN', 'RCV_SYN')).toBe('SYN_RECEIVED'));
  it('LISTEN + SEND -> SYN_SENT', () => expect(nextState('LISTEN', 'SEND')).toBe('SYN_SENT'));
  it('SYN_SENT + RCV_SYN -> SYN_RECEIVED (simultaneous open)', () =>
    expect(nextState('SYN_SENT', 'RCV_SYN')).toBe('SYN_RECEIVED'));
  it('SYN_SENT + RCV_SYN_ACK -> ESTABLISHED', () => expect(nextState('SYN_SENT', 'RCV_SYN_ACK')).toBe('ESTABLISHED'));
  it('SYN_RECEIVED + RCV_ACK_OF_SYN -> ESTABLISHED', () =>
    expect(nextState('SYN_RECEIVED', 'RCV_ACK_OF_SYN')).toBe('ESTABLISHED'));
  it('SYN_RECEIVED + CLOSE -> FIN_WAIT_1', () => expect(nextState('SYN_RECEIVED', 'CLOSE')).toBe('FIN_WAIT_1'));
  it('ESTABLISHED + CLOSE -> FIN_WAIT_1 (active close)', () => expect(nextState('ESTABLISHED', 'CLOSE')).toBe('FIN_WAIT_1'));
  it('ESTABLISHED + RCV_FIN -> CLOSE_WAIT (passive close)', () =>
    expect(nextState('ESTABLISHED', 'RCV_FIN')).toBe('CLOSE_WAIT'));
  it('FIN_WAIT_1 + RCV_FIN -> CLOSING (simultaneous close)', () => expect(nextState('FIN_WAIT_1', 'RCV_FIN')).toBe('CLOSING'));
  it('FIN_WAIT_1 + RCV_ACK_OF_FIN -> FIN_WAIT_2', () => expect(nextState('FIN_WAIT_1', 'RCV_ACK_OF_FIN')).toBe('FIN_WAIT_2'));
  it('FIN_WAIT_2 + RCV_FIN -> TIME_WAIT', () => expect(nextState('FIN_WAIT_2', 'RCV_FIN')).toBe('TIME_WAIT'));
  it('CLOSING + RCV_ACK_OF_FIN -> TIME_WAIT', () => expect(nextState('CLOSING', 'RCV_ACK_OF_FIN')).toBe('TIME_WAIT'));
  it('CLOSE_WAIT + CLOSE -> LAST_ACK', () => expect(nextState('CLOSE_WAIT', 'CLOSE')).toBe('LAST_ACK'));
  it('LAST_ACK + RCV_ACK_OF_FIN -> CLOSED', () => expect(nextState('LAST_ACK', 'RCV_ACK_OF_FIN')).toBe('CLOSED'));
  it('TIME_WAIT + TIMEOUT_2MSL -> CLOSED', () => expect(nextState('TIME_WAIT', 'TIMEOUT_2MSL')).toBe('CLOSED'));
  it('SYN_SENT + RCV_RST -> CLOSED (connection refused, 3.10.7.3)', () =>
    expect(nextState('SYN_SENT', 'RCV_RST')).toBe('CLOSED'));
  it('TIME_WAIT + ABORT -> CLOSED (kill TIME_WAIT to reuse the 4-tuple)', () =>
    expect(nextState('TIME_WAIT', 'ABORT')).toBe('CLOSED'));
  it('TIME_WAIT + RCV_SYN -> CLOSED (new incarnation, RFC 6191)', () =>
    expect(nextState('TIME_WAIT', 'RCV_SYN')).toBe('CLOSED'));
  it('FIN_WAIT_2 + FIN_WAIT_2_TIMEOUT -> CLOSED is marked as a Linux extension', () => {
    const t = getTransition('FIN_WAIT_2', 'FIN_WAIT_2_TIMEOUT');
    expect(t?.to).toBe('CLOSED');
    expect(t?.origin).toBe('linux');
  });
});

describe('TIME_WAIT + RCV_FIN self-loop (3.10.7.4, restarts 2MSL)', () => {
  it('is accepted: nextState gives TIME_WAIT, not undefined', () => {
    expect(nextState('TIME_WAIT', 'RCV_FIN')).toBe('TIME_WAIT');
    expect(applyEvent('TIME_WAIT', 'RCV_FIN')).toBe('TIME_WAIT');
  });

  it('is flagged as a self-loop, and is the only one', () => {
    expect(getTransition('TIME_WAIT', 'RCV_FIN')?.selfLoop).toBe(true);
    expect(TRANSITIONS.filter((t) => t.selfLoop).map((t) => `${t.from} + ${t.event}`)).toEqual(['TIME_WAIT + RCV_FIN']);
  });

  it('is a reentering transition in the statechart', () => {
    const [def] = tcpMachine.root.states.TIME_WAIT!.transitions.get('RCV_FIN') ?? [];
    expect(def?.reenter).toBe(true);
  });

  it('differs from an unhandled event in TIME_WAIT', () => {
    expect(nextState('TIME_WAIT', 'CLOSE')).toBeUndefined();
    expect(getTransition('TIME_WAIT', 'CLOSE')).toBeUndefined();
  });
});

describe('isEdge', () => {
  it('is true for figure, text and self-loop edges', () => {
    expect(isEdge('SYN_SENT', 'SYN_RECEIVED')).toBe(true);
    expect(isEdge('ESTABLISHED', 'CLOSED')).toBe(true);
    expect(isEdge('TIME_WAIT', 'TIME_WAIT')).toBe(true);
  });

  it('is false for pairs no event connects, including the reverse of an edge', () => {
    expect(isEdge('CLOSED', 'ESTABLISHED')).toBe(false);
    expect(isEdge('SYN_RECEIVED', 'SYN_SENT')).toBe(false);
    expect(isEdge('ESTABLISHED', 'ESTABLISHED')).toBe(false);
    expect(isEdge('CLOSED', 'CLOSED')).toBe(false);
  });

  it('agrees with the spec for every (from, to) pair', () => {
    const specPairs = new Set(SPEC.map(([from, , to]) => `${from} ${to}`));
    for (const from of TCP_STATES) {
      for (const to of TCP_STATES) {
        expect(isEdge(from, to), `${from} -> ${to}`).toBe(specPairs.has(`${from} ${to}`));
      }
    }
  });
});

describe('applyEvent', () => {
  it('returns the next state for an accepted event', () => {
    expect(applyEvent('ESTABLISHED', 'CLOSE')).toBe('FIN_WAIT_1');
  });

  it('throws IllegalTransitionError naming the state and the event, leaving the state unchanged', () => {
    const state: TcpState = 'LISTEN';
    let caught: unknown;
    try {
      applyEvent(state, 'RCV_FIN');
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(IllegalTransitionError);
    const err = caught as IllegalTransitionError;
    expect(err.message).toContain('LISTEN');
    expect(err.message).toContain('RCV_FIN');
    expect(err.state).toBe('LISTEN');
    expect(err.event).toBe('RCV_FIN');
    expect(err.name).toBe('IllegalTransitionError');
    expect(state).toBe('LISTEN');
  });

  it('lists the accepted events in the message', () => {
    expect(() => applyEvent('CLOSED', 'CLOSE')).toThrow(/CLOSED.*CLOSE.*PASSIVE_OPEN, ACTIVE_OPEN/);
  });
});

describe('bad input', () => {
  it('an unknown state is a clear error', () => {
    expect(() => nextState('OPEN' as TcpState, 'CLOSE')).toThrow(/not a TCP state: "OPEN"/);
    expect(() => nextState('toString' as TcpState, 'CLOSE')).toThrow(/not a TCP state/);
  });

  it('an unknown event is a clear error', () => {
    expect(() => nextState('ESTABLISHED', 'RCV_DATA' as TcpEventType)).toThrow(/not a TCP event: "RCV_DATA"/);
    expect(() => isEdge('ESTABLISHED', 'NOWHERE' as TcpState)).toThrow(/not a TCP state/);
  });
});

describe('compileTransitions rejects charts the flat table cannot represent', () => {
  const meta = { origin: 'figure', section: '3.3.2', label: 'x' };

  it('a guarded transition', () => {
    const m = setup({
      types: { events: {} as { type: TcpEventType } },
      guards: { never: () => false },
    }).createMachine({
      initial: 'CLOSED',
      states: { CLOSED: { on: { ACTIVE_OPEN: { target: 'SYN_SENT', guard: 'never', meta } } }, SYN_SENT: {} },
    });
    expect(() => compileTransitions(m)).toThrow(/CLOSED \+ ACTIVE_OPEN is guarded/);
  });

  it('a state that is not a TCP state', () => {
    const m = setup({}).createMachine({ initial: 'CLOSED', states: { CLOSED: {}, OPEN: {} } });
    expect(() => compileTransitions(m)).toThrow(/state 'OPEN' is not one of TCP_STATES/);
  });

  it('a missing TCP state', () => {
    const m = setup({}).createMachine({ initial: 'CLOSED', states: { CLOSED: {} } });
    expect(() => compileTransitions(m)).toThrow(/has no state LISTEN/);
  });

  it('a transition without meta', () => {
    const states = Object.fromEntries(TCP_STATES.map((s) => [s, {}]));
    const m = setup({}).createMachine({
      initial: 'CLOSED',
      states: { ...states, CLOSED: { on: { PASSIVE_OPEN: 'LISTEN' } } },
    });
    expect(() => compileTransitions(m)).toThrow(/CLOSED \+ PASSIVE_OPEN has no meta/);
  });

  it('a self-loop that is not reentering', () => {
    const states = Object.fromEntries(TCP_STATES.map((s) => [s, {}]));
    const m = setup({}).createMachine({
      initial: 'CLOSED',
      states: { ...states, TIME_WAIT: { on: { RCV_FIN: { target: 'TIME_WAIT', meta } } } },
    });
    expect(() => compileTransitions(m)).toThrow(/TIME_WAIT \+ RCV_FIN is a self-loop without reenter/);
  });

  it('an event that is not a TCP event', () => {
    const states = Object.fromEntries(TCP_STATES.map((s) => [s, {}]));
    const m = setup({}).createMachine({
      initial: 'CLOSED',
      states: { ...states, CLOSED: { on: { CONNECT: { target: 'SYN_SENT', meta } } } },
    });
    expect(() => compileTransitions(m)).toThrow(/event 'CONNECT' is not one of TCP_EVENTS/);
  });
});

describe('property: walking with nextState and with xstate visits the same states', () => {
  const stateArb = fc.constantFrom(...TCP_STATES);
  const eventArb = fc.constantFrom(...TCP_EVENTS);

  it('from any start state, over any event sequence (unaccepted events leave the state as is)', () => {
    fc.assert(
      fc.property(stateArb, fc.array(eventArb, { maxLength: 40 }), (start, events) => {
        let ours: TcpState = start;
        let snapshot = tcpMachine.resolveState({ value: start });
        for (const event of events) {
          const accepted = snapshot.can({ type: event });
          [snapshot] = transition(tcpMachine, snapshot, { type: event });
          const next = nextState(ours, event);
          expect(next !== undefined).toBe(accepted);
          ours = next ?? ours;
          expect(ours).toBe(snapshot.value);
        }
      }),
      { numRuns: 500 },
    );
  });

  it('from CLOSED, choosing only accepted events, both walks agree step by step', () => {
    fc.assert(
      fc.property(fc.array(fc.nat(), { maxLength: 60 }), (choices) => {
        let ours: TcpState = 'CLOSED';
        let snapshot = tcpMachine.resolveState({ value: 'CLOSED' });
        for (const choice of choices) {
          const options = acceptedEvents(ours);
          const event = options[choice % options.length]!;
          [snapshot] = transition(tcpMachine, snapshot, { type: event });
          ours = applyEvent(ours, event);
          expect(ours).toBe(snapshot.value);
        }
      }),
      { numRuns: 500 },
    );
  });
});
