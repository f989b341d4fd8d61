// Random small worlds for the determinism and statechart properties: a server and one to three
// clients (or two peers opening simultaneously) running short random programs of socket calls,
// over a link with random faults, with a few profile knobs changed and random scripted faults.
// Socket errors are part of the behaviour being explored: a failed call ends that program's
// connection, and the trace records it.
import fc from 'fast-check';
import type { Fault } from '../../src/sim/faults.js';
import type { LinkConfig } from '../../src/sim/link.js';
import type { Trace } from '../../src/sim/trace.js';
import type { World } from '../../src/sim/world.js';
import { program, SHUT_RD, SHUT_WR, SocketError, type Net, type TcpSocketHandle } from '../../src/socket/index.js';
import { LINUX, RFC9293, withKnobs, type Profile } from '../../src/tcp/profile.js';
import { RunawayRun, linkArb, patternBytes, seedArb, twoHostWorld } from './harness.js';

/** One step of a connection's program. */
export type Op =
  | { op: 'send'; bytes: number }
  | { op: 'recv'; max: number }
  | { op: 'recvAll' }
  | { op: 'sleep'; us: number }
  | { op: 'shutdown'; how: 'SHUT_WR' | 'SHUT_RD' }
  | { op: 'close' }
  /** SO_LINGER {on, 0} then close(): an abortive close with RST. */
  | { op: 'abort' };

export const opArb: fc.Arbitrary<Op> = fc.oneof(
  { weight: 3, arbitrary: fc.record({ op: fc.constant('send' as const), bytes: fc.oneof(fc.integer({ min: 1, max: 200 }), fc.integer({ min: 1, max: 40_000 })) }) },
  { weight: 3, arbitrary: fc.record({ op: fc.constant('recv' as const), max: fc.integer({ min: 1, max: 70_000 }) }) },
  { weight: 1, arbitrary: fc.constant<Op>({ op: 'recvAll' }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('sleep' as const), us: fc.integer({ min: 0, max: 3_000_000 }) }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('shutdown' as const), how: fc.constantFrom('SHUT_WR' as const, 'SHUT_RD' as const) }) },
  { weight: 2, arbitrary: fc.constant<Op>({ op: 'close' }) },
  { weight: 1, arbitrary: fc.constant<Op>({ op: 'abort' }) },
);

export const opsArb = fc.array(opArb, { maxLength: 6 });

export interface ClientPlan {
  /** Start time, microseconds. */
  start: number;
  /** Connect to the listening port (true) or to a closed one (false: RST, ECONNREFUSED). */
  toListener: boolean;
  /** settimeout() before connect(), seconds: connect() may fail with EINPROGRESS and the socket is closed mid-handshake. */
  connectTimeout: number | undefined;
  ops: Op[];
}

export interface ServerPlan {
  /** No listener at all: every SYN is answered with RST. */
  listens: boolean;
  backlog: number;
  /** Microseconds before the first accept() (lets the accept queue fill). */
  acceptDelay: number;
  /** How many connections to accept. */
  accepts: number;
  /** The program each accepted connection runs (the i-th connection takes ops[i % length]). */
  ops: Op[][];
  /** Close the listening socket after the accepts (resets what is still queued). */
  closeListener: boolean;
}

export interface ClientServerWorld {
  kind: 'client-server';
  server: ServerPlan;
  clients: ClientPlan[];
}

/** Both hosts bind a fixed port and connect to each other at about the same time (RFC 9293 3.5 figure 7). */
export interface SimultaneousOpenWorld {
  kind: 'simultaneous-open';
  /** When each side calls connect(), microseconds. */
  starts: [number, number];
  connectTimeouts: [number | undefined, number | undefined];
  ops: [Op[], Op[]];
}

export interface RandomWorld {
  seed: number;
  profile: Profile;
  link: LinkConfig;
  faults: Fault[];
  plan: ClientServerWorld | SimultaneousOpenWorld;
}

const FLAG_SETS: string[][] = [['SYN'], ['SYN', 'ACK'], ['ACK'], ['FIN', 'ACK'], ['RST'], ['RST', 'ACK'], ['PSH', 'ACK']];

export const faultArb: fc.Arbitrary<Fault> = fc
  .record({
    action: fc.constantFrom('drop' as const, 'delay' as const, 'duplicate' as const),
    flags: fc.option(fc.constantFrom(...FLAG_SETS), { nil: undefined }),
    from: fc.option(fc.constantFrom('client', 'server'), { nil: undefined }),
    payload: fc.option(fc.boolean(), { nil: undefined }),
    nth: fc.integer({ min: 1, max: 5 }),
    count: fc.integer({ min: 1, max: 3 }),
    delay: fc.integer({ min: 1, max: 2_000_000 }),
  })
  .map(({ action, flags, from, payload, nth, count, delay }) => ({
    action,
    match: {
      ...(flags ? { flags } : {}),
      ...(from ? { from } : {}),
      ...(payload !== undefined ? { payload } : {}),
    },
    nth,
    count,
    ...(action === 'delay' ? { delay } : {}),
  }));

/** Profiles with a few knobs varied, kept small so that runs stay short in virtual time too. */
export const variedProfileArb: fc.Arbitrary<Profile> = fc
  .record({
    base: fc.constantFrom(LINUX, RFC9293),
    syncookies: fc.constantFrom(0 as const, 1 as const, 2 as const),
    abortOnOverflow: fc.boolean(),
    synRetries: fc.integer({ min: 1, max: 3 }),
    synAckRetries: fc.integer({ min: 1, max: 3 }),
    retries2: fc.integer({ min: 2, max: 5 }),
    finTimeout: fc.constantFrom(0, 5_000_000),
    timeWaitLength: fc.constantFrom(2_000_000, 10_000_000),
  })
  .map(({ base, ...knobs }) => withKnobs(base, knobs));

const connectTimeoutArb = fc.oneof(
  { weight: 4, arbitrary: fc.constant(undefined) },
  { weight: 1, arbitrary: fc.integer({ min: 1, max: 3_000_000 }).map((us) => us / 1e6) },
);

const clientPlanArb: fc.Arbitrary<ClientPlan> = fc.record({
  start: fc.integer({ min: 0, max: 50_000 }),
  toListener: fc.oneof({ weight: 9, arbitrary: fc.constant(true) }, { weight: 1, arbitrary: fc.constant(false) }),
  connectTimeout: connectTimeoutArb,
  ops: opsArb,
});

const clientServerArb: fc.Arbitrary<ClientServerWorld> = fc.record({
  kind: fc.constant('client-server' as const),
  server: fc.record({
    listens: fc.oneof({ weight: 9, arbitrary: fc.constant(true) }, { weight: 1, arbitrary: fc.constant(false) }),
    backlog: fc.integer({ min: 0, max: 3 }),
    acceptDelay: fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 2_000_000 })),
    accepts: fc.integer({ min: 0, max: 3 }),
    ops: fc.array(opsArb, { minLength: 1, maxLength: 3 }),
    closeListener: fc.boolean(),
  }),
  clients: fc.array(clientPlanArb, { minLength: 1, maxLength: 3 }),
});

const simultaneousOpenArb: fc.Arbitrary<SimultaneousOpenWorld> = fc.record({
  kind: fc.constant('simultaneous-open' as const),
  starts: fc.tuple(fc.integer({ min: 0, max: 3_000 }), fc.integer({ min: 0, max: 3_000 })),
  connectTimeouts: fc.tuple(connectTimeoutArb, connectTimeoutArb),
  ops: fc.tuple(opsArb, opsArb),
});

export interface RandomWorldBounds {
  loss: number;
  duplicate: number;
  reorder: number;
  profile?: fc.Arbitrary<Profile>;
  maxFaults?: number;
}

export function randomWorldArb(b: RandomWorldBounds): fc.Arbitrary<RandomWorld> {
  return fc.record({
    seed: seedArb,
    profile: b.profile ?? variedProfileArb,
    link: linkArb({ loss: b.loss, duplicate: b.duplicate, reorder: b.reorder }),
    faults: fc.array(faultArb, { maxLength: b.maxFaults ?? 3 }),
    plan: fc.oneof({ weight: 5, arbitrary: clientServerArb }, { weight: 1, arbitrary: simultaneousOpenArb }),
  });
}

const LISTEN_PORT = 80;
const CLOSED_PORT = 81;

/** Runs a connection's ops; a socket error ends the program (after closing the socket). */
async function runOps(net: Net, sock: TcpSocketHandle, ops: readonly Op[], key: number): Promise<void> {
  let closed = false;
  try {
    for (const [i, step] of ops.entries()) {
      switch (step.op) {
        case 'send':
          await sock.sendall(patternBytes(step.bytes, key * 31 + i));
          break;
        case 'recv':
          await sock.recv(step.max);
          break;
        case 'recvAll':
          while ((await sock.recv(65536)).length > 0) {
            // read until EOF
          }
          break;
        case 'sleep':
          await net.sleep(step.us / 1e6);
          break;
        case 'shutdown':
          sock.shutdown(step.how === 'SHUT_WR' ? SHUT_WR : SHUT_RD);
          break;
        case 'close':
          sock.close();
          closed = true;
          return;
        case 'abort':
          sock.setsockopt('SO_LINGER', { onoff: 1, linger: 0 });
          sock.close();
          closed = true;
          return;
      }
    }
  } catch (e) {
    if (!(e instanceof SocketError)) throw e;
  } finally {
    if (!closed) sock.close();
  }
}

function startClientServer(world: World, plan: ClientServerWorld): void {
  const s = plan.server;
  program(world, 'server', 'server', async (net) => {
    if (!s.listens) return;
    const listener = net.tcp();
    listener.bind(['', LISTEN_PORT]);
    listener.listen(s.backlog);
    if (s.acceptDelay > 0) await net.sleep(s.acceptDelay / 1e6);
    const children: Promise<void>[] = [];
    for (let i = 0; i < s.accepts; i++) {
      const [conn] = await listener.accept();
      children.push(runOps(net, conn, s.ops[i % s.ops.length]!, 100 + i));
    }
    await Promise.all(children);
    if (s.closeListener) listener.close();
  });
  plan.clients.forEach((c, i) => {
    program(
      world,
      'client',
      `client${i + 1}`,
      async (net) => {
        const sock = net.tcp();
        try {
          if (c.connectTimeout !== undefined) sock.settimeout(c.connectTimeout);
          await sock.connect(['server', c.toListener ? LISTEN_PORT : CLOSED_PORT]);
          sock.settimeout(null);
        } catch (e) {
          if (!(e instanceof SocketError)) throw e;
          sock.close();
          return;
        }
        await runOps(net, sock, c.ops, i);
      },
      c.start / 1e6,
    );
  });
}

function startSimultaneousOpen(world: World, plan: SimultaneousOpenWorld): void {
  const sides = [
    { host: 'client', port: 5001, peer: 'server', peerPort: 5002 },
    { host: 'server', port: 5002, peer: 'client', peerPort: 5001 },
  ] as const;
  sides.forEach((side, i) => {
    program(
      world,
      side.host,
      `peer${i + 1}`,
      async (net) => {
        const sock = net.tcp();
        sock.bind(['', side.port]);
        try {
          const timeout = plan.connectTimeouts[i];
          if (timeout !== undefined) sock.settimeout(timeout);
          await sock.connect([side.peer, side.peerPort]);
          sock.settimeout(null);
        } catch (e) {
          if (!(e instanceof SocketError)) throw e;
          sock.close();
          return;
        }
        await runOps(net, sock, plan.ops[i]!, i);
      },
      plan.starts[i]! / 1e6,
    );
  });
}

/** Builds the world and starts its programs (without running it). */
export function buildRandomWorld(w: RandomWorld): World {
  // One hour of virtual time bounds a run whatever the knobs (the longest wait here is 240 s).
  const world = twoHostWorld({
    seed: w.seed,
    profile: w.profile,
    link: w.link,
    faults: w.faults,
    until: 3_600_000_000,
    maxEvents: RANDOM_WORLD_MAX_EVENTS,
  });
  if (w.plan.kind === 'client-server') startClientServer(world, w.plan);
  else startSimultaneousOpen(world, w.plan);
  return world;
}

export interface RandomRun {
  world: World;
  trace: Trace;
  /** The run was stopped by the trace-event budget (it did not go quiet); `trace` is its prefix. */
  runaway: RunawayRun | undefined;
}

/** Trace-event budget for a random world: a healthy one records a few thousand at most. */
export const RANDOM_WORLD_MAX_EVENTS = 50_000;

export async function runRandomWorld(w: RandomWorld): Promise<RandomRun> {
  const world = buildRandomWorld(w);
  try {
    const trace = await world.run();
    return { world, trace, runaway: undefined };
  } catch (e) {
    if (!(e instanceof RunawayRun)) throw e;
    return { world, trace: world.trace(), runaway: e };
  }
}

/** A compact JSON form of a RandomWorld for counterexample comments (the profile by name and knobs). */
export function describeWorld(w: RandomWorld): string {
  const base = w.profile.name === 'linux' ? LINUX : RFC9293;
  const knobs = Object.fromEntries(
    Object.entries(w.profile).filter(([k, v]) => JSON.stringify(v) !== JSON.stringify((base as unknown as Record<string, unknown>)[k])),
  );
  return JSON.stringify({ ...w, profile: { base: w.profile.name, knobs } });
}
