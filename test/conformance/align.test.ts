// The kernel's packet times counted from the calls that sent them (align.ts): a runner's call made late by a loaded
// machine must not fail a case, and a model whose FIN is really late must still fail one. Synthetic runs of one
// connection: the client connects at 1 ms, sends 5 bytes and closes; the server closes after a 0.5 s sleep.
import { describe, expect, it } from 'vitest';
import { diffNormalised } from '../../src/diff/diff.js';
import { normalise } from '../../src/diff/normalise.js';
import type { Normalised } from '../../src/diff/normalise.js';
import { packetsFromTrace } from '../../src/replay/from-trace.js';
import type { TraceEvent, Trace } from '../../src/sim/trace.js';
import type { FlagName } from '../../src/wire/segment.js';
import { alignToCalls, callAnchors } from './align.js';
import type { CallLine } from './runners/runner-output.js';

const CLIENT = '10.0.0.1:40000';
const SERVER = '10.0.0.2:9999';
const names = { '10.0.0.1': 'client', '10.0.0.2': 'server' };

/**
 * A run's trace, times in µs: `closeAt` is the server's close() and `finAt` its FIN (the same instant unless the
 * model is wrong), `ackAt` the client's ACK of that FIN. Calls are recorded after the segments they sent.
 */
function trace(closeAt: number, finAt = closeAt, ackAt = finAt): Trace {
  let id = 0;
  const seg = (t: number, from: string, flags: FlagName[], seq: number, ack: number, len = 0): TraceEvent => ({
    t, kind: 'segment', id: ++id, src: from, dst: from === CLIENT ? SERVER : CLIENT, flags, seq, ack, len, win: 65535,
    options: [], fate: 'delivered', ...(len > 0 ? { payload: Buffer.from('hello').toString('base64') } : {}),
  }) as TraceEvent;
  const call = (t: number, host: string, name: string): TraceEvent => ({ t, kind: 'call', host, program: host, call: name, result: 'ok' }) as TraceEvent;
  const events = [
    seg(1000, CLIENT, ['SYN'], 100, 0), seg(1000, SERVER, ['SYN', 'ACK'], 500, 101), seg(1000, CLIENT, ['ACK'], 101, 501),
    call(1000, 'client', 'connect'), call(1000, 'server', 'accept'),
    seg(1000, CLIENT, ['PSH', 'ACK'], 101, 501, 5), seg(1000, SERVER, ['ACK'], 501, 106), call(1000, 'client', 'sendall'),
    seg(1000, CLIENT, ['FIN', 'ACK'], 106, 501), seg(1000, SERVER, ['ACK'], 501, 107), call(1000, 'client', 'close'),
    seg(finAt, SERVER, ['FIN', 'ACK'], 501, 107), seg(ackAt, CLIENT, ['ACK'], 107, 502), call(closeAt, 'server', 'close'),
  ].sort((a, b) => a.t - b.t);
  return { format: 'synack-trace', version: 1, scenario: 'x', profile: 'linux', seed: 1, hosts: [{ name: 'client', address: '10.0.0.1' }, { name: 'server', address: '10.0.0.2' }], events } as Trace;
}

const normal = (t: Trace): Normalised => normalise(packetsFromTrace(t), { names });

/**
 * The runner's CALL lines, µs after its t0, each returning 30 µs after it was made. `serverClose`: when the server's
 * close was made; `startLate`: the client started that late (so did every call after, but for a close made on time).
 */
function kernelCalls(serverClose: number, startLate = 0, closeOnTime = false): CallLine[] {
  const call = (made: number, host: string, name: string, late = startLate): CallLine => ({ t: made + late + 30, made: made + late, host, program: host, call: name, socket: 's', result: 'ok' });
  return [
    call(1000, 'client', 'connect'), call(1000, 'server', 'accept'), call(1000, 'client', 'sendall'), call(1000, 'client', 'close'),
    call(serverClose, 'server', 'close', closeOnTime ? 0 : startLate),
  ];
}

const compare = (model: Trace, kernel: Trace, calls: CallLine[]) =>
  diffNormalised(normal(model), alignToCalls(normal(kernel), callAnchors(model, normal(model), calls)).normal);

describe("the kernel's times are counted from the calls that sent them", () => {
  it('a server whose close() came 60 ms late (so its FIN and the ACK of it) still matches', () => {
    const model = trace(501_000);
    const kernel = trace(561_000);
    expect(diffNormalised(normal(model), normal(kernel))).not.toEqual([]); // without anchoring: the flake
    expect(compare(model, kernel, kernelCalls(561_000))).toEqual([]);
  });

  it('a run late from its first packet on (the client started 40 ms late) moves nothing', () => {
    const kernel = trace(501_000 + 40_000); // everything 40 ms late: normalised, the same times
    expect(compare(trace(501_000), kernel, kernelCalls(501_000, 40_000))).toEqual([]);
  });

  it('a close made on time (at:) after a client started 57 ms late matches, though early counted from the SYN', () => {
    const kernel = trace(501_000 - 57_000); // counted from a SYN sent 57 ms late
    expect(diffNormalised(normal(trace(501_000)), normal(kernel))).not.toEqual([]); // without anchoring
    expect(compare(trace(501_000), kernel, kernelCalls(501_000, 57_000, true))).toEqual([]);
  });

  it('a model whose FIN leaves 60 ms after its close() still fails: the kernel made that call on time', () => {
    const d = compare(trace(501_000, 561_000), trace(501_000), kernelCalls(501_000));
    expect(d.map((x) => x.field)).toContain('time');
  });

  it('a kernel call made early is not excused: a runner cannot be early, so the model is late', () => {
    const d = compare(trace(501_000), trace(441_000), kernelCalls(441_000));
    expect(d.map((x) => x.field)).toContain('time');
  });

  it('the gap a timer makes after the late call is compared as it is', () => {
    // The kernel's close was 60 ms late, and the ACK of its FIN came 1 s later (an RTO) where the model's came at once.
    const d = compare(trace(501_000), trace(561_000, 561_000, 1_561_000), kernelCalls(561_000));
    expect(d.map((x) => x.field)).toContain('time');
  });

  it('a runner that does not say when it made its calls moves nothing', () => {
    const calls = kernelCalls(561_000).map(({ made: _made, ...rest }) => rest);
    expect(compare(trace(501_000), trace(561_000), calls)).not.toEqual([]);
  });
});
