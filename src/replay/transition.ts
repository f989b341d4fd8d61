// Every state change the replay infers goes through the compiled statechart (src/tcp/transitions.ts),
// exactly as the engine's own Connection.setState does, so an inferred change is always a real edge.
// An event the current state does not accept is reported as "impossible-transition" and ignored.
import type { TcpEventType } from '../tcp/states.js';
import { nextState } from '../tcp/transitions.js';
import type { EndpointModel } from './endpoint.js';

export interface StepResult {
  /** The event is an edge from the current state (self-loops included). */
  accepted: boolean;
  /** The state changed (a self-loop does not). */
  changed: boolean;
}

export interface StepOptions {
  /** Leave the new state out of the endpoint's state list (the passive side's implicit LISTEN). */
  unlisted?: boolean;
  /** Called with a readable line when the event is not an edge from the current state. */
  onImpossible?: (detail: string) => void;
  /** The time of the change, microseconds (kept for TIME_WAIT). */
  t?: number;
}

export function step(m: EndpointModel, event: TcpEventType, options: StepOptions = {}): StepResult {
  const from = m.state;
  const to = nextState(from, event);
  if (to === undefined) {
    options.onImpossible?.(`${m.name}: ${from} does not accept ${event} (no such edge in RFC 9293 figure 5 / section 3.10)`);
    return { accepted: false, changed: false };
  }
  if (to === 'TIME_WAIT' && options.t !== undefined) m.timeWaitSince = options.t;
  if (to === from) return { accepted: true, changed: false };
  m.state = to;
  if (!options.unlisted) m.states.push(to);
  return { accepted: true, changed: true };
}
