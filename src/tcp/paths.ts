// Transition coverage for model-based tests: for each edge of the statechart, an event sequence
// from CLOSED that ends by taking that edge. The prefixes are xstate/graph's shortest paths.

import { transition } from 'xstate';
import { getShortestPaths } from 'xstate/graph';
import { tcpMachine } from './machine.js';
import type { TcpEventType, TcpState } from './states.js';
import { TRANSITIONS, type TcpTransition } from './transitions.js';

export interface CoveringPath {
  /** The edge this path covers: its last step. */
  readonly transition: TcpTransition;
  /** Events to raise, starting in CLOSED; the last one is transition.event. */
  readonly events: ReadonlyArray<TcpEventType>;
  /** The states visited, starting with CLOSED; the last one is transition.to. */
  readonly states: ReadonlyArray<TcpState>;
}

/** Shortest event sequence from CLOSED to each reachable state, found by xstate/graph. */
export function shortestEventPaths(): Map<TcpState, TcpEventType[]> {
  const byState = new Map<TcpState, TcpEventType[]>();
  for (const path of getShortestPaths(tcpMachine)) {
    // steps[0] is the initial state (event xstate.init); steps[i] is the state reached by event i.
    const events = path.steps.slice(1).map((step) => step.event.type);
    byState.set(path.state.value as TcpState, events);
  }
  return byState;
}

/**
 * For every edge in TRANSITIONS, the shortest path from CLOSED to its source state followed by
 * its event. Each path is replayed through xstate's transition() and checked to end on the edge.
 */
export function transitionCoveringPaths(): CoveringPath[] {
  const prefixes = shortestEventPaths();
  return TRANSITIONS.map((t) => {
    const prefix = prefixes.get(t.from);
    if (prefix === undefined) {
      throw new Error(`no path from CLOSED reaches ${t.from}, so ${t.from} + ${t.event} cannot be covered`);
    }
    const events = [...prefix, t.event];
    let snapshot = tcpMachine.resolveState({ value: 'CLOSED' });
    const states: TcpState[] = ['CLOSED'];
    for (const type of events) {
      if (!snapshot.can({ type })) {
        throw new Error(`covering path for ${t.from} + ${t.event}: ${String(snapshot.value)} does not accept ${type}`);
      }
      [snapshot] = transition(tcpMachine, snapshot, { type });
      states.push(snapshot.value as TcpState);
    }
    if (states.at(-2) !== t.from || states.at(-1) !== t.to) {
      throw new Error(`covering path for ${t.from} + ${t.event} ended ${states.join(' -> ')}`);
    }
    return { transition: t, events, states };
  });
}
