// The seven scenarios of scenarios/20-…26-*.yaml, checked on the wire against what the Linux kernel did
// with the same program (scripts/kernel/check_<name>.py, output in scripts/kernel/observed/<name>.txt,
// write-up in docs/linux-vs-rfc.md sections 11–17). The files' own `expect:` lists check states, errnos
// and received bytes (test/scenarios/file/expectations.test.ts runs them under both profiles); this file
// checks what `expect:` cannot state: segment lengths and timing, windows, probes, challenge ACKs, ISNs.
// Variants the files leave out are the built-in file's text with a small edit (`variant`).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { scenarioFromFile } from '../../src/scenarios/file/build.js';
import { BUILTIN_DIR } from '../../src/scenarios/file/load.js';
import { parseScenarioText } from '../../src/scenarios/file/parse.js';
import type { CallEvent, SegmentEvent, Trace } from '../../src/sim/trace.js';
import { seqAdd, seqDiff } from '../../src/wire/seq.js';
import {
  MS,
  S,
  arrival,
  calls,
  enteredAt,
  payloadText,
  runScenario,
  segments,
  socketsOf,
  stateAt,
  stateEvents,
  statesOf,
  theSegment,
} from './trace-query.js';

// ------------------------------------------------------------------------------------------ helpers

/** One text edit of a built-in file: replace `from` (which must occur exactly once) by `to`. */
type Edit = readonly [from: string, to: string];

const variants = new Map<string, Promise<Trace>>();

/**
 * Runs a built-in scenario file with edits (linux profile, seed 1), memoised per file and edits.
 * Throws when an edit does not apply, so a changed file fails the test loudly instead of silently
 * running the unedited scenario.
 */
function variant(file: string, edits: readonly Edit[]): Promise<Trace> {
  const key = JSON.stringify([file, edits]);
  let trace = variants.get(key);
  if (!trace) {
    let text = readFileSync(join(BUILTIN_DIR, file), 'utf8');
    for (const [from, to] of edits) {
      const at = text.indexOf(from);
      if (at < 0 || text.indexOf(from, at + 1) >= 0) throw new Error(`${file}: the edit target ${JSON.stringify(from)} does not occur exactly once`);
      text = text.slice(0, at) + to + text.slice(at + from.length);
    }
    const scenario = scenarioFromFile(parseScenarioText(text, file), file, file);
    trace = scenario.execute!({ profile: 'linux', seed: 1 }).then((r) => r.trace);
    variants.set(key, trace);
  }
  return trace;
}

/** The endpoint at the end of a call's value: "from 10.0.0.1:49510", "fd 5 from 10.0.0.1:49512". */
function endpointOf(call: CallEvent): string {
  const ep = call.value?.split(' ').at(-1);
  if (!ep || !ep.includes(':')) throw new Error(`${call.host} ${call.call}() at ${call.t} has no endpoint in its value (${call.result} ${call.value ?? ''})`);
  return ep;
}

/** The socket id an accept() returned ("fd 5 from …" -> 5). */
function fdOf(accept: CallEvent): number {
  const m = /^fd (\d+) /.exec(accept.value ?? '');
  if (!m) throw new Error(`accept() at ${accept.t} returned no fd (${accept.result} ${accept.value ?? ''})`);
  return Number(m[1]);
}

/** What an ok call returned ("9 bytes", "EOF (0 bytes)"), or its errno. */
const outcome = (c: CallEvent) => (c.result === 'ok' ? (c.value ?? 'ok') : c.result);

function tsVal(seg: SegmentEvent): number {
  const ts = seg.options.find((o) => o.kind === 'timestamps');
  if (!ts || ts.kind !== 'timestamps') throw new Error(`segment ${seg.id} carries no timestamps option`);
  return ts.tsVal;
}

function windowShift(seg: SegmentEvent): number {
  const ws = seg.options.find((o) => o.kind === 'windowScale');
  return ws && ws.kind === 'windowScale' ? ws.shift : 0;
}

/** Calls that failed, counted as "host call ERRNO". */
function failedCalls(trace: Trace): Record<string, number> {
  const out: Record<string, number> = {};
  for (const e of trace.events) {
    if (e.kind === 'call' && e.result !== 'ok') {
      const key = `${e.host} ${e.call} ${e.result}`;
      out[key] = (out[key] ?? 0) + 1;
    }
  }
  return out;
}

/** Successful close() calls per host: every program of these files ends with its close()s. */
function closes(trace: Trace): Record<string, number> {
  const out: Record<string, number> = {};
  for (const e of trace.events) if (e.kind === 'call' && e.call === 'close' && e.result === 'ok') out[e.host] = (out[e.host] ?? 0) + 1;
  return out;
}

/** Runs under rfc9293: no errno but those the file expects, and every program reaches its last close(). */
async function expectRunsUnderRfc9293(name: string, failures: Record<string, number>, closed: Record<string, number>): Promise<void> {
  const trace = await runScenario(name, 'rfc9293');
  expect(trace.profile).toBe('rfc9293');
  expect(failedCalls(trace)).toEqual(failures);
  expect(closes(trace)).toEqual(closed);
}

/** Linux TCP_DELACK_MIN (40 ms): the earliest a delayed ACK can leave. */
const DELACK_MIN = 40 * MS;

// --------------------------------------------------------------------------------------- 20

describe('many-clients', () => {
  // The clients in the order they started (client 1 at 0, 2 at 0.01 s, 3 at 0.02 s).
  const clients = (trace: Trace) => calls(trace, 'client', 'connect').map(endpointOf);

  it('scripts/kernel/observed/many_clients.txt: each connect() returns one round trip after its SYN, long before the server accept()s that client; accept() takes them in order', async () => {
    const trace = await runScenario('many-clients');
    const connects = calls(trace, 'client', 'connect');
    expect(connects.map((c) => c.result)).toEqual(['ok', 'ok', 'ok']);
    const accepts = calls(trace, 'server', 'accept');
    // FIFO accept queue: accept() k returns client k (kernel: ports 37632, 37634, 37640 in that order).
    expect(accepts.map(endpointOf)).toEqual(clients(trace));
    for (const [k, connect] of connects.entries()) {
      const syn = theSegment(trace, { from: endpointOf(connect), flags: ['SYN'] });
      const synAck = theSegment(trace, { to: endpointOf(connect), flags: ['SYN', 'ACK'] });
      expect(connect.t).toBe(arrival(synAck)); // kernel: 0.004, 0.014, 0.024 s, one RTT after the SYN
      expect(arrival(synAck) - syn.t).toBe(2 * MS); // the 1 ms link, both ways: the server answered at once
      if (k > 0) expect(accepts[k]!.t - connect.t).toBeGreaterThan((500 * k - 30) * MS); // kernel: accept at 0.506, 1.006
    }
    // One 0.5 s job after another (kernel: 0.005, 0.506, 1.006 s).
    expect(accepts[1]!.t - accepts[0]!.t).toBe(500 * MS);
    expect(accepts[2]!.t - accepts[1]!.t).toBe(500 * MS);
  });

  it('at 0.3 s: all clients FIN_WAIT_2; the two queued children CLOSE_WAIT before accept() (kernel ss: LISTEN 2 5, CLOSE-WAIT 10 0)', async () => {
    const trace = await runScenario('many-clients');
    const [first, ...queued] = clients(trace);
    for (const ep of clients(trace)) expect(stateAt(trace, 'client', 300 * MS, { endpoint: ep })).toBe('FIN_WAIT_2');
    expect(stateAt(trace, 'server', 300 * MS, { peer: first! })).toBe('CLOSE_WAIT'); // served, reply pending
    const acceptedBy = new Map(calls(trace, 'server', 'accept').map((a) => [endpointOf(a), a.t]));
    for (const ep of queued) {
      expect(stateAt(trace, 'server', 300 * MS, { peer: ep })).toBe('CLOSE_WAIT');
      // Both the request and the FIN are in, and nobody has accept()ed the socket yet.
      expect(enteredAt(trace, 'server', 'CLOSE_WAIT', { peer: ep })).toBeLessThan(acceptedBy.get(ep)!);
      expect(acceptedBy.get(ep)!).toBeGreaterThan(300 * MS);
    }
  });

  it('a queued child ACKs the request at once (quickack) and the FIN with a delayed ACK (kernel: 42–44 ms later)', async () => {
    const trace = await runScenario('many-clients');
    for (const ep of clients(trace)) {
      const data = theSegment(trace, { from: ep, payload: true });
      const fin = theSegment(trace, { from: ep, hasFlags: ['FIN'] });
      const acks = segments(trace, { from: 'server', to: ep, flags: ['ACK'], payload: false, before: 500 * MS });
      expect(acks.map((a) => seqDiff(a.ack, data.seq))).toEqual([data.len, data.len + 1]);
      expect(acks[0]!.t).toBe(arrival(data));
      const finDelay = acks[1]!.t - arrival(fin);
      expect(finDelay).toBeGreaterThanOrEqual(DELACK_MIN);
      expect(finDelay).toBeLessThan(50 * MS);
    }
  });

  it('the replies leave 0.5 s apart (kernel: 0.507, 1.008, 1.508 s); each client ACKs the data and the FIN with two ACKs and ends in TIME_WAIT; the server keeps none', async () => {
    const trace = await runScenario('many-clients');
    const replies = segments(trace, { from: 'server', payload: true });
    expect(replies).toHaveLength(3);
    expect(replies.map((r) => r.dst)).toEqual(clients(trace));
    expect(replies[1]!.t - replies[0]!.t).toBe(500 * MS);
    expect(replies[2]!.t - replies[1]!.t).toBe(500 * MS);
    for (const reply of replies) {
      const fin = theSegment(trace, { from: 'server', to: reply.dst, hasFlags: ['FIN'] });
      expect(fin.t).toBe(reply.t);
      const acks = segments(trace, { from: reply.dst, flags: ['ACK'], payload: false, after: arrival(reply) });
      expect(acks.map((a) => [a.t, a.ack])).toEqual([
        [arrival(reply), seqAdd(reply.seq, reply.len)],
        [arrival(fin), seqAdd(fin.seq, 1)],
      ]);
      // Linux TCP_TIMEWAIT_LEN: 60 s (kernel ss: timer:(timewait,59sec) just after).
      const tw = enteredAt(trace, 'client', 'TIME_WAIT', { endpoint: reply.dst });
      expect(enteredAt(trace, 'client', 'CLOSED', { endpoint: reply.dst }) - tw).toBe(60 * S);
    }
    expect(stateEvents(trace, 'server').filter((e) => e.to === 'TIME_WAIT')).toEqual([]);
  });

  it('runs under rfc9293 to the end without an errno', async () => {
    await expectRunsUnderRfc9293('many-clients', {}, { server: 4, client: 3 });
  });
});

// --------------------------------------------------------------------------------------- 21

/** Data segments of the client's first connection (`c`) or its second (`c2`). */
function clientData(trace: Trace, which: 'c' | 'c2'): SegmentEvent[] {
  const [c, c2] = calls(trace, 'client', 'connect').map(endpointOf);
  return segments(trace, { from: which === 'c' ? c! : c2!, payload: true });
}

/** Edits of 21-byte-stream-coalescing.yaml. */
const NODELAY: Edit = [
  '      - connect: { socket: c, to: "server:9100" }\n',
  '      - connect: { socket: c, to: "server:9100" }\n      - setsockopt: { socket: c, option: TCP_NODELAY, value: 1 }\n',
];
// Case g: the client close()s right after its five sends (and so the server has nobody to reply to).
const CLOSE_AT_ONCE: Edit[] = [
  ['      - recv: { socket: c, max: 1024 }\n      - close: c\n', '      - close: c\n'],
  ['      - sendall: { socket: conn, data: "45 bytes" }\n', ''],
];

describe('byte-stream-coalescing', () => {
  it('scripts/kernel/observed/byte_stream_coalescing.txt case h: Nagle sends the first 9 bytes at once, the other four sends as one 36-byte segment when its ACK arrives', async () => {
    const trace = await runScenario('byte-stream-coalescing');
    const data = clientData(trace, 'c');
    expect(data.map((s) => s.len)).toEqual([9, 36]);
    expect(data.map(payloadText)).toEqual(['message 1', 'message 2message 3message 4message 5']);
    const connect = calls(trace, 'client', 'connect')[0]!;
    expect(data[0]!.t).toBe(connect.t);
    const ackOfFirst = theSegment(trace, { from: 'server', to: data[0]!.src, flags: ['ACK'], payload: false, after: data[0]!.t, before: data[1]!.t });
    expect(ackOfFirst.ack).toBe(seqAdd(data[0]!.seq, 9));
    expect(data[1]!.t).toBe(arrival(ackOfFirst)); // kernel: 2.3 ms after the first, one round trip
  });

  it('the slow reader (0.2 s) gets all five sends glued together from one recv(1024) (kernel: 0.204 s, 45 bytes)', async () => {
    const trace = await runScenario('byte-stream-coalescing');
    const [accept] = calls(trace, 'server', 'accept');
    const reads = calls(trace, 'server', 'recv').filter((c) => c.socket === fdOf(accept!));
    expect(reads.map(outcome)).toEqual(['45 bytes', 'EOF (0 bytes)']);
    expect(reads[0]!.t - accept!.t).toBe(200 * MS);
  });

  it('framed: 13 then 52 bytes on the wire; recv_message reads 4-byte lengths and 9-byte bodies, five messages', async () => {
    const trace = await runScenario('byte-stream-coalescing');
    const data = clientData(trace, 'c2');
    expect(data.map((s) => s.len)).toEqual([13, 52]); // kernel case e/h: len=13, len=52
    const ackOfFirst = theSegment(trace, { from: 'server', to: data[0]!.src, flags: ['ACK'], payload: false, after: data[0]!.t, before: data[1]!.t });
    expect(data[1]!.t).toBe(arrival(ackOfFirst));
    const framed = fdOf(calls(trace, 'server', 'accept')[1]!);
    const reads = calls(trace, 'server', 'recv').filter((c) => c.socket === framed).map(outcome);
    expect(reads).toEqual([...Array.from({ length: 5 }, () => ['4 bytes', '9 bytes']).flat(), 'EOF (0 bytes)']);
  });

  it('case d, with TCP_NODELAY: five 9-byte segments back to back, each ACKed at once; the slow reader still gets 45 bytes in one recv()', async () => {
    const trace = await variant('21-byte-stream-coalescing.yaml', [NODELAY]);
    const data = clientData(trace, 'c');
    expect(data.map((s) => s.len)).toEqual([9, 9, 9, 9, 9]);
    expect(new Set(data.map((s) => s.t)).size).toBe(1); // kernel: all five within 0.4 ms
    const acks = segments(trace, { from: 'server', to: data[0]!.src, flags: ['ACK'], payload: false, after: data[0]!.t, before: 100 * MS });
    expect(acks.map((a) => seqDiff(a.ack, data[0]!.seq))).toEqual([9, 18, 27, 36, 45]);
    const [accept] = calls(trace, 'server', 'accept');
    expect(outcome(calls(trace, 'server', 'recv').find((c) => c.socket === fdOf(accept!))!)).toBe('45 bytes');
  });

  it('case g, close() right after the sends: the held 36 bytes leave at once with the FIN, and that data+FIN is ACKed by the delayed-ACK timer (kernel: 43 ms)', async () => {
    const trace = await variant('21-byte-stream-coalescing.yaml', CLOSE_AT_ONCE);
    const data = clientData(trace, 'c');
    expect(data.map((s) => [s.len, [...s.flags].sort().join()])).toEqual([
      [9, 'ACK,PSH'],
      [36, 'ACK,FIN,PSH'],
    ]);
    expect(data[1]!.t).toBe(data[0]!.t); // close() does not wait for the ACK Nagle waits for
    const acks = segments(trace, { from: 'server', to: data[0]!.src, flags: ['ACK'], payload: false, after: data[0]!.t, before: 100 * MS });
    expect(acks.map((a) => seqDiff(a.ack, data[0]!.seq))).toEqual([9, 9 + 36 + 1]);
    expect(acks[0]!.t).toBe(arrival(data[0]!)); // quickack
    const delay = acks[1]!.t - arrival(data[1]!);
    expect(delay).toBeGreaterThanOrEqual(DELACK_MIN);
    expect(delay).toBeLessThan(50 * MS);
    const [accept] = calls(trace, 'server', 'accept');
    expect(calls(trace, 'server', 'recv').filter((c) => c.socket === fdOf(accept!)).map(outcome)).toEqual(['45 bytes', 'EOF (0 bytes)']);
  });

  it('runs under rfc9293 to the end without an errno', async () => {
    await expectRunsUnderRfc9293('byte-stream-coalescing', {}, { server: 3, client: 2 });
  });
});

// --------------------------------------------------------------------------------------- 22

describe('send-buffer-full', () => {
  it('scripts/kernel/observed/send_buffer_full.txt: a non-blocking send(1 MB) takes part of it, the next one at once fails with EAGAIN', async () => {
    const trace = await runScenario('send-buffer-full');
    const [first, second] = calls(trace, 'client', 'send');
    // Kernel: 78192 (the buffer autotuned to 69120 at connect); the linux profile keeps tcp_wmem's
    // default 16384 (docs/linux-vs-rfc.md: no send-buffer autotuning).
    expect(outcome(first!)).toBe('16384 bytes');
    expect(outcome(second!)).toBe('EAGAIN');
    expect(second!.t).toBe(first!.t);
  });

  it('the receiver\'s window falls to 0 before 1 s (kernel: 0.092 s) and the sender sends no data until the reader reads', async () => {
    const trace = await runScenario('send-buffer-full');
    const zero = segments(trace, { from: 'server', flags: ['ACK'] }).find((s) => s.win === 0)!;
    expect(zero).toBeDefined();
    expect(zero.t).toBeLessThan(1 * S);
    // No retransmission backoff: only probes until the window update at 3 s.
    expect(segments(trace, { from: 'client', payload: true, after: arrival(zero), before: 3 * S })).toEqual([]);
  });

  it('zero-window probes: pure ACKs with seq = SND.UNA - 1, the first ~0.22 s after the zero window, gaps doubling; the receiver answers probes 1 and 3, not 2 (500 ms limit)', async () => {
    const trace = await runScenario('send-buffer-full');
    const zero = segments(trace, { from: 'server', flags: ['ACK'] }).find((s) => s.win === 0)!;
    const probes = segments(trace, { from: 'client', flags: ['ACK'], payload: false, after: arrival(zero), before: 3 * S });
    expect(probes.length).toBeGreaterThanOrEqual(3);
    for (const p of probes) expect(p.seq).toBe(seqAdd(zero.ack, -1)); // kernel: the probe ACKs data it already sent
    const first = probes[0]!.t - arrival(zero);
    expect(first).toBeGreaterThan(200 * MS); // the RTO (kernel: 0.219 s)
    expect(first).toBeLessThan(250 * MS);
    const gaps = probes.slice(1).map((p, i) => p.t - probes[i]!.t);
    for (let i = 1; i < gaps.length; i++) {
      // kernel: 0.440, 0.896, 1.760 s
      expect(gaps[i]! / gaps[i - 1]!).toBeGreaterThan(1.9);
      expect(gaps[i]! / gaps[i - 1]!).toBeLessThan(2.1);
    }
    const answers = probes.map((p) => segments(trace, { from: 'server', flags: ['ACK'], after: arrival(p), before: arrival(p) + 1 }));
    expect(answers.slice(0, 3).map((a) => a.length)).toEqual([1, 0, 1]);
    for (const a of answers.flat()) expect([a.win, a.ack]).toEqual([0, zero.ack]);
  });

  it('when the reader starts at 3 s: a window update at once, data at its arrival; the blocking send() returns the whole 100000 just after', async () => {
    const trace = await runScenario('send-buffer-full');
    const update = segments(trace, { from: 'server', flags: ['ACK'], after: 3 * S })[0]!;
    expect(update.t).toBe(3 * S); // kernel: the update left with the read (win=75)
    expect(update.win).toBeGreaterThan(0);
    const next = segments(trace, { from: 'client', payload: true, after: 3 * S })[0]!;
    expect(next.t).toBe(arrival(update));
    const blocking = calls(trace, 'client', 'send')[2]!;
    expect(outcome(blocking)).toBe('100000 bytes');
    expect(blocking.t).toBeGreaterThan(3 * S); // kernel (case C): 7 ms after the reader started
    expect(blocking.t).toBeLessThan(3 * S + 20 * MS);
  });

  it('runs under rfc9293 to the end: only the expected EAGAIN', async () => {
    await expectRunsUnderRfc9293('send-buffer-full', { 'client send EAGAIN': 1 }, { server: 2, client: 1 });
  });
});

// --------------------------------------------------------------------------------------- 23

const E = 'EADDRNOTAVAIL';
/** connect() results per host: the local port, or the errno. */
const connectPorts = (trace: Trace, host: string) => calls(trace, host, 'connect').map((c) => (c.result === 'ok' ? Number(endpointOf(c).split(':')[1]) : c.result));

describe('tw-reuse', () => {
  it('scripts/kernel/observed/tw_reuse.txt part A: two usable ports (50000, 50001); tcp_tw_reuse=0 and =2 fail from the 3rd connect(), =1 takes over TIME_WAITs older than 1 s', async () => {
    const trace = await runScenario('tw-reuse');
    expect(connectPorts(trace, 'reuse0')).toEqual([50000, 50001, E, E, E, E, E]);
    expect(connectPorts(trace, 'reuse1')).toEqual([50000, 50001, E, E, 50000, 50001, E]);
    expect(connectPorts(trace, 'reuse2')).toEqual([50000, 50001, E, E, E, E, E]);
    expect(segments(trace).filter((s) => s.src.endsWith(':50002'))).toEqual([]);
  });

  it('reuse1\'s 5th and 6th SYN leave from ports 50000/50001 with seq = that port\'s old FIN seq + 1 + 65537 and a TSval ~1.2 s on (kernel: +1182, +1184)', async () => {
    const trace = await runScenario('tw-reuse');
    for (const port of [50000, 50001]) {
      const ep = `10.0.0.11:${port}`;
      const syns = segments(trace, { from: ep, flags: ['SYN'] });
      expect(syns).toHaveLength(2);
      const oldFin = segments(trace, { from: ep, hasFlags: ['FIN'] })[0]!;
      expect(syns[1]!.seq).toBe(seqAdd(oldFin.seq, 1 + 65537));
      const tsStep = seqDiff(tsVal(syns[1]!), tsVal(oldFin));
      expect(tsStep).toBeGreaterThan(1100);
      expect(tsStep).toBeLessThan(1300);
      // The TIME_WAIT it took over ends then, not 60 s later.
      const [old] = socketsOf(trace, 'reuse1', { endpoint: ep });
      expect(stateAt(trace, 'reuse1', syns[1]!.t, { socket: old! })).toBe('CLOSED');
      expect(enteredAt(trace, 'reuse1', 'CLOSED', { socket: old! }) - enteredAt(trace, 'reuse1', 'TIME_WAIT', { socket: old! })).toBeLessThan(2 * S);
    }
  });

  it('part C: bind() to port 50100 with SO_REUSEADDR takes over the TIME_WAIT at once even with tcp_tw_reuse=0: SYN seq = old FIN seq + 1 + 65537 (kernel TSval +285)', async () => {
    const trace = await runScenario('tw-reuse');
    expect(connectPorts(trace, 'bound')).toEqual([50100, 50100, 50100]);
    const syns = segments(trace, { from: 'bound', flags: ['SYN'] });
    const fins = segments(trace, { from: 'bound', hasFlags: ['FIN'] });
    expect(syns).toHaveLength(3);
    for (const k of [1, 2]) {
      expect(syns[k]!.seq).toBe(seqAdd(fins[k - 1]!.seq, 1 + 65537));
      const tsStep = seqDiff(tsVal(syns[k]!), tsVal(fins[k - 1]!));
      expect(tsStep).toBeGreaterThan(250);
      expect(tsStep).toBeLessThan(350);
    }
  });

  it('part C with tcp_timestamps=0 on the bound client: bind() succeeds, connect() over the TIME_WAIT fails with EADDRNOTAVAIL', async () => {
    const trace = await variant('23-tw-reuse.yaml', [['knobs: { tcp_tw_reuse: 0 } }', 'knobs: { tcp_tw_reuse: 0, tcp_timestamps: 0 } }']]);
    expect(calls(trace, 'bound', 'bind').map(outcome).slice(0, 2)).toEqual(['ok', 'ok']);
    expect(connectPorts(trace, 'bound')).toEqual([50100, E]); // the program ends at the failed connect()
    expect(segments(trace, { from: 'bound', flags: ['SYN'] })).toHaveLength(1);
  });

  it('runs under rfc9293 to the end: only the expected EADDRNOTAVAILs (every host is pinned to linux)', async () => {
    await expectRunsUnderRfc9293(
      'tw-reuse',
      { 'reuse0 connect EADDRNOTAVAIL': 5, 'reuse1 connect EADDRNOTAVAIL': 3, 'reuse2 connect EADDRNOTAVAIL': 5 },
      { server: 12, reuse0: 7, reuse1: 7, reuse2: 7, bound: 3 },
    );
  });
});

// --------------------------------------------------------------------------------------- 24

const FIN_WAIT_2_FILE = '24-fin-wait-2-timeout.yaml';
/** tcp_fin_timeout 5 on both clients (scripts/kernel/observed/fin_wait_2_timeout.txt). */
const FIN_TIMEOUT_5: Edit[] = [
  ['closer: { address: 10.0.0.1, profile: linux }', 'closer: { address: 10.0.0.1, profile: linux, knobs: { tcp_fin_timeout: 5 } }'],
  ['halfcloser: { address: 10.0.0.3, profile: linux }', 'halfcloser: { address: 10.0.0.3, profile: linux, knobs: { tcp_fin_timeout: 5 } }'],
];
/** The server does no late send()s: it close()s both connections (its FIN) at `at` seconds. */
function serverClosesAt(at: number): Edit {
  const start = '      - wait_until: 65                      # after tcp_fin_timeout (60 s)\n';
  const text = readFileSync(join(BUILTIN_DIR, FIN_WAIT_2_FILE), 'utf8');
  const from = text.slice(text.indexOf(start), text.indexOf('  - host: closer\n'));
  if (!text.includes(start) || !from.endsWith('      - close: s\n')) throw new Error(`${FIN_WAIT_2_FILE}: the server's steps after the accepts changed`);
  return [from, `      - wait_until: ${at}\n      - close: orphaned\n      - close: halfclosed\n      - close: s\n`];
}

/** The server's connection to `host`, by the peer address. */
const serverConnTo = (trace: Trace, host: string) => fdOf(calls(trace, 'server', 'accept').find((a) => endpointOf(a).startsWith(`${trace.hosts.find((h) => h.name === host)!.address}:`))!);

describe('fin-wait-2-timeout', () => {
  it('scripts/kernel/observed/fin_wait_2_timeout_60.txt: the orphaned FIN_WAIT_2 ends tcp_fin_timeout (60 s) after it began, without sending a segment (kernel: gone 61.3 s on, timer-wheel slack)', async () => {
    const trace = await runScenario('fin-wait-2-timeout');
    const fw2 = enteredAt(trace, 'closer', 'FIN_WAIT_2');
    const lifetime = enteredAt(trace, 'closer', 'CLOSED') - fw2;
    expect(lifetime).toBeGreaterThanOrEqual(60 * S);
    expect(lifetime).toBeLessThan(61.5 * S);
    expect(segments(trace, { from: 'closer', after: fw2 + 1, before: 65 * S })).toEqual([]);
  });

  it('the late data at 65 s finds no socket: one RST, seq = the data\'s ACK, no ACK flag, window 0; the server\'s recv() then says EOF and send() EPIPE', async () => {
    const trace = await runScenario('fin-wait-2-timeout');
    const late = theSegment(trace, { from: 'server', to: 'closer', payload: true });
    expect(late.t).toBe(65 * S);
    const after = segments(trace, { from: 'closer', after: enteredAt(trace, 'closer', 'FIN_WAIT_2') + 1 });
    expect(after).toHaveLength(1);
    expect(after[0]).toMatchObject({ flags: ['RST'], seq: late.ack, win: 0, t: arrival(late) });
    const orphaned = serverConnTo(trace, 'closer');
    expect(calls(trace, 'server').filter((c) => c.socket === orphaned && c.t >= 65 * S).map((c) => [c.call, outcome(c)])).toEqual([
      ['send', '10 bytes'],
      ['recv', 'EOF (0 bytes)'],
      ['send', 'EPIPE'],
      ['close', 'ok'],
    ]);
  });

  it('the half-closed client, still open, has no timer: FIN_WAIT_2 until the server\'s data at 65 s, ACKs "late reply" and "more" at once, then TIME_WAIT for 60 s on the FIN', async () => {
    const trace = await runScenario('fin-wait-2-timeout');
    const data = segments(trace, { from: 'server', to: 'halfcloser', payload: true });
    expect(data.map(payloadText)).toEqual(['late reply', 'more']);
    expect(stateAt(trace, 'halfcloser', data[0]!.t)).toBe('FIN_WAIT_2');
    for (const d of data) {
      const ack = segments(trace, { from: 'halfcloser', after: arrival(d) })[0]!;
      expect([ack.t, ack.ack]).toEqual([arrival(d), seqAdd(d.seq, d.len)]);
    }
    const fin = theSegment(trace, { from: 'server', to: 'halfcloser', hasFlags: ['FIN'] });
    expect(enteredAt(trace, 'halfcloser', 'TIME_WAIT')).toBe(arrival(fin));
    expect(enteredAt(trace, 'halfcloser', 'CLOSED') - arrival(fin)).toBe(60 * S);
  });

  it('fin_wait_2_timeout.txt, tcp_fin_timeout=5: the orphan is gone 5 s after FIN_WAIT_2 began (kernel: 5.07 s); the half-closed socket still waits', async () => {
    const trace = await variant(FIN_WAIT_2_FILE, FIN_TIMEOUT_5);
    const lifetime = enteredAt(trace, 'closer', 'CLOSED') - enteredAt(trace, 'closer', 'FIN_WAIT_2');
    expect(lifetime).toBeGreaterThanOrEqual(5 * S);
    expect(lifetime).toBeLessThan(5.5 * S);
    expect(stateAt(trace, 'halfcloser', 64 * S)).toBe('FIN_WAIT_2');
    const late = theSegment(trace, { from: 'server', to: 'closer', payload: true });
    expect(theSegment(trace, { from: 'closer', hasFlags: ['RST'] })).toMatchObject({ flags: ['RST'], seq: late.ack });
  });

  it('variant C (tcp_fin_timeout=5): the server\'s FIN at 2.5 s, before the timeout, is ACKed at once and the orphan sits in TIME_WAIT for 60 s', async () => {
    const trace = await variant(FIN_WAIT_2_FILE, [...FIN_TIMEOUT_5, serverClosesAt(2.5)]);
    const fin = theSegment(trace, { from: 'server', to: 'closer', hasFlags: ['FIN'] });
    expect(fin.t).toBe(2.5 * S);
    const ack = theSegment(trace, { from: 'closer', after: fin.t });
    expect(ack).toMatchObject({ flags: ['ACK'], ack: seqAdd(fin.seq, 1), t: arrival(fin) });
    expect(statesOf(trace, 'closer').slice(-3)).toEqual(['FIN_WAIT_2', 'TIME_WAIT', 'CLOSED']);
    expect(enteredAt(trace, 'closer', 'CLOSED') - enteredAt(trace, 'closer', 'TIME_WAIT')).toBe(60 * S);
  });

  it('variant D (tcp_fin_timeout=5): the server\'s data at 2.5 s, before the timeout, draws a RST from the orphan; the server\'s recv() says EOF, send() EPIPE', async () => {
    const trace = await variant(FIN_WAIT_2_FILE, [...FIN_TIMEOUT_5, ['      - wait_until: 65 ', '      - wait_until: 2.5 ']]);
    const late = theSegment(trace, { from: 'server', to: 'closer', payload: true });
    expect(late.t).toBe(2.5 * S);
    expect(theSegment(trace, { from: 'closer', after: late.t })).toMatchObject({ flags: ['RST'], seq: late.ack, win: 0, t: arrival(late) });
    expect(statesOf(trace, 'closer').slice(-2)).toEqual(['FIN_WAIT_2', 'CLOSED']);
    expect(enteredAt(trace, 'closer', 'CLOSED')).toBe(arrival(late));
    const orphaned = serverConnTo(trace, 'closer');
    expect(calls(trace, 'server').filter((c) => c.socket === orphaned && c.t > 2.5 * S && c.call !== 'close').map(outcome)).toEqual(['EOF (0 bytes)', 'EPIPE']);
  });

  it('variant E (tcp_fin_timeout=60): the server\'s FIN at 65 s, after the orphan is gone, draws a RST with seq = its ACK', async () => {
    const trace = await variant(FIN_WAIT_2_FILE, [serverClosesAt(65)]);
    const fin = theSegment(trace, { from: 'server', to: 'closer', hasFlags: ['FIN'] });
    expect(theSegment(trace, { from: 'closer', after: fin.t })).toMatchObject({ flags: ['RST'], seq: fin.ack, win: 0, t: arrival(fin) });
  });

  it('runs under rfc9293 to the end: only the expected EPIPE (every host is pinned to linux)', async () => {
    await expectRunsUnderRfc9293('fin-wait-2-timeout', { 'server send EPIPE': 1 }, { server: 3, closer: 1, halfcloser: 1 });
  });
});

// --------------------------------------------------------------------------------------- 25

/** The injections of scripts/kernel/check_rst_in_window.py: when, what, seq relative to the client's RCV.NXT. */
const FORGED = [
  { at: 1.0, flags: 'RST', offset: 1000 },
  { at: 1.1, flags: 'RST', offset: 2000 },
  { at: 1.6, flags: 'RST', offset: 1000 },
  { at: 2.6, flags: 'ACK', offset: 1_000_000 },
  { at: 2.7, flags: 'RST', offset: 1000 },
  { at: 3.7, flags: 'RST', offset: 64512 },
  { at: 4.7, flags: 'RST', offset: 64513 },
  { at: 5.7, flags: 'RST', offset: -1 },
  { at: 6.7, flags: 'SYN', offset: 5 },
  { at: 7.7, flags: 'RST', offset: 0 },
] as const;

describe('rst-in-window', () => {
  /** The client's RCV.NXT and SND.NXT after the exchange, from the "world" and "hello" segments. */
  function clientNumbers(trace: Trace) {
    const world = theSegment(trace, { from: 'server', payload: true, before: 1 * S });
    const hello = theSegment(trace, { from: 'client', payload: true });
    return { rcvNxt: seqAdd(world.seq, world.len), sndNxt: seqAdd(hello.seq, hello.len) };
  }
  const forged = (trace: Trace) => segments(trace, { from: 'server', to: 'client' }).filter((s) => FORGED.some((f) => s.t === f.at * S));

  it('scripts/kernel/observed/rst_in_window.txt: the ten forged segments are those of the kernel script; +64512 is the right edge the client advertised (win 63 << 10)', async () => {
    const trace = await runScenario('rst-in-window');
    const { rcvNxt, sndNxt } = clientNumbers(trace);
    expect(forged(trace).map((s) => [s.t, s.flags.join(), seqDiff(s.seq, rcvNxt)])).toEqual(FORGED.map((f) => [f.at * S, f.flags, f.offset]));
    for (const s of forged(trace).filter((f) => f.flags.includes('RST'))) expect(s.ack).toBe(sndNxt);
    const syn = theSegment(trace, { from: 'client', flags: ['SYN'] });
    const lastAdvert = segments(trace, { from: 'client', before: 3.7 * S }).at(-1)!;
    expect(lastAdvert.win * 2 ** windowShift(syn)).toBe(64512);
  });

  it('answers: ACK, -, ACK, ACK, -, ACK, -, -, ACK, - (challenge ACKs and the dup ACK share one 500 ms clock); each ACK <SEQ=SND.NXT><ACK=RCV.NXT>', async () => {
    const trace = await runScenario('rst-in-window');
    const { rcvNxt, sndNxt } = clientNumbers(trace);
    const answers = forged(trace).map((f) => segments(trace, { from: 'client', after: arrival(f), before: arrival(f) + 1 }));
    expect(answers.map((a) => a.map((s) => s.flags.join()).join() || '-')).toEqual(['ACK', '-', 'ACK', 'ACK', '-', 'ACK', '-', '-', 'ACK', '-']);
    for (const a of answers.flat()) expect([a.seq, a.ack, a.len]).toEqual([sndNxt, rcvNxt, 0]);
    // Nothing else from the client between the exchange and the late data (kernel: TCPChallengeACK 4, one dup ACK).
    expect(segments(trace, { from: 'client', after: 0.5 * S, before: 7.9 * S })).toHaveLength(5);
  });

  it('the client is ESTABLISHED until the RST at exactly RCV.NXT arrives, and CLOSED then', async () => {
    const trace = await runScenario('rst-in-window');
    const exact = forged(trace).at(-1)!;
    expect(stateAt(trace, 'client', arrival(exact) - 1)).toBe('ESTABLISHED');
    expect(enteredAt(trace, 'client', 'CLOSED')).toBe(arrival(exact));
  });

  it('the server\'s late data finds no connection: one RST from the client, seq = the data\'s ACK, no ACK flag, window 0', async () => {
    const trace = await runScenario('rst-in-window');
    const late = theSegment(trace, { from: 'server', payload: true, after: 7.9 * S });
    expect(payloadText(late)).toBe('late');
    const rst = theSegment(trace, { from: 'client', hasFlags: ['RST'] });
    expect(rst).toMatchObject({ flags: ['RST'], seq: late.ack, win: 0, t: arrival(late) });
  });

  it('runs under rfc9293 to the end: only the expected ECONNRESETs and EPIPE', async () => {
    await expectRunsUnderRfc9293(
      'rst-in-window',
      { 'client recv ECONNRESET': 1, 'client send EPIPE': 1, 'server recv ECONNRESET': 1 },
      { server: 1, client: 1 },
    );
  });
});

// --------------------------------------------------------------------------------------- 26

const SYN_TW_FILE = '26-syn-to-time-wait.yaml';
/** Case B of check_syn_to_time_wait.py: 8 MB up first (framed, so the server reads it all), a 4 MB send buffer, reconnect 0.1 s later. */
function bigTransfer(clientKnobs: string): Edit[] {
  return [
    ['  client: { address: 10.0.0.1 }', `  client: { address: 10.0.0.1, knobs: { ${clientKnobs} } }`],
    ['      - recv: { socket: conn, max: 1024 }\n', '      - recv_message: conn\n'],
    ['      - sendall: { socket: c, data: "hello" }', '      - sendall: { socket: c, bytes: 8388608, framing: length-prefix }'],
    ['      - sleep: 0.3', '      - sleep: 0.1'],
  ];
}
// The linux profile's send buffer is a fixed 16 KB (no autotuning): over a 2 ms round trip that moves
// 8 MB/s, slower than Linux's 64 ns ISN clock (15.6 M/s), so no transfer could outrun the clock. The
// client gets a 4 MB send buffer (tcp_wmem's maximum, which autotuning gives Linux).
const CASE_B = bigTransfer('sendBuffer: 4194304');
const CASE_C = bigTransfer('sendBuffer: 4194304, tcp_timestamps: 0');

/** The old connection's numbers: the client's and the server's FIN. */
function oldFins(trace: Trace) {
  return {
    clientFin: segments(trace, { from: 'client', hasFlags: ['FIN'] })[0]!,
    serverFin: segments(trace, { from: 'server', hasFlags: ['FIN'] })[0]!,
  };
}

describe('syn-to-time-wait', () => {
  it('scripts/kernel/observed/syn_to_time_wait.txt case A: the new SYN (seq above the old RCV.NXT) meets the TIME_WAIT, which is recycled at once: SYN-ACK seq = old SND.NXT + 65537', async () => {
    const trace = await runScenario('syn-to-time-wait');
    const syns = segments(trace, { from: 'client', flags: ['SYN'] });
    expect(syns).toHaveLength(2);
    expect(syns[1]!.src).toBe(syns[0]!.src);
    const { clientFin, serverFin } = oldFins(trace);
    expect(seqDiff(syns[1]!.seq, seqAdd(clientFin.seq, 1))).toBeGreaterThan(0); // kernel: + 5.0 M
    const [old] = socketsOf(trace, 'server', { peer: 'client' });
    expect(stateAt(trace, 'server', arrival(syns[1]!) - 1, { socket: old! })).toBe('TIME_WAIT');
    expect(enteredAt(trace, 'server', 'CLOSED', { socket: old! })).toBe(arrival(syns[1]!));
    const synAck = segments(trace, { from: 'server', flags: ['SYN', 'ACK'] })[1]!;
    expect(synAck.t).toBe(arrival(syns[1]!));
    expect(synAck.seq).toBe(seqAdd(serverFin.seq, 1 + 65537));
    // Both connect()s return one round trip after their SYN (kernel: 0.003 s for the second).
    expect(calls(trace, 'client', 'connect').map((c, k) => [c.result, c.t - syns[k]!.t])).toEqual([
      ['ok', 2 * MS],
      ['ok', 2 * MS],
    ]);
    expect(segments(trace, { hasFlags: ['RST'] })).toEqual([]);
  });

  it('case B (8 MB sent first): the new SYN\'s seq is below the old RCV.NXT but its TSval is newer; recycled the same way, +65537, no RST', async () => {
    const trace = await variant(SYN_TW_FILE, CASE_B);
    const syns = segments(trace, { from: 'client', flags: ['SYN'] });
    expect(syns).toHaveLength(2);
    const { clientFin, serverFin } = oldFins(trace);
    expect(seqDiff(syns[1]!.seq, seqAdd(clientFin.seq, 1))).toBeLessThan(0); // kernel: - 3.7 M
    expect(seqDiff(tsVal(syns[1]!), tsVal(clientFin))).toBeGreaterThan(0); // kernel: + 137
    const synAck = segments(trace, { from: 'server', flags: ['SYN', 'ACK'] })[1]!;
    expect(synAck.t).toBe(arrival(syns[1]!));
    expect(synAck.seq).toBe(seqAdd(serverFin.seq, 1 + 65537));
    expect(segments(trace, { hasFlags: ['RST'] })).toEqual([]);
    expect(calls(trace, 'client', 'connect').map((c) => c.result)).toEqual(['ok', 'ok']);
  });

  it('case C (8 MB, no timestamps): the TIME_WAIT answers with a bare ACK, the client RSTs it away and repeats its SYN after TCP_TIMEOUT_MIN (kernel: 11 ms); the SYN-ACK has a fresh ISN', async () => {
    const trace = await variant(SYN_TW_FILE, CASE_C);
    const syns = segments(trace, { from: 'client', flags: ['SYN'] });
    expect(syns).toHaveLength(3);
    const { clientFin, serverFin } = oldFins(trace);
    const oldRcvNxt = seqAdd(clientFin.seq, 1);
    expect(seqDiff(syns[1]!.seq, oldRcvNxt)).toBeLessThan(0); // kernel: - 4.0 M
    const twAck = theSegment(trace, { from: 'server', after: syns[1]!.t, before: syns[2]!.t });
    expect(twAck).toMatchObject({ flags: ['ACK'], seq: seqAdd(serverFin.seq, 1), ack: oldRcvNxt, t: arrival(syns[1]!) });
    const rst = theSegment(trace, { from: 'client', hasFlags: ['RST'] });
    expect(rst).toMatchObject({ flags: ['RST'], seq: twAck.ack, t: arrival(twAck) });
    const [old] = socketsOf(trace, 'server', { peer: 'client' });
    expect(enteredAt(trace, 'server', 'CLOSED', { socket: old! })).toBe(arrival(rst));
    expect(syns[2]!.seq).toBe(syns[1]!.seq);
    const resend = syns[2]!.t - rst.t;
    expect(resend).toBeGreaterThanOrEqual(8 * MS); // TCP_TIMEOUT_MIN, 2 jiffies at HZ=250
    expect(resend).toBeLessThanOrEqual(11 * MS); // not the 1 s SYN RTO
    const synAck = segments(trace, { from: 'server', flags: ['SYN', 'ACK'], after: syns[2]!.t })[0]!;
    expect(synAck.t).toBe(arrival(syns[2]!));
    expect(synAck.seq).not.toBe(seqAdd(serverFin.seq, 1 + 65537)); // kernel: old SND.NXT + 4.6 M
    expect(calls(trace, 'client', 'connect').map((c) => c.result)).toEqual(['ok', 'ok']);
  });

  it('runs under rfc9293 to the end without an errno', async () => {
    await expectRunsUnderRfc9293('syn-to-time-wait', {}, { server: 3, client: 2 });
  });
});
