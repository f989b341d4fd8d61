// The simulated workloads of `npm run bench` (issue 11, "The benchmark"), each on an engine handed in
// (bench/engine-api.ts). Each returns what it did, so a test can check at a tiny size that it did it
// (test/bench/workloads.test.ts): a benchmark that silently measures nothing is worse than none.
import type { Engine } from './engine-api.js';
import type { World, WorldOptions } from '../src/sim/world.js';
import type { Trace } from '../src/sim/trace.js';
import type { TcpSocketHandle } from '../src/socket/index.js';
import type { Segment } from '../src/wire/segment.js';

/** Virtual time is free: no workload may stop on the world's default 10-minute limit. */
const UNTIL = 24 * 3600 * 1e6;
/** Connections per server port: under the 28,232 ephemeral ports Linux gives one 4-tuple's remote end. */
const PER_PORT = 20_000;
const FIRST_PORT = 5000;

export interface TraceChoice {
  /** false asks for World({ trace: false }) (run only when traceOffAvailable() says the engine has it). */
  trace: boolean;
}

/** A world of two hosts, client 10.0.0.1 and server 10.0.0.2, on the default link (1 ms one way). */
function twoHosts(engine: Engine, trace: boolean, extra: Partial<WorldOptions> = {}): World {
  // `trace` is passed whether or not this engine's WorldOptions names it yet (issue 11 adds it).
  const options = { seed: 1, profile: engine.LINUX, until: UNTIL, ...extra, ...(trace ? {} : { trace: false }) };
  const world = new engine.World(options);
  world.addHost({ name: 'client', address: '10.0.0.1' });
  world.addHost({ name: 'server', address: '10.0.0.2' });
  return world;
}

/** The run's trace, or undefined when the world keeps none (trace off). */
function traceOf(world: World): Trace | undefined {
  try {
    return world.trace();
  } catch {
    return undefined;
  }
}

/** Segments in the trace (sent, whatever their fate), or undefined when it has none to count. */
export function segmentsIn(trace: Trace | undefined): number | undefined {
  if (!trace) return undefined;
  let n = 0;
  for (const e of trace.events) if (e.kind === 'segment') n++;
  return n;
}

const portFor = (i: number, ports: number) => FIRST_PORT + (i % ports);

/** Reads until `n` bytes came or the peer closed; returns how many came. */
async function recvExactly(s: TcpSocketHandle, n: number): Promise<number> {
  let got = 0;
  while (got < n) {
    const chunk = await s.recv(n - got);
    if (chunk.length === 0) break;
    got += chunk.length;
  }
  return got;
}

export interface LifecycleResult {
  connections: number;
  /** Lifecycles the client finished (connect, 100 B out, 100 B in, close). */
  clientClosed: number;
  /** Connections the server saw end (100 B in, 100 B out, EOF, close). */
  serverClosed: number;
  /** Segments sent, when the trace was on. */
  segments: number | undefined;
  ms: number;
  virtualSeconds: number;
  trace?: Trace;
}

/**
 * The lifecycle workload: `n` connections, each connect, 100 B each way, close, the client closing first
 * (so TIME_WAIT is at the client), `concurrency` at a time. The server listens on one port per 20,000
 * connections so the client never runs out of ephemeral ports while its TIME_WAITs last (60 s).
 */
export async function lifecycle(
  engine: Engine,
  opts: TraceChoice & { connections: number; concurrency: number; keepTrace?: boolean; onProgress?: (done: number) => void },
): Promise<LifecycleResult> {
  const n = opts.connections;
  const ports = Math.ceil(n / PER_PORT);
  const world = twoHosts(engine, opts.trace);
  const payload = new Uint8Array(100).fill(0x61);
  let clientClosed = 0;
  let serverClosed = 0;
  for (let p = 0; p < ports; p++) {
    let expected = 0;
    for (let i = p; i < n; i += ports) expected++;
    engine.program(world, 'server', `listener-${p}`, async (net) => {
      const l = net.tcp();
      l.bind(['', FIRST_PORT + p]);
      l.listen(1024);
      for (let k = 0; k < expected; k++) {
        const [conn] = await l.accept();
        void (async () => {
          if ((await recvExactly(conn, 100)) !== 100) throw new Error('server: short request');
          await conn.sendall(payload);
          while ((await conn.recv(4096)).length > 0);
          conn.close();
          serverClosed++;
        })();
      }
      l.close();
    });
  }
  let next = 0;
  for (let w = 0; w < Math.min(opts.concurrency, n); w++) {
    engine.program(world, 'client', `client-${w}`, async (net) => {
      while (next < n) {
        const i = next++;
        const s = net.tcp();
        await s.connect(['server', portFor(i, ports)]);
        await s.sendall(payload);
        if ((await recvExactly(s, 100)) !== 100) throw new Error('client: short response');
        s.close();
        clientClosed++;
        if (opts.onProgress && clientClosed % 1000 === 0) opts.onProgress(clientClosed);
      }
    });
  }
  const start = performance.now();
  await world.run();
  const ms = performance.now() - start;
  const trace = traceOf(world);
  return {
    connections: n,
    clientClosed,
    serverClosed,
    segments: opts.trace ? segmentsIn(trace) : undefined,
    ms,
    virtualSeconds: world.now / 1e6,
    ...(opts.keepTrace && trace ? { trace } : {}),
  };
}

/** Does this engine have World({ trace: false })? One lifecycle with it asked for: a trace without segments says yes. */
export async function traceOffAvailable(engine: Engine): Promise<boolean> {
  try {
    const r = await lifecycle(engine, { trace: false, connections: 1, concurrency: 1, keepTrace: true });
    return r.clientClosed === 1 && (r.trace === undefined || segmentsIn(r.trace) === 0);
  } catch {
    return false;
  }
}

export interface BulkResult {
  bytes: number;
  /** Bytes the server read before EOF. */
  received: number;
  segments: number | undefined;
  ms: number;
  virtualSeconds: number;
}

/** One connection sending `bytes` to a sink, no loss, 1 ms one way. */
export async function bulk(engine: Engine, opts: TraceChoice & { bytes: number }): Promise<BulkResult> {
  const world = twoHosts(engine, opts.trace);
  let received = 0;
  engine.program(world, 'server', 'sink', async (net) => {
    const s = net.tcp();
    s.bind(['', 9]);
    s.listen(1);
    const [conn] = await s.accept();
    for (let chunk = await conn.recv(65536); chunk.length > 0; chunk = await conn.recv(65536)) received += chunk.length;
    conn.close();
  });
  engine.program(world, 'client', 'source', async (net) => {
    const s = net.tcp();
    await s.connect(['server', 9]);
    await s.sendall(new Uint8Array(opts.bytes));
    s.close();
  });
  const start = performance.now();
  await world.run();
  const ms = performance.now() - start;
  return { bytes: opts.bytes, received, segments: opts.trace ? segmentsIn(traceOf(world)) : undefined, ms, virtualSeconds: world.now / 1e6 };
}

export interface IdleResult {
  connections: number;
  /** Sockets each end holds, connected (client) and accepted (server), once the world is idle. */
  clientEstablished: number;
  serverEstablished: number;
  setupMs: number;
  /** heapUsed after setup minus before, with a full GC before each reading (needs --expose-gc). */
  heapBytes: number | undefined;
  trace?: Trace;
}

/**
 * `n` idle ESTABLISHED connections, both ends in one world, made 100 at a time. Heap is read with the world
 * and every socket still referenced. With the trace on, its events are dropped before the reading (they are
 * the trace's cost, not the connections').
 */
export async function idle(engine: Engine, opts: TraceChoice & { connections: number; keepTrace?: boolean; onProgress?: (done: number) => void }): Promise<IdleResult> {
  const gc = (globalThis as { gc?: () => void }).gc;
  const heap = () => {
    if (!gc) return undefined;
    gc();
    gc();
    return process.memoryUsage().heapUsed;
  };
  const n = opts.connections;
  const ports = Math.ceil(n / PER_PORT);
  const before = heap();
  const world = twoHosts(engine, opts.trace);
  const clients: TcpSocketHandle[] = [];
  const servers: TcpSocketHandle[] = [];
  for (let p = 0; p < ports; p++) {
    let expected = 0;
    for (let i = p; i < n; i += ports) expected++;
    engine.program(world, 'server', `listener-${p}`, async (net) => {
      const l = net.tcp();
      l.bind(['', FIRST_PORT + p]);
      l.listen(4096);
      for (let k = 0; k < expected; k++) servers.push((await l.accept())[0]);
    });
  }
  let next = 0;
  for (let w = 0; w < Math.min(100, n); w++) {
    engine.program(world, 'client', `client-${w}`, async (net) => {
      while (next < n) {
        const i = next++;
        const s = net.tcp();
        await s.connect(['server', portFor(i, ports)]);
        clients.push(s);
        if (opts.onProgress && clients.length % 10_000 === 0) opts.onProgress(clients.length);
      }
    });
  }
  const start = performance.now();
  await world.run();
  const setupMs = performance.now() - start;
  const trace = opts.keepTrace ? traceOf(world) : undefined;
  if (opts.trace && !opts.keepTrace) (world as unknown as { recorder?: { events?: unknown[] } }).recorder?.events?.splice(0);
  const after = heap();
  const result: IdleResult = {
    connections: n,
    clientEstablished: clients.length,
    serverEstablished: servers.length,
    setupMs,
    heapBytes: before !== undefined && after !== undefined ? after - before : undefined,
    ...(trace ? { trace } : {}),
  };
  // Keep the world and the sockets alive until the reading is taken.
  if (clients.length + servers.length < 0 || world.now < 0) console.log(clients, servers, world);
  return result;
}

export interface FloodResult {
  synsInjected: number;
  clients: number;
  /** Clients whose connect() returned. */
  connected: number;
  /** Clients the server accepted and read their byte from: those that got in. */
  gotIn: number;
  ms: number;
  virtualSeconds: number;
  trace?: Trace;
}

/** The `k`th spoofed source: 10.128.0.0/9, never .0 or .255, none a host's. */
function spoofed(k: number): string {
  return `10.${128 + ((k >>> 16) & 127)}.${(k >>> 8) & 255}.${1 + ((k & 255) % 254)}`;
}

/**
 * A SYN flood: `syns` spoofed SYNs (through World.inject, as scenario files' inject does) in 1,000 equal
 * batches over one virtual second at a listener (backlog 128, Linux syncookies=1: cookies once the SYN
 * queue overflows), while `clients` clients connect over the same second, each sending one byte.
 */
export async function flood(engine: Engine, opts: TraceChoice & { syns: number; clients: number; keepTrace?: boolean }): Promise<FloodResult> {
  const world = twoHosts(engine, opts.trace);
  const batches = Math.min(1000, opts.syns);
  const perBatch = Math.ceil(opts.syns / batches);
  let injected = 0;
  const syn = engine.flagsFromNames(['SYN']);
  for (let b = 0; b < batches; b++) {
    world.at(b * 1000, () => {
      for (let k = 0; k < perBatch && injected < opts.syns; k++, injected++) {
        const segment: Segment = {
          srcPort: 1024 + (injected % 60_000),
          dstPort: 80,
          seq: Math.imul(injected, 7919) >>> 0,
          ack: 0,
          flags: syn,
          window: 64240,
          urgentPointer: 0,
          options: [{ kind: 'mss', mss: 1460 }],
          payload: new Uint8Array(0),
        };
        world.inject(spoofed(injected), '10.0.0.2', segment, 'flood');
      }
    });
  }
  let connected = 0;
  let gotIn = 0;
  engine.program(world, 'server', 'listener', async (net) => {
    const l = net.tcp();
    l.bind(['', 80]);
    l.listen(128);
    for (let k = 0; k < opts.clients; k++) {
      const [conn] = await l.accept();
      void (async () => {
        if ((await conn.recv(1)).length === 1) gotIn++;
        conn.close();
      })();
    }
  });
  for (let c = 0; c < opts.clients; c++) {
    engine.program(world, 'client', `client-${c}`, async (net) => {
      const s = net.tcp();
      await s.connect(['server', 80]);
      connected++;
      await s.sendall('x');
      s.close();
    }, c / opts.clients);
  }
  const start = performance.now();
  await world.run();
  const ms = performance.now() - start;
  const trace = opts.keepTrace ? traceOf(world) : undefined;
  return { synsInjected: injected, clients: opts.clients, connected, gotIn, ms, virtualSeconds: world.now / 1e6, ...(trace ? { trace } : {}) };
}
