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
