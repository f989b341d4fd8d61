// Property: only the end that closes first waits in TIME_WAIT (RFC 9293 3.6, figures 12 and 13).
// Two programs connect and then close (close() or shutdown(SHUT_WR)) at random times: client
// first, server first, or at the same moment, over a link with random delay, loss, duplication
// and reordering. From the trace, for each end: when it sent its first FIN (t of the segment) and
// when the peer's first FIN reached it (earliest arrival of a delivered copy). Then:
//   - an end whose FIN left before the peer's FIN arrived goes FIN_WAIT_1 -> (FIN_WAIT_2 |
//     CLOSING) -> TIME_WAIT -> CLOSED (after 2MSL); when both ends are in that case (their FINs
//     crossed: a simultaneous close) both wait in TIME_WAIT;
//   - an end that received the peer's FIN before sending its own never enters TIME_WAIT: it goes
//     CLOSE_WAIT -> LAST_ACK -> CLOSED, the last step on the ACK of its FIN;
//   - so every TIME_WAIT state event belongs to an end that sent its FIN first.
// (A FIN sent at the very microsecond the peer's FIN arrives is ambiguous by time alone; such
// ties are allowed either path, as long as it is one of the two.)
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { LinkConfig } from '../../src/sim/link.js';
import type { StateEvent, Trace } from '../../src/sim/trace.js';
import { program, SHUT_WR, type TcpSocketHandle } from '../../src/socket/index.js';
import { LINUX, RFC9293, type Profile } from '../../src/tcp/profile.js';
import {
  CLIENT_IP,
  SERVER_IP,
  arrived,
  describeRun,
  fcOptions,
  hasFlag,
  linkArb,
  seedArb,
  segmentEvents,
  stateEvents,
  twoHostWorld,
} from './harness.js';

type CloseHow = 'close' | 'shutdown';

interface Case {
  seed: number;
  profile: Profile;
  link: LinkConfig;
  /** Absolute virtual times (microseconds) at which each side closes, or as soon as it is connected if later. */
  clientAt: number;
  serverAt: number;
  clientHow: CloseHow;
  serverHow: CloseHow;
}

const BASE = 100_000;

const caseArb: fc.Arbitrary<Case> = fc
  .record({
    seed: seedArb,
    profile: fc.constantFrom(LINUX, RFC9293),
    link: linkArb({ loss: 0.2, duplicate: 0.2, reorder: 0.2, latency: 30_000, jitter: 5_000 }),
    order: fc.constantFrom('client first', 'server first', 'simultaneous'),
    first: fc.integer({ min: 0, max: 200_000 }),
    gap: fc.oneof(fc.integer({ min: 1, max: 2_000 }), fc.integer({ min: 1, max: 400_000 })),
    clientHow: fc.constantFrom<CloseHow>('close', 'shutdown'),
    serverHow: fc.constantFrom<CloseHow>('close', 'shutdown'),
  })
  .map(({ seed, profile, link, order, first, gap, clientHow, serverHow }) => {
    const a = BASE + first;
    const b = order === 'simultaneous' ? a : a + gap;
    return {
      seed,
      profile,
      link,
      clientAt: order === 'server first' ? b : a,
      serverAt: order === 'server first' ? a : b,
      clientHow,
      serverHow,
    };
  });

/** Waits until `at` (if it is still ahead), then closes as told; `shutdown` reads to EOF before close(). */
async function closeAt(net: { sleep(s: number): Promise<void>; time(): number }, sock: TcpSocketHandle, at: number, how: CloseHow) {
  const wait = at - Math.round(net.time() * 1e6);
  if (wait > 0) await net.sleep(wait / 1e6);
  if (how === 'close') {
    sock.close();
    return;
  }
  sock.shutdown(SHUT_WR);
  while ((await sock.recv(1024)).length > 0) {
    // to EOF
  }
  sock.close();
}

async function runCase(c: Case) {
  const world = twoHostWorld({ seed: c.seed, profile: c.profile, link: c.link });
  let clientPort = 0;
  program(world, 'server', 'server', async (net) => {
    const listener = net.tcp();
    listener.bind(['', 80]);
    listener.listen(5);
    const [conn] = await listener.accept();
    listener.close();
    await closeAt(net, conn, c.serverAt, c.serverHow);
  });
  program(
    world,
    'client',
    'client',
    async (net) => {
      const sock = net.tcp();
      await sock.connect(['server', 80]);
      clientPort = sock.getsockname()[1];
      await closeAt(net, sock, c.clientAt, c.clientHow);
    },
    0.001,
  );
  const trace = await world.run();
  return { world, trace, clientPort };
}

interface EndView {
  name: string;
  host: string;
  endpoint: string;
  peer: string;
  states: StateEvent[];
  /** When its first FIN left. */
  finSentAt: number | undefined;
  /** When the peer's first FIN reached it. */
  peerFinArrivedAt: number | undefined;
}

function endView(trace: Trace, name: string, host: string, endpoint: string, peer: string): EndView {
  const segs = segmentEvents(trace).filter((s) => hasFlag(s, 'FIN'));
  const own = segs.filter((s) => s.src === endpoint && s.dst === peer);
  const peers = segs.filter((s) => s.src === peer && s.dst === endpoint).filter(arrived);
  return {
    name,
    host,
    endpoint,
    peer,
    states: stateEvents(trace).filter((e) => e.host === host && e.endpoint === endpoint && e.peer === peer),
    finSentAt: own.length > 0 ? Math.min(...own.map((s) => s.t)) : undefined,
    peerFinArrivedAt: peers.length > 0 ? Math.min(...peers.map((s) => s.arrival)) : undefined,
  };
}

/** The states an end passed through from ESTABLISHED on, with the cause of each step. */
function closingPath(end: EndView): string[] {
  const from = end.states.findIndex((e) => e.to === 'ESTABLISHED');
  return end.states.slice(from + 1).map((e) => `${e.to}(${e.cause})`);
}

// TIME_WAIT ends after 2MSL, or earlier on an in-window RST: a duplicated last ACK that reaches
// the peer after its connection is gone draws a "no socket" reset, which Linux (tcp_rfc1337 = 0)
// and RFC 9293 3.10.7.4 both let kill TIME_WAIT (RFC 1337's TIME-WAIT assassination). LAST_ACK
// likewise ends on the ACK of its FIN or on a reset from a peer whose TIME_WAIT was so killed.
const ACTIVE_PATH =
  /^FIN_WAIT_1\(CLOSE\) (FIN_WAIT_2\(RCV_ACK_OF_FIN\) TIME_WAIT\(RCV_FIN\)|CLOSING\(RCV_FIN\) TIME_WAIT\(RCV_ACK_OF_FIN\)) CLOSED\((TIMEOUT_2MSL|RCV_RST)\)$/;
const PASSIVE_PATH = /^CLOSE_WAIT\(RCV_FIN\) LAST_ACK\(CLOSE\) CLOSED\((RCV_ACK_OF_FIN|RCV_RST)\)$/;

function check(c: Case, r: Awaited<ReturnType<typeof runCase>>): { sentFirst: number } {
  const context = () => `case ${JSON.stringify({ ...c, profile: c.profile.name })}\n${describeRun(r.trace, 70)}`;
  expect(r.world.outcomes().map((o) => `${o.name}: ${o.status} ${o.detail ?? ''}`), context()).toEqual(['server: done ', 'client: done ']);
  const clientEp = `${CLIENT_IP}:${r.clientPort}`;
  const serverEp = `${SERVER_IP}:80`;
  const ends = [endView(r.trace, 'client', 'client', clientEp, serverEp), endView(r.trace, 'server', 'server', serverEp, clientEp)];
  let sentFirst = 0;
  for (const end of ends) {
    const enteredTimeWait = end.states.some((e) => e.to === 'TIME_WAIT');
    const path = closingPath(end).join(' ');
    const what = `${end.name} sent its FIN at ${end.finSentAt}, the peer's FIN arrived at ${end.peerFinArrivedAt}; path ${path}\n${context()}`;
    expect(end.finSentAt, `every end closes and sends a FIN\n${what}`).toBeDefined();
    expect(end.peerFinArrivedAt, `every end receives the peer's FIN\n${what}`).toBeDefined();
    const sent = end.finSentAt!;
    const got = end.peerFinArrivedAt!;
    if (sent < got) {
      sentFirst++;
      expect(enteredTimeWait, `the end that sent its FIN first must wait in TIME_WAIT\n${what}`).toBe(true);
      expect(path, what).toMatch(ACTIVE_PATH);
    } else if (got < sent) {
      expect(enteredTimeWait, `an end that received the FIN first must not enter TIME_WAIT\n${what}`).toBe(false);
      expect(path, what).toMatch(PASSIVE_PATH);
    } else {
      expect(ACTIVE_PATH.test(path) || PASSIVE_PATH.test(path), `a tie may take either path, but one of them\n${what}`).toBe(true);
    }
  }
  return { sentFirst };
}

describe('TIME_WAIT: only an end that sent its FIN before receiving the peer\'s enters TIME_WAIT', () => {
  it('random close orders, delays and close calls, over a link with random delay and loss', async () => {
    await fc.assert(
      fc.asyncProperty(caseArb, async (c) => {
        check(c, await runCase(c));
      }),
      fcOptions(400),
    );
  });

  it('named cases: client first, server first, and crossing FINs (both in TIME_WAIT)', async () => {
    const link = { latency: 10_000, jitter: 0, loss: 0, duplicate: 0, reorder: 0, reorderDelay: 0 };
    for (const profile of [LINUX, RFC9293]) {
      const base = { seed: 5, profile, link, clientHow: 'close' as const, serverHow: 'close' as const };
      const clientFirst = await runCase({ ...base, clientAt: BASE, serverAt: BASE + 200_000 });
      expect(check({ ...base, clientAt: BASE, serverAt: BASE + 200_000 }, clientFirst).sentFirst).toBe(1);
      expect(stateEvents(clientFirst.trace).filter((e) => e.to === 'TIME_WAIT').map((e) => e.host)).toEqual(['client']);
      const serverFirst = await runCase({ ...base, clientAt: BASE + 200_000, serverAt: BASE });
      expect(check({ ...base, clientAt: BASE + 200_000, serverAt: BASE }, serverFirst).sentFirst).toBe(1);
      expect(stateEvents(serverFirst.trace).filter((e) => e.to === 'TIME_WAIT').map((e) => e.host)).toEqual(['server']);
      const crossing = await runCase({ ...base, clientAt: BASE, serverAt: BASE + 5_000 });
      expect(check({ ...base, clientAt: BASE, serverAt: BASE + 5_000 }, crossing).sentFirst).toBe(2);
      expect(stateEvents(crossing.trace).filter((e) => e.to === 'TIME_WAIT').map((e) => e.host).sort()).toEqual(['client', 'server']);
    }
  });
});
