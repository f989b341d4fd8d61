// Finding trace hosts by name or address.
import type { TraceHost } from '../sim/trace.js';

/** The host with this name, else the host with this address. */
export function findHost(hosts: readonly TraceHost[], nameOrAddress: string): TraceHost | undefined {
  return hosts.find((h) => h.name === nameOrAddress) ?? hosts.find((h) => h.address === nameOrAddress);
}

/** The name of the host an event's `host` field designates (a name or an address); the field itself if none. */
export function hostName(hosts: readonly TraceHost[], host: string): string {
  return findHost(hosts, host)?.name ?? host;
}

/** Like findHost, but a lifeline must exist: throws an Error naming the hosts the trace has. */
export function lifelineHost(hosts: readonly TraceHost[], nameOrAddress: string): TraceHost {
  const host = findHost(hosts, nameOrAddress);
  if (host) return host;
  const known = hosts.map((h) => `${h.name} (${h.address})`).join(', ') || 'none';
  throw new Error(`no host "${nameOrAddress}" in the trace; its hosts are: ${known}`);
}

/** How to name an address at the edge of the ladder: its host's name, else the address itself. */
export function addressName(hosts: readonly TraceHost[], address: string): string {
  return hosts.find((h) => h.address === address)?.name ?? address;
}
