// Endpoint roles: what an "ip:port" is called so that two runs of one scenario read alike although
// their addresses, and the ports the stacks picked, differ. A host is its given name or host1, host2, …
// by first appearance; a port that received a pure SYN (a listening port, chosen by the program) keeps
// its number; any other port (chosen by the stack: random, RFC 6056) becomes eph1, eph2, … per host.
// Only a SYN that reaches an endpoint before it sent anything marks it as listening: a SYN forged or
// delayed into an established connection (RFC 5961 4.2) must not make a client's random port "fixed".
import { SYN, ACK, RST, FIN } from '../wire/segment.js';
import { formatEndpoint, normalizeAddress } from '../wire/address.js';
import type { ObservedPacket } from '../replay/types.js';

/** "ip:port" -> role, e.g. "10.0.0.1:40123" -> "client:eph1". */
export type Roles = Map<string, string>;

/** The names option with its addresses in canonical form; a key that is not an address is an Error. */
export function canonicalNames(names: Record<string, string> | undefined): Map<string, string> {
  const out = new Map<string, string>();
  if (names === undefined) return out;
  if (typeof names !== 'object' || names === null) throw new Error('normalise: names must be an object mapping addresses to host names');
  for (const [address, name] of Object.entries(names)) {
    let canonical: string;
    try {
      canonical = normalizeAddress(address);
    } catch {
      throw new Error(`normalise: names: "${address}" is not an IP address`);
    }
    if (typeof name !== 'string' || name === '') throw new Error(`normalise: names: the name of ${address} must be a non-empty string`);
    out.set(canonical, name);
  }
  return out;
}

function isPureSyn(p: ObservedPacket): boolean {
  return (p.segment.flags & (SYN | ACK | RST | FIN)) === SYN;
}

/** Assigns a role to every endpoint the packets mention. */
export function assignRoles(packets: readonly ObservedPacket[], names: Map<string, string>): Roles {
  const listening = new Set<string>();
  const senders = new Set<string>();
  for (const p of packets) {
    const dst = formatEndpoint(p.dst, p.segment.dstPort);
    if (isPureSyn(p) && !senders.has(dst)) listening.add(dst);
    senders.add(formatEndpoint(p.src, p.segment.srcPort));
  }

  const hostOf = new Map<string, string>();
  let unnamedHosts = 0;
  const host = (ip: string): string => {
    let name = hostOf.get(ip);
    if (name === undefined) {
      name = names.get(ip) ?? `host${++unnamedHosts}`;
      hostOf.set(ip, name);
    }
    return name;
  };

  const roles: Roles = new Map();
  // Ephemeral ports are numbered per host NAME, so two addresses given one name never share a role.
  const ephemerals = new Map<string, number>();
  const visit = (ip: string, port: number): void => {
    const endpoint = formatEndpoint(ip, port);
    if (roles.has(endpoint)) return;
    const h = host(normalizeAddress(ip));
    if (listening.has(endpoint)) {
      roles.set(endpoint, `${h}:${port}`);
    } else {
      const n = (ephemerals.get(h) ?? 0) + 1;
      ephemerals.set(h, n);
      roles.set(endpoint, `${h}:eph${n}`);
    }
  };
  for (const p of packets) {
    visit(p.src, p.segment.srcPort);
    visit(p.dst, p.segment.dstPort);
  }
  return roles;
}
