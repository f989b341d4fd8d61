// Which local port each socket of each host had: from its state changes, and from the calls that name it
// (bind's address, connect's "from ip:port"). A socket that never got one (a connect() refused with
// EADDRNOTAVAIL before any port was chosen) has none.
import type { Trace } from '../../sim/trace.js';
import { endpointPort } from '../endpoint.js';

export function socketKey(host: string, socket: number | undefined): string {
  return `${host}#${socket ?? '?'}`;
}

/** "host#socket" -> local port, for every socket the trace shows with one. Host names as the events give them. */
export function socketPorts(trace: Trace): Map<string, string> {
  const ports = new Map<string, string>();
  const learn = (host: string, socket: number | undefined, endpoint: string | undefined) => {
    if (socket === undefined || endpoint === undefined) return;
    const port = endpointPort(endpoint);
    if (port === undefined || port === '0') return;
    const key = socketKey(host, socket);
    if (!ports.has(key)) ports.set(key, port);
  };
  for (const ev of trace.events) {
    if (ev.kind === 'state' || ev.kind === 'timer') learn(ev.host, ev.socket, ev.endpoint);
    else if (ev.kind === 'call' && ev.result === 'ok') {
      if (ev.call === 'bind') learn(ev.host, ev.socket, ev.args?.[0]);
      // connect() = "from 10.0.0.1:53780"
      const from = /^from (\S+)$/.exec(ev.value ?? '');
      if (from && (ev.call === 'connect' || ev.call === 'connect_ex')) learn(ev.host, ev.socket, from[1]);
    }
  }
  return ports;
}
