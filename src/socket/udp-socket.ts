// A UDP socket handle: sendto/recvfrom with no handshake, no acknowledgment, no retransmission.
// A datagram to a port with no socket is dropped (the ICMP port unreachable Linux would send is
// not modelled).
import { SocketError } from '../tcp/errno.js';
import type { UdpPort } from '../sim/host.js';
import { formatEndpoint } from '../wire/address.js';
import { resolveAddress, type Address } from './address.js';
import { WOULD_BLOCK, type Attempt, type Net } from './net.js';
import { toBytes } from './tcp-socket.js';

/** Largest UDP payload in an IPv4 datagram. */
const MAX_UDP_PAYLOAD = 65507;

export class UdpSocketHandle {
  private port: UdpPort | undefined;
  private closed = false;
  private timeout: number | null = null;

  constructor(
    private readonly net: Net,
    readonly fd: number,
  ) {}

  bind(address: Address): void {
    this.check('bind');
    const { ip, port } = resolveAddress(address, this.net.resolve, 'bind');
    this.net.immediate('bind', this.fd, [formatEndpoint(ip, port)], () => {
      if (this.port) return 'EINVAL';
      const chosen = port === 0 ? this.net.host.freeUdpPort() : port;
      if (chosen === undefined || this.net.host.udp.has(chosen)) return 'EADDRINUSE';
      this.port = { ip, port: chosen, queue: [], limit: 256 };
      this.net.host.udp.set(chosen, this.port);
      return { value: undefined };
    });
  }

  /** sendto(data, address): the datagram leaves at once; returns its length. */
  async sendto(data: Uint8Array | string, address: Address): Promise<number> {
    this.check('sendto');
    const bytes = toBytes(data);
    const { ip, port } = resolveAddress(address, this.net.resolve, 'sendto');
    const target = formatEndpoint(ip, port);
    return this.net.immediate('sendto', this.fd, [`${bytes.length} bytes`, target], () => {
      if (bytes.length > MAX_UDP_PAYLOAD) return 'EMSGSIZE';
      if (!this.port) {
        const chosen = this.net.host.freeUdpPort();
        if (chosen === undefined) return 'EADDRINUSE';
        this.port = { ip: '0.0.0.0', port: chosen, queue: [], limit: 256 };
        this.net.host.udp.set(chosen, this.port);
      }
      const src = ip.startsWith('127.') ? '127.0.0.1' : this.net.host.address;
      this.net.world.sendUdp(this.net.host, src, this.port.port, ip, port, bytes);
      return { value: bytes.length };
    }, (n) => `${n} bytes`);
  }

  /** recvfrom(max): the next datagram (truncated to max) and who sent it. */
  async recvfrom(max = 65536): Promise<[Uint8Array, Address]> {
    this.check('recvfrom');
    return this.net.block({
      call: 'recvfrom',
      socket: this.fd,
      args: [String(max)],
      timeout: this.timeout,
      timeoutErrno: 'EAGAIN',
      attempt: (): Attempt<[Uint8Array, Address]> => {
        if (!this.port) return { done: true, errno: 'EINVAL' };
        const d = this.port.queue.shift();
        if (!d) return WOULD_BLOCK;
        return { done: true, value: [d.payload.slice(0, max), [d.from.ip, d.from.port]] };
      },
      describe: ([data, from]) => `${data.length} bytes from ${formatEndpoint(from[0], from[1])}`,
    });
  }

  async recv(max = 65536): Promise<Uint8Array> {
    const [data] = await this.recvfrom(max);
    return data;
  }

  settimeout(seconds: number | null): void {
    if (seconds !== null && !(seconds >= 0)) throw new SocketError('EINVAL', 'settimeout(): timeout must be >= 0 or null');
    this.timeout = seconds;
  }

  getsockname(): Address {
    return this.port ? [this.port.ip, this.port.port] : ['0.0.0.0', 0];
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.net.immediate('close', this.fd, [], () => {
      if (this.port) this.net.host.udp.delete(this.port.port);
      this.port = undefined;
      return { value: undefined };
    });
  }

  private check(call: string): void {
    if (this.closed) {
      this.net.record(call, this.fd, [], 'EBADF');
      throw new SocketError('EBADF', `${call}() on a closed socket`);
    }
  }
}
