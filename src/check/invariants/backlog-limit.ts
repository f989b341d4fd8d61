// RFC 9293 3.10.1 leaves the queue of a listening socket to the implementation; Linux bounds its accept
// queue (connections whose handshake completed, not yet accepted) by the listen() backlog, capped at
// somaxconn, and calls it full when it holds MORE than backlog (sk_acceptq_is_full): listen(n) holds n+1.
// The profile says which rule (acceptQueueRule 'gt': n+1; 'ge': n). A connection joins the queue when its
// socket, born from the listener, first becomes synchronized, and leaves it when accept() returns it or
// when it closes before that.
import type { Trace } from '../../sim/trace.js';
import { at, profileOf, type CheckContext, type Violation } from '../violation.js';

const NAME = 'backlog-limit';
const RFC = 'RFC 9293 3.10.1 (Linux sk_acceptq_is_full)';
const SYNCHRONIZED = new Set(['ESTABLISHED', 'CLOSE_WAIT', 'FIN_WAIT_1', 'FIN_WAIT_2', 'CLOSING', 'LAST_ACK', 'TIME_WAIT']);

interface Listener {
  socket: number;
  port: string;
  limit: number;
  backlog: number;
  /** Child socket ids in the accept queue. */
  queue: Set<number>;
}

const portOf = (endpoint: string) => endpoint.slice(endpoint.lastIndexOf(':') + 1);

export function backlogLimit(trace: Trace, context?: CheckContext): Violation[] {
  const out: Violation[] = [];
  const listeners = new Map<string, Listener[]>(); // by host
  const pendingBacklog = new Map<string, number>(); // "host#socket" -> listen(n) just called
  const children = new Map<string, Listener>(); // "host#child" -> its listener
  const queued = new Set<string>();
  trace.events.forEach((ev, index) => {
    if (ev.kind === 'call' && ev.call === 'listen' && ev.result === 'ok' && ev.socket !== undefined) {
      const n = Number(ev.args?.[0] ?? 128);
      const profile = profileOf(trace, ev.host, context);
      const backlog = Math.min(Number.isFinite(n) ? n : 128, profile.somaxconn);
      const limit = profile.acceptQueueRule === 'gt' ? backlog + 1 : backlog;
      const l = (listeners.get(ev.host) ?? []).find((x) => x.socket === ev.socket);
      if (l) Object.assign(l, { backlog, limit });
      else pendingBacklog.set(`${ev.host}#${ev.socket}`, backlog);
      return;
    }
    if (ev.kind === 'state' && ev.to === 'LISTEN') {
      const list = listeners.get(ev.host) ?? [];
      listeners.set(ev.host, list);
      const profile = profileOf(trace, ev.host, context);
      const backlog = pendingBacklog.get(`${ev.host}#${ev.socket}`) ?? Math.min(128, profile.somaxconn);
      list.push({ socket: ev.socket, port: portOf(ev.endpoint), backlog, limit: profile.acceptQueueRule === 'gt' ? backlog + 1 : backlog, queue: new Set() });
      return;
    }
    if (ev.kind === 'state' && ev.from === 'LISTEN' && ev.to !== 'LISTEN') {
      const list = listeners.get(ev.host) ?? [];
      const own = list.findIndex((x) => x.socket === ev.socket);
      if (own >= 0) {
        list.splice(own, 1); // the listener itself closed
        return;
      }
      // A socket born from a listener on this port.
      const parent = list.find((x) => x.port === portOf(ev.endpoint));
      if (parent) children.set(`${ev.host}#${ev.socket}`, parent);
    }
    if (ev.kind === 'state') {
      const key = `${ev.host}#${ev.socket}`;
      const parent = children.get(key);
      if (!parent) return;
      if (SYNCHRONIZED.has(ev.to) && !queued.has(key)) {
        queued.add(key);
        parent.queue.add(ev.socket);
        if (parent.queue.size > parent.limit) {
          out.push({
            invariant: NAME,
            rfc: RFC,
            message: `${ev.host}: the listener (socket ${parent.socket}, listen(${parent.backlog})) holds ${parent.queue.size} connections waiting for accept(), more than ${parent.limit} (${at(trace, index)})`,
            events: [index],
          });
        }
      } else if (ev.to === 'CLOSED') {
        parent.queue.delete(ev.socket);
      }
      return;
    }
    if (ev.kind === 'call' && ev.call === 'accept' && ev.result === 'ok') {
      const fd = /^fd (\d+)/.exec(ev.value ?? '');
      if (!fd) return;
      const parent = children.get(`${ev.host}#${fd[1]}`);
      parent?.queue.delete(Number(fd[1]));
    }
  });
  return out;
}
