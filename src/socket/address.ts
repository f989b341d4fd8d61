// Socket addresses as the seed programs write them: a (host, port) pair, as in Python.
import { SocketError } from '../tcp/errno.js';

export type Address = readonly [host: string, port: number];

/** Maps a host name the program used to an address: '' is the wildcard, 'localhost' is 127.0.0.1. */
export type Resolver = (host: string) => string | undefined;

export function checkPort(port: unknown, call: string): number {
  if (typeof port !== 'number' || !Number.isInteger(port) || port < 0 || port > 65535) {
    // Python raises OverflowError("port must be 0-65535") before the kernel sees it.
    throw new SocketError('EINVAL', `${call}(): port must be an integer 0-65535, got ${String(port)}`);
  }
  return port;
}

export function resolveAddress(addr: unknown, resolve: Resolver, call: string): { ip: string; port: number } {
  if (!Array.isArray(addr) || addr.length !== 2 || typeof addr[0] !== 'string') {
    throw new SocketError('EINVAL', `${call}(): address must be a (host, port) pair`);
  }
  const port = checkPort(addr[1], call);
  const host = addr[0];
  const ip = host === '' ? '0.0.0.0' : host === 'localhost' ? '127.0.0.1' : resolve(host);
  if (ip === undefined) throw new SocketError('EINVAL', `${call}(): unknown host "${host}"`);
  return { ip, port };
}
