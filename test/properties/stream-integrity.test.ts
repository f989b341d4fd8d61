// Property: TCP delivers a byte stream intact. Whatever the link does (loss, duplication,
// reordering, jitter), the bytes one program reads until EOF are exactly the bytes the other
// program passed to sendall(), in order, each once (RFC 9293 section 3.4 and 3.10.7.4 seventh).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { program, SHUT_WR, type TcpSocketHandle } from '../../src/socket/index.js';
import { PROFILES, withKnobs, type Profile } from '../../src/tcp/profile.js';
import {
  concatBytes,
  describeRun,
  firstDifference,
  linkArb,
  patternBytes,
  profileArb,
  seedArb,
  twoHostWorld,
} from './harness.js';
import type { LinkConfig } from '../../src/sim/link.js';

const MAX_TOTAL = 200_000;

/** Random sendall() sizes: small ones, about one MSS, and several MSS, at most MAX_TOTAL in all. */
const chunkSizesArb = fc
  .array(fc.oneof(fc.integer({ min: 1, max: 100 }), fc.integer({ min: 1400, max: 1500 }), fc.integer({ min: 1, max: 60_000 })), {
    minLength: 0,
    maxLength: 8,
  })
  .map((sizes) => {
    const out: number[] = [];
    let total = 0;
    for (const s of sizes) {
      if (total + s > MAX_TOTAL) break;
      out.push(s);
      total += s;
    }
    return out;
  });

const recvSizesArb = fc.array(fc.oneof(fc.integer({ min: 1, max: 64 }), fc.integer({ min: 1, max: 70_000 })), {
  minLength: 1,
  maxLength: 5,
});

interface Direction {
  sizes: number[];
  recvSizes: number[];
  key: number;
}

const directionArb: fc.Arbitrary<Direction> = fc.record({ sizes: chunkSizesArb, recvSizes: recvSizesArb, key: fc.integer() });

interface Case {
  seed: number;
  profile: Profile;
  link: LinkConfig;
  nodelay: boolean;
  /** Client to server. */
  up: Direction;
  /** Server to client. */
  down: Direction;
}

function caseArb(profile: fc.Arbitrary<Profile>): fc.Arbitrary<Case> {
  return fc.record({
    seed: seedArb,
    profile,
    link: linkArb({ loss: 0.2, duplicate: 0.3, reorder: 0.3, latency: 20_000, jitter: 10_000 }),
    nodelay: fc.boolean(),
    up: directionArb,
    down: fc.oneof(
      { weight: 2, arbitrary: fc.constant<Direction>({ sizes: [], recvSizes: [65536], key: 0 }) },
      { weight: 1, arbitrary: directionArb },
    ),
  });
}

/** Sends the chunks, then shuts down the sending side (FIN); never blocks the reader. */
async function sendStream(sock: TcpSocketHandle, d: Direction, data: Uint8Array): Promise<void> {
  let offset = 0;
  for (const size of d.sizes) {
    await sock.sendall(data.subarray(offset, offset + size));
    offset += size;
  }
  sock.shutdown(SHUT_WR);
}

/** Reads with the given recv sizes (cycling) until EOF. */
async function readStream(sock: TcpSocketHandle, d: Direction): Promise<Uint8Array> {
  const parts: Uint8Array[] = [];
  for (let i = 0; ; i++) {
    const chunk = await sock.recv(d.recvSizes[i % d.recvSizes.length]!);
    if (chunk.length === 0) break;
    parts.push(chunk);
  }
  return concatBytes(parts);
}

const total = (d: Direction) => d.sizes.reduce((a, b) => a + b, 0);

async function runCase(c: Case) {
  // Generous retries: the property is about what is delivered, so the connection must not give up.
  const profile = withKnobs(c.profile, { retries2: 30 });
  const world = twoHostWorld({ seed: c.seed, profile, link: c.link });
  const upData = patternBytes(total(c.up), c.up.key);
  const downData = patternBytes(total(c.down), c.down.key ^ 0x5a5a5a5a);
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
  const trace = await world.run();
  return { world, trace, upData, downData, upReceived, downReceived };
}

function checkCase(c: Case, r: Awaited<ReturnType<typeof runCase>>): void {
  const why = () => `${JSON.stringify(r.world.outcomes())}\n${describeRun(r.trace, 40)}`;
  expect(r.world.outcomes().map((o) => o.status), why()).toEqual(['done', 'done']);
  expect(r.upReceived, 'client -> server stream').toBeDefined();
  expect(r.downReceived, 'server -> client stream').toBeDefined();
  for (const [name, sent, got] of [
    ['client -> server', r.upData, r.upReceived!],
    ['server -> client', r.downData, r.downReceived!],
  ] as const) {
    const at = firstDifference(sent, got);
    if (at !== -1) {
      throw new Error(`${name}: sent ${sent.length} bytes, received ${got.length}; first difference at byte ${at}`);
    }
  }
  void c;
}

describe('stream integrity: bytes read until EOF are the bytes sent, in order, exactly once', () => {
  for (const name of ['linux', 'rfc9293'] as const) {
    it(`${name} profile, random sizes, loss, duplication, reordering and jitter`, async () => {
      await fc.assert(
        fc.asyncProperty(caseArb(profileArb.filter((p) => p.name === name)), async (c) => {
          checkCase(c, await runCase(c));
        }),
        { numRuns: 40 },
      );
    });
  }

  it('a fixed large transfer over a lossy, reordering link (both directions, both profiles)', async () => {
    for (const profile of ['linux', 'rfc9293'] as const) {
      const c: Case = {
        seed: 7,
        profile: PROFILES[profile],
        link: { latency: 5000, jitter: 3000, loss: 0.2, duplicate: 0.2, reorder: 0.2, reorderDelay: 4000 },
        nodelay: false,
        up: { sizes: [1, 1448, 1449, 60_000, 50_000, 87_000], recvSizes: [1000, 7], key: 1 },
        down: { sizes: [70_000, 3], recvSizes: [65536], key: 2 },
      };
      checkCase(c, await runCase(c));
    }
  });
});
