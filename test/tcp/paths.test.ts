import { transition } from 'xstate';
import { getShortestPaths, getSimplePaths } from 'xstate/graph';
import { describe, expect, it } from 'vitest';
import { tcpMachine } from '../../src/tcp/machine.js';
import { shortestEventPaths, transitionCoveringPaths } from '../../src/tcp/paths.js';
import { TCP_STATES, type TcpEventType, type TcpState } from '../../src/tcp/states.js';
import { TRANSITIONS, applyEvent } from '../../src/tcp/transitions.js';

// Fewest events from CLOSED to each state, reasoned out from RFC 9293 figure 5: LISTEN and
// SYN_SENT are one open away; SYN_RECEIVED and ESTABLISHED one segment further; FIN_WAIT_1
// (CLOSE from either) and CLOSE_WAIT (FIN in ESTABLISHED) at 3; FIN_WAIT_2, CLOSING (from
// FIN_WAIT_1) and LAST_ACK (from CLOSE_WAIT) at 4; TIME_WAIT only from FIN_WAIT_2 or CLOSING, at 5.
const DISTANCE: Record<TcpState, number> = {
  CLOSED: 0,
  LISTEN: 1,
  SYN_SENT: 1,
  SYN_RECEIVED: 2,
  ESTABLISHED: 2,
  FIN_WAIT_1: 3,
  CLOSE_WAIT: 3,
  FIN_WAIT_2: 4,
  CLOSING: 4,
  LAST_ACK: 4,
  TIME_WAIT: 5,
};

/** Replay events from CLOSED with xstate alone; every event must be handled. */
function replayWithXstate(events: readonly TcpEventType[]): TcpState[] {
  let snapshot = tcpMachine.resolveState({ value: 'CLOSED' });
  const states: TcpState[] = ['CLOSED'];
  for (const type of events) {
    expect(snapshot.can({ type }), `${String(snapshot.value)} must accept ${type}`).toBe(true);
    [snapshot] = transition(tcpMachine, snapshot, { type });
    states.push(snapshot.value as TcpState);
  }
  return states;
}

describe('shortest paths from CLOSED (xstate/graph)', () => {
  const paths = getShortestPaths(tcpMachine);

  it('reach every one of the eleven states', () => {
    const reached = paths.map((p) => p.state.value as string).sort();
    expect(reached).toEqual([...TCP_STATES].sort());
    expect(reached).toHaveLength(11);
  });

  it('have the hand-derived length for each state', () => {
    for (const p of paths) {
      const state = p.state.value as TcpState;
      expect(p.weight, state).toBe(DISTANCE[state]);
    }
  });

  it('reach TIME_WAIT in 5 events through FIN_WAIT_1 and then FIN_WAIT_2 or CLOSING', () => {
    const events = shortestEventPaths().get('TIME_WAIT')!;
    expect(events).toHaveLength(5);
    const states = replayWithXstate(events);
    expect(states[3]).toBe('FIN_WAIT_1');
    expect(['FIN_WAIT_2', 'CLOSING']).toContain(states[4]);
    expect(states[5]).toBe('TIME_WAIT');
  });

  it('the textbook active open and close is one of the shortest walks to TIME_WAIT', () => {
    // CLOSED -> SYN_SENT -> ESTABLISHED -> FIN_WAIT_1 -> FIN_WAIT_2 -> TIME_WAIT
    const events: TcpEventType[] = ['ACTIVE_OPEN', 'RCV_SYN_ACK', 'CLOSE', 'RCV_ACK_OF_FIN', 'RCV_FIN'];
    expect(replayWithXstate(events)).toEqual(['CLOSED', 'SYN_SENT', 'ESTABLISHED', 'FIN_WAIT_1', 'FIN_WAIT_2', 'TIME_WAIT']);
    expect(events.reduce(applyEvent, 'CLOSED' as TcpState)).toBe('TIME_WAIT');
    expect(events).toHaveLength(DISTANCE.TIME_WAIT);
  });
});

describe('simple paths from CLOSED (xstate/graph)', () => {
  it('cover exactly the 15 figure-5 edges that do not return to CLOSED', () => {
    // A simple path visits no state twice, so it can never take an edge back into CLOSED (its
    // start) nor the TIME_WAIT self-loop. Every other edge is the end of some simple path.
    const covered = new Set<string>();
    for (const path of getSimplePaths(tcpMachine)) {
      for (let i = 1; i < path.steps.length; i++) {
        covered.add(`${String(path.steps[i - 1]!.state.value)} ${path.steps[i]!.event.type}`);
      }
    }
    const expected = TRANSITIONS.filter((t) => t.to !== 'CLOSED' && !t.selfLoop);
    expect(expected).toHaveLength(15);
    expect(expected.every((t) => t.origin === 'figure')).toBe(true);
    expect([...covered].sort()).toEqual(expected.map((t) => `${t.from} ${t.event}`).sort());
  });
});

describe('transitionCoveringPaths', () => {
  const covering = transitionCoveringPaths();

  it('gives one path per transition, 48 in all, covering every (state, event) edge once', () => {
    expect(covering).toHaveLength(48);
    const keys = covering.map((c) => `${c.transition.from} ${c.transition.event}`);
    expect(new Set(keys).size).toBe(48);
    expect(keys.sort()).toEqual(TRANSITIONS.map((t) => `${t.from} ${t.event}`).sort());
  });

  it('each path, replayed from CLOSED with xstate, ends by taking its edge', () => {
    for (const { transition: t, events, states } of covering) {
      const replayed = replayWithXstate(events);
      expect(events.at(-1)).toBe(t.event);
      expect(replayed.at(-2), `${t.from} + ${t.event}`).toBe(t.from);
      expect(replayed.at(-1), `${t.from} + ${t.event}`).toBe(t.to);
      expect(states).toEqual(replayed);
    }
  });

  it('each path is a shortest prefix to the edge source plus the edge', () => {
    for (const { transition: t, events } of covering) {
      expect(events, `${t.from} + ${t.event}`).toHaveLength(DISTANCE[t.from] + 1);
    }
  });

  it('covers the TIME_WAIT self-loop, RCV_SYN in TIME_WAIT and the Linux FIN_WAIT_2 timeout', () => {
    const find = (from: TcpState, event: TcpEventType) =>
      covering.find((c) => c.transition.from === from && c.transition.event === event);
    expect(find('TIME_WAIT', 'RCV_FIN')?.states.slice(-2)).toEqual(['TIME_WAIT', 'TIME_WAIT']);
    expect(find('TIME_WAIT', 'RCV_SYN')?.states.slice(-2)).toEqual(['TIME_WAIT', 'CLOSED']);
    expect(find('FIN_WAIT_2', 'FIN_WAIT_2_TIMEOUT')?.states.slice(-2)).toEqual(['FIN_WAIT_2', 'CLOSED']);
  });
});
