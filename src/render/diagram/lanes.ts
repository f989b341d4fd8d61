// The lifelines: one per endpoint (host and local port), in a sensible order left to right. Clients (hosts that
// never listen) come first in the trace's host order, then servers, each host's endpoints in the order they first
// appear. Segments no host could have sent (spoofed sources, forged packets) share one lane on the far left, so a
// flood's 36 addresses make one labelled lane instead of 36 truncated ones.
import type { Trace, TraceHost } from '../../sim/trace.js';
import { endpointAddress, endpointPort } from '../endpoint.js';
import { socketKey, socketPorts } from './sockets.js';
import type { Lane } from './types.js';

export interface Lanes {
  lanes: Lane[];
  /** The lane of a segment's source or destination endpoint. `injected`: the sender is the outside lane whatever the address says. */
  ofEndpoint(endpoint: string, injected?: boolean): number;
  /** The lane of a host's socket: its endpoint's lane, or the host's own lane when it never had a port. */
  ofSocket(host: string, socket: number | undefined): number;
}

const OUTSIDE = '~outside';

interface Draft {
  key: string;
  host: TraceHost | undefined;
  port: string | undefined;
  address: string | undefined;
  first: number;
  order: number;
  listener: boolean;
}

export function buildLanes(trace: Trace): Lanes {
  const hostByEndpoint = new Map<string, TraceHost>();
  const hostByAddress = new Map<string, TraceHost>();
  const hostByName = new Map<string, TraceHost>();
  for (const h of trace.hosts) {
    if (endpointPort(h.address) !== undefined) hostByEndpoint.set(h.address, h);
    else if (!hostByAddress.has(h.address)) hostByAddress.set(h.address, h);
    if (!hostByName.has(h.name)) hostByName.set(h.name, h);
  }
  // A state or call event names its host by name (or, in a replayed capture, by endpoint).
  const hostNamed = (name: string): TraceHost => hostByName.get(name) ?? hostByEndpoint.get(name) ?? hostByAddress.get(name) ?? { name, address: name };
  const hostOfEndpoint = (endpoint: string): TraceHost | undefined => hostByEndpoint.get(endpoint) ?? hostByAddress.get(endpointAddress(endpoint));
  const ports = socketPorts(trace);

  const drafts = new Map<string, Draft>();
  let order = 0;
  const draft = (key: string, host: TraceHost | undefined, port: string | undefined, t: number, address?: string): Draft => {
    let d = drafts.get(key);
    if (d === undefined) {
      d = { key, host, port, address, first: t, order: order++, listener: false };
      drafts.set(key, d);
    }
    if (d.address === undefined && address !== undefined) d.address = address;
    return d;
  };
  const endpointKey = (host: TraceHost, port: string | undefined) => (port === undefined ? host.name : `${host.name}:${port}`);
  const outsideAddresses = new Set<string>();

  const laneKeyOfEndpoint = (endpoint: string, isInjected: boolean, t: number): string => {
    const host = isInjected ? undefined : hostOfEndpoint(endpoint);
    if (host === undefined) {
      outsideAddresses.add(endpointAddress(endpoint));
      draft(OUTSIDE, undefined, undefined, t);
      return OUTSIDE;
    }
    const port = endpointPort(endpoint);
    return draft(endpointKey(host, port), host, port, t, endpointAddress(endpoint)).key;
  };
  const laneKeyOfSocket = (hostName: string, socket: number | undefined, t: number): string => {
    const host = hostNamed(hostName);
    const port = ports.get(socketKey(hostName, socket));
    return draft(endpointKey(host, port), host, port, t).key;
  };

  const endpointLane = new Map<string, string>();
  const socketLane = new Map<string, string>();
  const seenSockets = new Set<string>();
  const passiveHosts = new Set<string>();
  for (const ev of trace.events) {
    if (ev.kind === 'segment' || ev.kind === 'datagram') {
      const forged = ev.kind === 'segment' && ev.injected === true;
      const src = laneKeyOfEndpoint(ev.src, forged, ev.t);
      if (!forged) endpointLane.set(ev.src, src);
      endpointLane.set(ev.dst, laneKeyOfEndpoint(ev.dst, false, ev.t));
    } else {
      const key = laneKeyOfSocket(ev.host, ev.socket, ev.t);
      const socket = socketKey(ev.host, ev.socket);
      if (ev.kind === 'state') {
        if (ev.to === 'LISTEN') drafts.get(key)!.listener = true;
        // A socket whose life starts in SYN_RECEIVED was opened passively (a listener's child, or a server
        // endpoint of a replayed capture, where no LISTEN is seen): its host is a server.
        if (!seenSockets.has(socket) && (ev.to === 'LISTEN' || ev.to === 'SYN_RECEIVED')) passiveHosts.add(drafts.get(key)!.host!.name);
        seenSockets.add(socket);
      }
      socketLane.set(socket, key);
    }
  }

  // Order: the outside lane, then hosts that never open passively (trace host order), then hosts that do.
  const hostIndex = new Map(trace.hosts.map((h, i) => [h.name, i]));
  const listening = passiveHosts;
  const rank = (d: Draft): number[] => {
    if (d.key === OUTSIDE) return [0, 0, 0, 0];
    const name = d.host!.name;
    return [listening.has(name) ? 2 : 1, hostIndex.get(name) ?? trace.hosts.length, d.port === undefined ? 1 : 0, d.order];
  };
  const sorted = [...drafts.values()].sort((a, b) => {
    const ra = rank(a);
    const rb = rank(b);
    for (let i = 0; i < ra.length; i++) if (ra[i] !== rb[i]) return ra[i]! - rb[i]!;
    return 0;
  });

  const lanes: Lane[] = sorted.map((d) => {
    if (d.key === OUTSIDE) {
      const addresses = [...outsideAddresses];
      const spoofed = addresses.some((a) => hostByAddress.get(a) === undefined);
      return {
        key: d.key,
        kind: 'outside',
        host: '',
        title: spoofed ? 'spoofed sources' : 'injected',
        // Forged with a host's own address: say whose, so nobody reads the lane as that host.
        subtitle: spoofed ? addressRange(addresses) : `forged as ${addressRange(addresses)}`,
        listener: false,
        tracks: 0,
      };
    }
    const host = d.host!;
    const ownEndpoint = endpointPort(host.address) !== undefined;
    const address = d.address ?? host.address;
    const where = d.port === undefined ? `${address} (no port)` : ownEndpoint ? host.address : `${endpointAddress(address)}:${d.port}`;
    return {
      key: d.key,
      kind: d.port === undefined ? 'host' : 'endpoint',
      host: host.name,
      title: host.name,
      subtitle: (where === host.name ? '' : where) + (d.listener ? (where === host.name ? 'listening' : ' listening') : ''),
      listener: d.listener,
      tracks: 0,
    };
  });
  const indexOf = new Map(lanes.map((l, i) => [l.key, i]));
  return {
    lanes,
    ofEndpoint(endpoint, isInjected = false) {
      if (isInjected) return indexOf.get(OUTSIDE)!;
      return indexOf.get(endpointLane.get(endpoint) ?? OUTSIDE) ?? 0;
    },
    ofSocket(host, socket) {
      return indexOf.get(socketLane.get(socketKey(host, socket)) ?? '') ?? 0;
    },
  };
}

/** "198.51.100.1 … 198.51.100.36 (36 addresses)", or the one address. */
function addressRange(addresses: string[]): string {
  if (addresses.length === 1) return addresses[0]!;
  return `${addresses[0]} … ${addresses[addresses.length - 1]} (${addresses.length} addresses)`;
}
