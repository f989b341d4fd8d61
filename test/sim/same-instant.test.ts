// What happens within one virtual instant, as Linux orders it (each rule was found by the kernel conformance
// suite, test/conformance): a zero-latency link delivers inside the sending call, timers due together all fire
// before the segments they send are received, and segments arriving together are all received before a program
// they woke runs.
import { describe, expect, it } from 'vitest';
import { scenarioFromFile } from '../../src/scenarios/file/build.js';
import { parseScenarioText } from '../../src/scenarios/file/parse.js';
import type { SegmentEvent, Trace } from '../../src/sim/trace.js';

async function run(yaml: string): Promise<Trace> {
  const scenario = scenarioFromFile(parseScenarioText(yaml, 'same-instant.yaml'), 'same-instant', 'test');
  return (await scenario.execute!({ profile: 'linux', seed: 1 })).trace;
}

const segments = (t: Trace): SegmentEvent[] => t.events.filter((e): e is SegmentEvent => e.kind === 'segment');
const from = (t: Trace, address: string) => segments(t).filter((s) => s.src.startsWith(`${address}:`));

const fiveSends = (latency: string) => `
summary: five small sends back to back
link: { latency: ${latency} }
hosts:
  client: { address: 10.0.0.1 }
  server: { address: 10.0.0.2 }
programs:
  - host: server
    steps: [ socket: s, bind: { socket: s, port: 80 }, listen: { socket: s }, accept: { socket: s, as: c }, recvall: c ]
  - host: client
    start: 0.001
    steps:
      - socket: s
      - connect: { socket: s, to: "server:80" }
      - repeat: { times: 5, steps: [ send: { socket: s, data: "message" } ] }
      - close: s
`;

describe('a zero-latency link delivers inside the sending call', () => {
  it('five back-to-back sends leave as five segments: each is ACKed before the next send (as on lo)', async () => {
    const data = from(await run(fiveSends('0')), '10.0.0.1').filter((s) => s.len > 0);
    expect(data.map((s) => s.len)).toEqual([7, 7, 7, 7, 7]);
  });

  it('on a 1 ms link Nagle holds sends 2-5 until the first is ACKed, and they leave as one segment', async () => {
    const data = from(await run(fiveSends('1ms')), '10.0.0.1').filter((s) => s.len > 0);
    expect(data.map((s) => s.len)).toEqual([7, 28]);
  });
});

const lostSynAck = (latency: string) => `
summary: the first SYN-ACK is lost
link: { latency: ${latency} }
faults: [ drop 1st SYN-ACK ]
hosts:
  client: { address: 10.0.0.1 }
  server: { address: 10.0.0.2 }
programs:
  - host: server
    steps: [ socket: s, bind: { socket: s, port: 80 }, listen: { socket: s }, accept: { socket: s, as: c }, recvall: c ]
  - host: client
    start: 0.001
    steps: [ socket: s, connect: { socket: s, to: "server:80" }, sendall: { socket: s, data: "hello" }, close: s ]
`;

describe('timers due at one instant fire before the segments they send are received', () => {
  it("lost SYN-ACK on a zero-latency link: the client's SYN and the server's SYN-ACK timers both retransmit at 1 s", async () => {
    const t = await run(lostSynAck('0'));
    const at1s = segments(t).filter((s) => s.t === 1_001_000 && s.retransmit);
    expect(at1s.map((s) => s.flags.join('-')).sort()).toEqual(['SYN', 'SYN-ACK', 'SYN-ACK']);
  });
});

describe('segments arriving together are received before the program they woke runs', () => {
  it("lost SYN-ACK: the client's challenge ACK for the second SYN-ACK goes out before its data", async () => {
    const t = await run(lostSynAck('1ms'));
    const client = from(t, '10.0.0.1').filter((s) => !s.flags.includes('SYN'));
    // The handshake ACK, the challenge ACK (both bare), then the data.
    expect(client.slice(0, 3).map((s) => [s.flags.join('-'), s.len, s.note ?? ''])).toEqual([
      ['ACK', 0, ''],
      ['ACK', 0, expect.stringMatching(/challenge ACK/)],
      [expect.stringContaining('PSH'), 5, ''],
    ]);
  });
});
