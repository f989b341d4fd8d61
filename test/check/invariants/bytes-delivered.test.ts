// RFC 9293 3.10: bytes delivered equal bytes sent, in order, exactly once.
import { describe, expect, it } from 'vitest';
import { bytesDelivered, runScenario } from '../../../src/check/index.js';
import type { CallEvent, SegmentEvent } from '../../../src/sim/trace.js';
import { builtin, copy } from './traces.js';

const lostData = {
  summary: 'the first data segment is lost and sent again',
  hosts: { client: { address: '10.0.0.1' }, server: { address: '10.0.0.2' } },
  faults: ['drop 1st data from client'],
  programs: [
    { host: 'server', steps: [{ socket: 's' }, { bind: { socket: 's', port: 80 } }, { listen: { socket: 's', backlog: 1 } }, { accept: { socket: 's', as: 'c' } }, { recvall: 'c' }, { close: 'c' }] },
    { host: 'client', start: '1ms', steps: [{ socket: 's' }, { connect: { socket: 's', to: 'server:80' } }, { sendall: { socket: 's', data: 'hello' } }, { close: 's' }] },
  ],
};

describe('bytes-delivered', () => {
  it('holds on an echo and on a lost-and-resent segment', async () => {
    expect(bytesDelivered((await builtin('echo')).trace)).toEqual([]);
    expect(bytesDelivered((await runScenario(lostData)).trace)).toEqual([]);
  });

  it('fails when a resent copy carries a different byte than the lost original', async () => {
    const { trace } = await runScenario(lostData);
    const copies = trace.events.flatMap((e, i) => (e.kind === 'segment' && e.len > 0 ? [i] : []));
    expect(copies).toHaveLength(2);
    (trace.events[copies[1]!] as SegmentEvent).payload = btoa('hellp');
    const v = bytesDelivered(trace);
    expect(v).toHaveLength(1);
    expect(v[0]!.events).toEqual(copies);
    expect(v[0]!.message).toContain('byte 4 of the stream was sent as 111');
  });

  it('fails when the program read bytes that never arrived', async () => {
    const trace = copy((await builtin('echo')).trace);
    const i = trace.events.findIndex((e) => e.kind === 'segment' && e.len > 0 && e.src.startsWith('10.0.0.1'));
    const seg = trace.events[i] as SegmentEvent;
    seg.fate = 'dropped';
    delete seg.arrival;
    const v = bytesDelivered(trace);
    expect(v.map((x) => x.message)).toEqual([expect.stringMatching(/^server 10\.0\.0\.2:50007: recv\(\) has returned 12 bytes in all by .* but only 0 had arrived/)]);
  });

  it('fails when a recv() claims a byte more than was sent', async () => {
    const trace = copy((await builtin('echo')).trace);
    const i = trace.events.findIndex((e) => e.kind === 'call' && e.host === 'client' && e.call === 'recv');
    (trace.events[i] as CallEvent).value = '13 bytes';
    expect(bytesDelivered(trace).map((x) => x.events)).toEqual([[i]]);
  });

  it('fails when a length does not match the payload', async () => {
    const trace = copy((await builtin('echo')).trace);
    const i = trace.events.findIndex((e) => e.kind === 'segment' && e.len > 0);
    (trace.events[i] as SegmentEvent).len = 11;
    expect(bytesDelivered(trace).some((x) => x.events.includes(i) && x.message.includes('says len 11 but carries 12'))).toBe(true);
  });

  // Found by a long `synack check` (seed 101, run 705): the client's byte is lost, it closes with the server's
  // byte unread and resets; the server's recv() gets ECONNRESET, then 0 (Linux), which is no end of stream.
  const resetBeforeEof = {
    summary: 'a lost byte, then a RST: the end of file after ECONNRESET',
    hosts: { client: { address: '10.0.0.1' }, server: { address: '10.0.0.2' } },
    faults: ['drop 1st data from client'],
    programs: [
      { host: 'server', steps: [{ socket: 's' }, { bind: { socket: 's', port: 80 } }, { listen: { socket: 's', backlog: 1 } }, { accept: { socket: 's', as: 'c' } }, { sendall: { socket: 'c', bytes: 1 } }, { recv: { socket: 'c', max: 1 }, expect: 'any' }, { recv: { socket: 'c', max: 1 }, expect: 'any' }, { close: 'c' }] },
      { host: 'client', start: '1ms', steps: [{ socket: 's' }, { connect: { socket: 's', to: 'server:80' } }, { sendall: { socket: 's', bytes: 1 } }, { close: 's' }] },
    ],
  };

  it('holds when the end of file follows a RST (the stream was cut, not ended), and fails without the RST', async () => {
    const { trace } = await runScenario(resetBeforeEof);
    const results = trace.events.flatMap((e) => (e.kind === 'call' && e.host === 'server' && e.call === 'recv' ? [`${e.result} ${e.value ?? ''}`.trim()] : []));
    expect(results).toEqual(['ECONNRESET', 'ok EOF (0 bytes)']);
    expect(bytesDelivered(trace)).toEqual([]);
    const cut = copy(trace);
    const rst = cut.events.findIndex((e) => e.kind === 'state' && e.host === 'server' && e.cause === 'RCV_RST');
    expect(rst).toBeGreaterThan(0);
    cut.events[rst] = { ...cut.events[rst]!, cause: 'CLOSE' } as (typeof cut.events)[number];
    expect(bytesDelivered(cut).map((v) => v.message)).toEqual([expect.stringMatching(/read end-of-file .* after 0 bytes, but client's program sent 1$/)]);
  });
});
