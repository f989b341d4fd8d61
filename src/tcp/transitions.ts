// The statechart of machine.ts compiled, once at module load, into a flat (state x event) table.
// This is the simulator's hot path: a lookup is two Map reads and one typed-array read, no xstate.
// The table is built by walking the machine's state nodes, so machine.ts stays the only place
// where edges are written down.

import type { AnyStateMachine } from 'xstate';
import { TRANSITION_ORIGINS, tcpMachine, type TransitionOrigin } from './machine.js';
import { PROFILES, type ProfileName } from './profile.js';
import { TCP_EVENTS, TCP_STATES, type TcpEventType, type TcpState } from './states.js';

/** One edge of the connection statechart. */
export interface TcpTransition {
  readonly from: TcpState;
  readonly event: TcpEventType;
  readonly to: TcpState;
  readonly origin: TransitionOrigin;
  /** RFC 9293 section (or other RFC / Linux function) the edge comes from. */
  readonly section: string;
  /** The RFC's "event / action" label. */
  readonly label: string;
  /**
   * True for a self-loop (to === from) such as TIME_WAIT + RCV_FIN: the event IS accepted and
   * its effects happen (ACK, restart 2MSL), although the state name does not change.
   */
  readonly selfLoop: boolean;
  /** The profiles whose engine takes this edge (all, unless the chart says otherwise), and why the others do not. */
  readonly profiles: readonly ProfileName[];
  readonly notTakenBecause?: string;
}

/** Thrown by applyEvent for an event the current state does not accept. */
export class IllegalTransitionError extends Error {
  override readonly name = 'IllegalTransitionError';
  readonly state: TcpState;
  readonly event: TcpEventType;

  constructor(state: TcpState, event: TcpEventType) {
    const accepted = acceptedEvents(state);
    super(
      `TCP state ${state} does not accept event ${event} ` +
        `(accepted in ${state}: ${accepted.length > 0 ? accepted.join(', ') : 'none'})`,
    );
    this.state = state;
    this.event = event;
  }
}

const STATE_INDEX: ReadonlyMap<string, number> = new Map(TCP_STATES.map((s, i) => [s, i]));
const EVENT_INDEX: ReadonlyMap<string, number> = new Map(TCP_EVENTS.map((e, i) => [e, i]));
const N_STATES = TCP_STATES.length;
const N_EVENTS = TCP_EVENTS.length;

function isTcpState(value: unknown): value is TcpState {
  return typeof value === 'string' && STATE_INDEX.has(value);
}

function isTcpEvent(value: unknown): value is TcpEventType {
  return typeof value === 'string' && EVENT_INDEX.has(value);
}

function isOrigin(value: unknown): value is TransitionOrigin {
  return (TRANSITION_ORIGINS as readonly unknown[]).includes(value);
}

/**
 * Walk a flat machine's state nodes and list its transitions, ordered by TCP_STATES then
 * TCP_EVENTS. Throws on anything the flat table cannot represent: states or events not in
 * states.ts, nested or final states, guards, delayed or eventless transitions, several
 * candidate transitions for one event, targetless transitions, or missing/invalid meta.
 * Exported so tests can check it rejects such machines; the module compiles tcpMachine with it.
 */
export function compileTransitions(machine: AnyStateMachine): TcpTransition[] {
  const where = `statechart '${machine.id}'`;
  const root = machine.root;
  if (root.transitions.size > 0 || root.always !== undefined || root.after.length > 0) {
    throw new Error(`${where}: root-level transitions are not supported; put every edge on a state`);
  }
  for (const key of Object.keys(root.states)) {
    if (!isTcpState(key)) {
      throw new Error(`${where}: state '${key}' is not one of TCP_STATES (${TCP_STATES.join(', ')})`);
    }
  }
  const found: TcpTransition[] = [];
  for (const from of TCP_STATES) {
    const node = root.states[from];
    if (node === undefined) {
      throw new Error(`${where}: has no state ${from}`);
    }
    if (node.type !== 'atomic') {
      throw new Error(`${where}: state ${from} is ${node.type}; the connection chart must be flat (atomic states)`);
    }
    if (node.always !== undefined || node.after.length > 0) {
      throw new Error(`${where}: state ${from} has eventless or delayed transitions; timeouts must be events`);
    }
    for (const [eventType, definitions] of node.transitions) {
      const edge = `${from} + ${eventType}`;
      if (!isTcpEvent(eventType)) {
        throw new Error(`${where}: ${edge}: event '${eventType}' is not one of TCP_EVENTS`);
      }
      if (definitions.length !== 1) {
        throw new Error(`${where}: ${edge} has ${definitions.length} candidate transitions; exactly one is supported`);
      }
      const def = definitions[0]!;
      if (def.guard !== undefined) {
        throw new Error(`${where}: ${edge} is guarded; the compiled table looks up by (state, event) only`);
      }
      const targets = def.target ?? [];
      if (targets.length !== 1) {
        throw new Error(`${where}: ${edge} must have exactly one target state (has ${targets.length})`);
      }
      const target = targets[0]!;
      if (target.parent !== root || !isTcpState(target.key)) {
        throw new Error(`${where}: ${edge} targets '${target.id}', which is not a top-level TCP state`);
      }
      const to = target.key;
      if (to === from && !def.reenter) {
        throw new Error(`${where}: ${edge} is a self-loop without reenter: true; mark it reentering so it is visible`);
      }
      const meta: unknown = def.meta;
      if (typeof meta !== 'object' || meta === null) {
        throw new Error(`${where}: ${edge} has no meta {origin, section, label}`);
      }
      const { origin, section, label, onlyUnder } = meta as Record<string, unknown>;
      if (!isOrigin(origin)) {
        throw new Error(`${where}: ${edge} meta.origin must be one of ${TRANSITION_ORIGINS.join(', ')}, got ${String(origin)}`);
      }
      if (typeof section !== 'string' || section === '' || typeof label !== 'string' || label === '') {
        throw new Error(`${where}: ${edge} meta.section and meta.label must be non-empty strings`);
      }
      const restricted = onlyUnderOf(onlyUnder, `${where}: ${edge}`);
      const profiles = restricted?.profiles ?? (origin === 'linux' ? ['linux' as const] : ALL_PROFILES);
      found.push(Object.freeze({ from, event: eventType, to, origin, section, label, selfLoop: to === from, profiles, ...(restricted ? { notTakenBecause: restricted.why } : {}) }));
    }
  }
  const rank = (t: TcpTransition) => STATE_INDEX.get(t.from)! * N_EVENTS + EVENT_INDEX.get(t.event)!;
  return found.sort((a, b) => rank(a) - rank(b));
}

const ALL_PROFILES = Object.keys(PROFILES) as ProfileName[];

/** meta.onlyUnder checked: a non-empty list of known profiles and a reason. */
function onlyUnderOf(value: unknown, where: string): { profiles: ProfileName[]; why: string } | undefined {
  if (value === undefined) return undefined;
  const { profiles, why } = (value ?? {}) as Record<string, unknown>;
  const known = (p: unknown): p is ProfileName => typeof p === 'string' && (ALL_PROFILES as string[]).includes(p);
  if (!Array.isArray(profiles) || profiles.length === 0 || !profiles.every(known) || typeof why !== 'string' || why === '') {
    throw new Error(`${where} meta.onlyUnder must name known profiles and say why the others never take it`);
  }
  return { profiles: [...profiles], why };
}

/** Every transition of the statechart, ordered by source state then event (states.ts order). */
export const TRANSITIONS: ReadonlyArray<TcpTransition> = Object.freeze(compileTransitions(tcpMachine));

// NEXT[stateIndex * N_EVENTS + eventIndex] = index into TRANSITIONS, or -1 if not accepted.
const NEXT = new Int16Array(N_STATES * N_EVENTS).fill(-1);
// EDGE[fromIndex * N_STATES + toIndex] = 1 if some event moves from -> to.
const EDGE = new Uint8Array(N_STATES * N_STATES);
const ACCEPTED: ReadonlyArray<ReadonlyArray<TcpEventType>> = TCP_STATES.map((s) =>
  Object.freeze(TRANSITIONS.filter((t) => t.from === s).map((t) => t.event)),
);
TRANSITIONS.forEach((t, i) => {
  const from = STATE_INDEX.get(t.from)!;
  NEXT[from * N_EVENTS + EVENT_INDEX.get(t.event)!] = i;
  EDGE[from * N_STATES + STATE_INDEX.get(t.to)!] = 1;
});

function stateIndexOf(state: TcpState): number {
  const i = STATE_INDEX.get(state);
  if (i === undefined) {
    throw new Error(`not a TCP state: ${JSON.stringify(state)} (expected one of ${TCP_STATES.join(', ')})`);
  }
  return i;
}

function eventIndexOf(event: TcpEventType): number {
  const i = EVENT_INDEX.get(event);
  if (i === undefined) {
    throw new Error(`not a TCP event: ${JSON.stringify(event)} (expected one of ${TCP_EVENTS.join(', ')})`);
  }
  return i;
}

/** The transition `event` takes from `state`, or undefined if `state` does not accept `event`. */
export function getTransition(state: TcpState, event: TcpEventType): TcpTransition | undefined {
  const i = NEXT[stateIndexOf(state) * N_EVENTS + eventIndexOf(event)]!;
  return i < 0 ? undefined : TRANSITIONS[i];
}

/**
 * The state after `event` in `state`, or undefined if `state` does not accept `event`.
 * A self-loop returns `state` itself (accepted), never undefined.
 */
export function nextState(state: TcpState, event: TcpEventType): TcpState | undefined {
  const i = NEXT[stateIndexOf(state) * N_EVENTS + eventIndexOf(event)]!;
  return i < 0 ? undefined : TRANSITIONS[i]!.to;
}

/** Like nextState, but an event `state` does not accept throws IllegalTransitionError. Pure. */
export function applyEvent(state: TcpState, event: TcpEventType): TcpState {
  const to = nextState(state, event);
  if (to === undefined) {
    throw new IllegalTransitionError(state, event);
  }
  return to;
}

/** True if some event moves `from` to `to` (including the TIME_WAIT self-loop). */
export function isEdge(from: TcpState, to: TcpState): boolean {
  return EDGE[stateIndexOf(from) * N_STATES + stateIndexOf(to)] === 1;
}

/** The events `state` accepts, in TCP_EVENTS order. */
export function acceptedEvents(state: TcpState): ReadonlyArray<TcpEventType> {
  return ACCEPTED[stateIndexOf(state)]!;
}
