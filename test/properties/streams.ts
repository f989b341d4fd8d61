// A two-way bulk transfer between a client and a server program, shared by the stream-integrity
// and determinism properties: each side sends its chunks with sendall(), shuts down its sending
// side, and at the same time reads with the given recv() sizes until EOF.
import fc from 'fast-check';
import type { LinkConfig } from '../../src/sim/link.js';
import type { Trace } from '../../src/sim/trace.js';
import type { World } from '../../src/sim/world.js';
import { program, SHUT_WR, type TcpSocketHandle } from '../../src/socket/index.js';
import type { Profile } from '../../src/tcp/profile.js';
import { concatBytes, patternBytes, twoHostWorld } from './harness.js';

export const MAX_STREAM_TOTAL = 200_000;

/** One direction of the transfer. */
export interface Direction {
  /** sendall() sizes, in order. */
  sizes: number[];
  /** recv() sizes, used in turn (cycling). */
  recvSizes: number[];
  /** Selects the byte pattern. */
  key: number;
}

export const NO_DATA: Direction = { sizes: [], recvSizes: [65536], key: 0 };

/** Random sendall() sizes (tiny, about one MSS, several MSS), at most `maxTotal` bytes in all. */
export function chunkSizesArb(maxTotal = MAX_STREAM_TOTAL, maxChunks = 8): fc.Arbitrary<number[]> {
  return fc
    .array(fc.oneof(fc.integer({ min: 1, max: 100 }), fc.integer({ min: 1400, max: 1500 }), fc.integer({ min: 1, max: 60_000 })), {
      maxLength: maxChunks,
    })
    .map((sizes) => {
      const out: number[] = [];
      let total = 0;
      for (const s of sizes) {
        if (total + s > maxTotal) break;
        out.push(s);
        total += s;
      }
      return out;
    });
}

export const recvSizesArb: fc.Arbitrary<number[]> = fc.array(
  fc.oneof(fc.integer({ min: 1, max: 64 }), fc.integer({ min: 1, max: 70_000 })),
  { minLength: 1, maxLength: 5 },
);

export function directionArb(maxTotal = MAX_STREAM_TOTAL, maxChunks = 8): fc.Arbitrary<Direction> {
  return fc.record({ sizes: chunkSizesArb(maxTotal, maxChunks), recvSizes: recvSizesArb, key: fc.integer() });
}

export interface StreamCase {
  seed: number;
  profile: Profile;
  link: LinkConfig;
  nodelay: boolean;
  /** Client to server. */
  up: Direction;
  /** Server to client. */
  down: Direction;
}

export interface StreamRun {
  world: World;
  trace: Trace;
  upData: Uint8Array;
  downData: Uint8Array;
  /** What the server read until EOF (undefined if it never got there). */
  upReceived: Uint8Array | undefined;
  /** What the client read until EOF. */
  downReceived: Uint8Array | undefined;
}

export const streamTotal = (d: Direction): number => d.sizes.reduce((a, b) => a + b, 0);

/**
 * Keeps the number of recv() calls bounded (each one is a call event and a turn of the event
 * loop): a recv size is raised so that at most about 2000 calls read the whole stream.
 */
function recvSize(d: Direction, i: number): number {
  const floor = Math.ceil(streamTotal(d) / 2000);
  return Math.max(d.recvSizes[i % d.recvSizes.length]!, floor, 1);
}

async function sendStream(sock: TcpSocketHandle, d: Direction, data: Uint8Array): Promise<void> {
  let offset = 0;
  for (const size of d.sizes) {
    await sock.sendall(data.subarray(offset, offset + size));
    offset += size;
  }
  sock.shutdown(SHUT_WR);
}

async function readStream(sock: TcpSocketHandle, d: Direction): Promise<Uint8Array> {
  const parts: Uint8Array[] = [];
  for (let i = 0; ; i++) {
    const chunk = await sock.recv(recvSize(d, i));
    if (chunk.length === 0) break;
    parts.push(chunk);
  }
  return concatBytes(parts);
}

/** Builds the world and programs of a stream case without running it. */
export function buildStreamWorld(c: StreamCase): Pick<StreamRun, 'world' | 'upData' | 'downData'> & {
  result: () => Pick<StreamRun, 'upReceived' | 'downReceived'>;
} {
  const world = twoHostWorld({ seed: c.seed, profile: c.profile, link: c.link });
  const upData = patternBytes(streamTotal(c.up), c.up.key);
  const downData = patternBytes(streamTotal(c.down), c.down.key ^ 0x5a5a5a5a);
  let upReceived: Uint8Array | undefined;
  let downReceived: Uint8Array | undefined;
  program(world, 'server', 'server', async (net) => {
    const listener = net.tcp();
    listener.bind(['', 80]);
    listener.listen(5);
    const [conn] = await listener.accept();
    if (c.nodelay) conn.setsockopt('TCP_NODELAY', true);
    [upReceived] = await Promise.all([readStream(conn, c.up), sendStream(conn, c.down, downData)]);
    conn.close();
    listener.close();
  });
  program(
    world,
    'client',
    'client',
    async (net) => {
      const s = net.tcp();
      if (c.nodelay) s.setsockopt('TCP_NODELAY', true);
      await s.connect(['server', 80]);
      [downReceived] = await Promise.all([readStream(s, c.down), sendStream(s, c.up, upData)]);
      s.close();
    },
    0.001,
  );
  return { world, upData, downData, result: () => ({ upReceived, downReceived }) };
}

export async function runStreamCase(c: StreamCase): Promise<StreamRun> {
  const built = buildStreamWorld(c);
  const trace = await built.world.run();
  return { world: built.world, trace, upData: built.upData, downData: built.downData, ...built.result() };
}

/** A random stream case: link faults within the given bounds, random sizes both ways. */
export function streamCaseArb(
  profile: fc.Arbitrary<Profile>,
  link: fc.Arbitrary<LinkConfig>,
  maxTotal = MAX_STREAM_TOTAL,
): fc.Arbitrary<StreamCase> {
  return fc.record({
    seed: fc.integer({ min: 0, max: 0xffffffff }),
    profile,
    link,
    nodelay: fc.boolean(),
    up: directionArb(maxTotal),
    down: fc.oneof(
      { weight: 2, arbitrary: fc.constant<Direction>(NO_DATA) },
      { weight: 1, arbitrary: directionArb(maxTotal) },
    ),
  });
}
