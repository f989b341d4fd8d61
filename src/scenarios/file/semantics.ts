// Checks a schema cannot express: names that must refer to hosts or sockets defined elsewhere in the file.
import { isIPv4, isIPv6 } from '../../wire/address.js';
import type { ScenarioFile } from './schema.js';
import { checkStaticLimits } from './static-limits.js';
import type { Step } from './steps.js';

export interface SemanticProblem {
  path: PropertyKey[];
  message: string;
}

export function checkSemantics(f: ScenarioFile): SemanticProblem[] {
  const out: SemanticProblem[] = [];
  const hosts = Object.keys(f.hosts);
  const addresses = new Map<string, string>();
  const hostList = hosts.join(', ') || 'none';
  const isHost = (name: string) => hosts.includes(name);
  /** A host name, a host's address, or (for injections) any IPv4 address. */
  const knownPlace = (text: string, anyAddress: boolean) => isHost(text) || addresses.has(text) || (anyAddress && isIPv4(text));

  if (hosts.length < 2) out.push({ path: ['hosts'], message: `expected at least two hosts (a ladder has two lifelines), found ${hosts.length}` });
  for (const [name, h] of Object.entries(f.hosts)) {
    if (isIPv6(h.address)) out.push({ path: ['hosts', name, 'address'], message: `expected an IPv4 address, found "${h.address}" (IPv6 hosts are not simulated yet)` });
    else if (!isIPv4(h.address)) out.push({ path: ['hosts', name, 'address'], message: `expected an IPv4 address such as 10.0.0.1, found "${h.address}"` });
    else if (addresses.has(h.address)) out.push({ path: ['hosts', name, 'address'], message: `address ${h.address} is already host ${addresses.get(h.address)}'s` });
    else addresses.set(h.address, name);
  }
  f.lifelines?.forEach((l, i) => {
    if (!isHost(l)) out.push({ path: ['lifelines', i], message: `expected a host (${hostList}), found "${l}"` });
  });
  if (f.lifelines && f.lifelines[0] === f.lifelines[1]) out.push({ path: ['lifelines'], message: 'expected two different hosts' });
  f.links.forEach((l, i) => {
    l.between.forEach((h, j) => {
      if (!isHost(h)) out.push({ path: ['links', i, 'between', j], message: `expected a host (${hostList}), found "${h}"` });
    });
    if (l.between[0] === l.between[1]) out.push({ path: ['links', i, 'between'], message: 'expected two different hosts' });
  });
  f.faults.forEach((fault, i) => {
    for (const side of ['from', 'to'] as const) {
      const where = fault.match[side];
      if (where !== undefined && !knownPlace(where.replace(/:\d+$/, ''), false)) {
        out.push({ path: ['faults', i], message: `${side}: expected a host (${hostList}), an address or ip:port, found "${where}"` });
      }
    }
  });
  f.inject.forEach((inj, i) => {
    for (const side of ['from', 'to'] as const) {
      const [place, port] = splitEndpoint(inj[side]);
      if (!knownPlace(place, side === 'from')) out.push({ path: ['inject', i, side], message: `expected a host (${hostList}) or an IPv4 address, with an optional :port, found "${inj[side]}"` });
      if (side === 'from' && port === undefined) out.push({ path: ['inject', i, side], message: `expected "address:port" (the source port of the injected segment), found "${inj[side]}"` });
    }
    const relative = typeof inj.seq === 'string' || typeof inj.ack === 'string';
    if (!relative && splitEndpoint(inj.to)[1] === undefined) {
      out.push({ path: ['inject', i, 'to'], message: `expected "host:port", found "${inj.to}" (a port is needed unless seq or ack is relative to a connection)` });
    }
  });
  const socketsByHost = new Map<string, Set<string>>();
  f.programs.forEach((p, i) => {
    if (!isHost(p.host)) {
      out.push({ path: ['programs', i, 'host'], message: `expected a host (${hostList}), found "${p.host}"` });
      return;
    }
    const names = socketsByHost.get(p.host) ?? new Set<string>();
    socketsByHost.set(p.host, names);
    checkSteps(p.steps, ['programs', i, 'steps'], { sockets: names, data: new Set() }, (to) => knownPlace(to, false), out);
  });
  f.expect.forEach((e, i) => {
    if (e.program !== undefined && !f.programs.some((p) => p.host === e.host && (p.name ?? p.host) === e.program)) {
      const names = f.programs.filter((p) => p.host === e.host).map((p) => `"${p.name ?? p.host}"`).join(', ') || 'none';
      out.push({ path: ['expect', i, 'program'], message: `expected one of ${e.host}'s programs (${names}), found "${e.program}"` });
    }
    if (!isHost(e.host)) out.push({ path: ['expect', i, 'host'], message: `expected a host (${hostList}), found "${e.host}"` });
    else if (!socketsByHost.get(e.host)?.has(e.socket)) {
      out.push({ path: ['expect', i, 'socket'], message: `expected a socket that ${e.host}'s program creates or accepts, found "${e.socket}"` });
    }
  });
  out.push(...checkStaticLimits(f));
  return out;
}

interface Scope {
  sockets: Set<string>;
  data: Set<string>;
}

/** Walks the steps in order: a socket must be created (socket, accept) before it is used. */
function checkSteps(steps: Step[], path: PropertyKey[], scope: Scope, knownTo: (host: string) => boolean, out: SemanticProblem[]): void {
  steps.forEach((step, j) => {
    const at = [...path, j];
    if (step.call === 'repeat') {
      checkSteps(step.steps, [...at, 'repeat', 'steps'], scope, knownTo, out);
      return;
    }
    const args = step.args as Record<string, unknown>;
    if (step.call === 'sleep' || step.call === 'wait_until') return;
    if (step.call === 'socket') {
      scope.sockets.add((args as { name: string }).name);
      return;
    }
    const socket = args.socket as string;
    if (!scope.sockets.has(socket)) {
      out.push({ path: [...at, step.call, ...(typeof (step.args as unknown) === 'object' ? ['socket'] : [])], message: `expected a socket created earlier (socket: ${socket}), found "${socket}" used before it exists` });
    }
    const payload = args.payload as { from?: string } | undefined;
    if (payload?.from !== undefined && !scope.data.has(payload.from)) {
      out.push({ path: [...at, step.call], message: `expected data stored earlier with "as: ${payload.from}", found "${payload.from}" used before it exists` });
    }
    if (typeof args.to === 'string' && !knownTo(splitEndpoint(args.to)[0])) {
      out.push({ path: [...at, step.call, 'to'], message: `expected "host:port" naming a host or its address, found "${args.to}"` });
    }
    if (step.call === 'accept') scope.sockets.add(args.as as string);
    else if (typeof args.as === 'string') scope.data.add(args.as);
  });
}

/** "host:port" -> [host, port]; "host" -> [host, undefined]; "[::1]:80" -> ["::1", 80]. */
export function splitEndpoint(text: string): [string, number | undefined] {
  const m = /^(?:\[([^\]]+)\]|([^:]+)):(\d+)$/.exec(text);
  return m ? [m[1] ?? m[2]!, Number(m[3])] : [text, undefined];
}
