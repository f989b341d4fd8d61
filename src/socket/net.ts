// The per-host socket module a program sees (like Python's `socket`): socket(), sleep(), time().
// Calls run on virtual time: a blocking call returns a promise that settles when the simulated
// host can complete it, or when the socket's timeout (settimeout) expires.
import { SocketError, type Errno } from '../tcp/errno.js';
import type { Host, Waiter } from '../sim/host.js';
import type { Program, ScheduledCall, World } from '../sim/world.js';
import type { CallEvent } from '../sim/trace.js';
import { isIPv4, isIPv6 } from '../wire/address.js';
import { TcpSocketHandle } from './tcp-socket.js';
import { UdpSocketHandle } from './udp-socket.js';

export type SocketType = 'tcp' | 'udp';

/** The outcome of one try at a blocking call. */
export type Attempt<T> = { done: false } | { done: true; value: T } | { done: true; errno: Errno };

export const WOULD_BLOCK = { done: false } as const;

export interface BlockingCall<T> {
  call: string;
  socket: number;
  args: string[];
  /** Tried now, then again after each change of `watch` (or of anything on the host) until it is done. */
  attempt: () => Attempt<T>;
  /** The TCP socket (id) whose changes alone can let the call proceed; without it, re-tried on every visit of the host. */
  watch?: number;
  /** Seconds; undefined or null blocks forever. */
  timeout: number | null;
  /** The errno a timeout gives (SO_RCVTIMEO: EAGAIN; connect: EINPROGRESS). */
  timeoutErrno: Errno;
  /** Text for the trace when it succeeds. */
  describe: (value: T) => string | undefined;
}

export class Net {
  constructor(
    readonly world: World,
    readonly host: Host,
    /** The program making the calls, named in the trace's call events. */
    readonly program?: string,
  ) {}

  /** The world's entry for the program (set by `program()`): its blocked call is marked there. */
  programEntry: Program | undefined;

  /** socket(AF_INET, SOCK_STREAM) or SOCK_DGRAM. */
  socket(type: SocketType = 'tcp'): TcpSocketHandle | UdpSocketHandle {
    if (type === 'udp') return new UdpSocketHandle(this, this.host.tcp.newDescriptor());
    if (type !== 'tcp') throw new SocketError('EINVAL', `socket(): unknown type "${String(type)}"`);
    return new TcpSocketHandle(this, this.host.tcp.socket());
  }

  tcp(): TcpSocketHandle {
    return this.socket('tcp') as TcpSocketHandle;
  }

  udp(): UdpSocketHandle {
    return this.socket('udp') as UdpSocketHandle;
  }

  /** Virtual seconds since the run began. */
  time(): number {
    return this.world.now / 1e6;
  }

  /** Sleeps for `seconds` of virtual time. */
  sleep(seconds: number): Promise<void> {
    if (!(seconds >= 0)) throw new SocketError('EINVAL', `sleep(): seconds must be >= 0, got ${seconds}`);
    return new Promise((resolve) => {
      this.world.setBlocked(this.host.name, 'sleep', this.programEntry);
      this.world.at(this.world.now + Math.round(seconds * 1e6), () => {
        this.world.setBlocked(this.host.name, undefined, this.programEntry);
        this.world.noteSettled();
        resolve();
      });
    });
  }

  /** A simulated host's name or a literal address to an address. */
  resolve = (name: string): string | undefined => {
    if (isIPv4(name) || isIPv6(name)) return name;
    return this.world.findHost(name)?.address;
  };

  /** Records a completed call in the trace. */
  record(call: string, socket: number | undefined, args: string[], result: Errno | 'ok', value?: string): void {
    const recorder = this.world.recorder;
    if (!recorder.recording) {
      recorder.countCall();
      return;
    }
    // One literal in the order of the JSON form, an absent field undefined (JSON.stringify leaves it out), as
    // the recorder builds its events (src/sim/recorder.ts).
    const ev: CallEvent = {
      t: this.world.now,
      kind: 'call',
      host: this.host.name,
      program: this.program,
      socket,
      call,
      args: args.length > 0 ? args : undefined,
      result,
      value,
    };
    recorder.call(ev);
  }

  /** Runs a non-blocking call: records it, flushes the host, throws SocketError on an errno. */
  immediate<T>(call: string, socket: number | undefined, args: string[], run: () => Errno | { value: T }, describe?: (v: T) => string | undefined): T {
    const r = run();
    if (socket !== undefined) this.host.touch(socket); // a call may change what another call on the socket waits for
    this.world.flushHost(this.host);
    if (typeof r === 'string') {
      this.record(call, socket, args, r);
      throw new SocketError(r, `${call}()`);
    }
    const text = this.world.recorder.recording ? describe?.(r.value) : undefined;
    this.record(call, socket, args, 'ok', text);
    return r.value;
  }

  /** Runs a call that may block until the host can complete it. */
  block<T>(spec: BlockingCall<T>): Promise<T> {
    const { world, host } = this;
    return new Promise<T>((resolve, reject) => {
      let settled = false;
      let timer: ScheduledCall | undefined;
      const finish = (r: Attempt<T>): boolean => {
        if (!r.done || settled) return r.done;
        settled = true;
        if (timer !== undefined) world.cancel(timer);
        world.setBlocked(host.name, undefined, this.programEntry);
        world.noteSettled();
        if ('errno' in r) {
          this.record(spec.call, spec.socket, spec.args, r.errno);
          reject(new SocketError(r.errno, `${spec.call}()`));
        } else {
          this.record(spec.call, spec.socket, spec.args, 'ok', world.recorder.recording ? spec.describe(r.value) : undefined);
          resolve(r.value);
        }
        return true;
      };
      const first = spec.attempt();
      host.touch(spec.socket);
      world.flushHost(host);
      if (finish(first)) return;
      const waiter: Waiter = spec.watch === undefined ? { check: () => finish(spec.attempt()) } : { check: () => finish(spec.attempt()), socket: spec.watch };
      host.addWaiter(waiter);
      world.setBlocked(host.name, spec.call, this.programEntry);
      if (spec.timeout !== null && spec.timeout !== undefined) {
        timer = world.at(world.now + Math.round(spec.timeout * 1e6), () => {
          host.removeWaiter(waiter);
          finish({ done: true, errno: spec.timeoutErrno });
        });
      }
    });
  }
}

/** Runs `body` as a program on `host` (by name) starting at `start` seconds. */
export function program(world: World, hostName: string, name: string, body: (net: Net) => Promise<void>, start = 0): void {
  const net = new Net(world, world.host(hostName), name);
  net.programEntry = world.spawn(hostName, name, () => body(net), Math.round(start * 1e6));
}
