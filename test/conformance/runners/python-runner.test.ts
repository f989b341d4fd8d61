// The python runner of the conformance harness (scenario_runner.py), run for real: scenario programs on loopback
// in a network namespace, their CALL/PROGRAM lines, ss at the marks, and where the packets come from.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { beforeAll, expect, it } from 'vitest';
import { packetsFromCapture } from '../../../src/replay/from-capture.js';
import { parseScenarioText } from '../../../src/scenarios/file/parse.js';
import type { ScenarioFile } from '../../../src/scenarios/file/schema.js';
import { SYN } from '../../../src/wire/segment.js';
import { loopbackAvailable, runOnLoopback } from '../../support/netns/run.js';
import type { LoopbackResult } from '../../support/netns/run.js';
import { describeWithTool } from '../../support/requires-tool.js';
import { planFor } from '../plan.js';
import type { RealPlan } from '../plan.js';
import { parseRunnerOutput } from './runner-output.js';
import type { CallLine, ProgramLine } from './runner-output.js';

const RUNNER = readFileSync(fileURLToPath(new URL('./scenario_runner.py', import.meta.url)), 'utf8');
const describeLoopback = describeWithTool('root + tcpdump + ip netns', loopbackAvailable().ok);

const CLIENT = '127.0.0.11';
const SERVER = '127.0.0.12';

/** A parsed scenario file as a plan (plan.ts planFor): hosts on 127.0.0.11, .12, ... in file order. */
function planOf(file: ScenarioFile, timing: { marks?: number[]; end: number }): RealPlan {
  return planFor(file, timing.end, timing.marks ?? []);
}

function callsOf(stdout: string, host: string): CallLine[] {
  return parseRunnerOutput(stdout).calls.filter((c) => c.host === host);
}

/** The PROGRAM lines, by program name (threads may finish in either order). */
function programsOf(stdout: string): ProgramLine[] {
  return parseRunnerOutput(stdout).programs.sort((a, b) => a.program.localeCompare(b.program));
}

function scenario(programs: string): string {
  return `summary: test\nhosts:\n  client: { address: 10.0.0.1 }\n  server: { address: 10.0.0.2 }\nprograms:\n${programs}`;
}

const PLANS = {
  echo: planOf(
    parseScenarioText(
      scenario(`
  - host: server
    steps:
      - socket: s
      - bind: { socket: s, port: 50007 }
      - listen: { socket: s, backlog: 1 }
      - accept: { socket: s, as: conn }
      - repeat:
          until: eof
          steps:
            - recv: { socket: conn, max: 1024, as: data }
            - sendall: { socket: conn, from: data }
      - close: conn
      - close: s
  - host: client
    start: 0.1
    steps:
      - socket: s
      - connect: { socket: s, to: "server:50007" }
      - sendall: { socket: s, data: "hello" }
        at: 0.3
      - recv: { socket: s, max: 1024 }
      - close: s
`),
      'echo.yaml',
    ),
    { marks: [150_000, 500_000], end: 600_000 },
  ),
  refused: planOf(
    parseScenarioText(
      scenario(`
  - host: client
    name: uncaught
    steps:
      - socket: s
      - connect: { socket: s, to: "server:9999" }
      - close: s
  - host: client
    name: expected
    steps:
      - socket: s
      - connect: { socket: s, to: "server:9999" }
        expect: ECONNREFUSED
      - close: s
  - host: client
    name: mismatch
    steps:
      - socket: s
      - connect: { socket: s, to: "server:9999" }
        expect: ECONNRESET           # another errno than expected: the program ends
      - close: s
  - host: client
    name: okInstead
    steps:
      - socket: s
        expect: EINVAL               # ok where an errno was expected: the program goes on
      - close: s
`),
      'refused.yaml',
    ),
    { end: 200_000 },
  ),
  rebind: planOf(
    parseScenarioText(
      scenario(`
  - host: server
    steps:
      - socket: old
      - setsockopt: { socket: old, option: SO_REUSEADDR, value: 1 }
      - bind: { socket: old, port: 8898 }
      - listen: { socket: old, backlog: 5 }
      - accept: { socket: old, as: conn }
      - recv: { socket: conn, max: 1024 }
      - close: conn                # the server closes first: its side goes to TIME_WAIT
      - close: old
      - sleep: 0.1
      - socket: second
      - bind: { socket: second, port: 8898 }
        expect: EADDRINUSE
      - socket: third
      - setsockopt: { socket: third, option: SO_REUSEADDR, value: 1 }
      - bind: { socket: third, port: 8898 }
        expect: ok
  - host: client
    start: 0.05
    steps:
      - socket: s
      - connect: { socket: s, to: "server:8898" }
      - sendall: { socket: s, data: "hi" }
      - recvall: s
      - close: s
`),
      'rebind.yaml',
    ),
    { end: 400_000 },
  ),
  neverAccepts: planOf(
    parseScenarioText(
      scenario(`
  - host: server
    steps:
      - socket: a
      - bind: { socket: a, port: 7000 }
      - listen: { socket: a, backlog: 5 }
      - socket: b
      - bind: { socket: b, port: 7001 }
      - listen: { socket: b, backlog: 5 }
      - accept: { socket: b, as: c }  # nobody connects to b: blocked until the end
  - host: client
    start: 0.05
    steps:
      - socket: s
      - connect: { socket: s, to: "server:7000" }
      - sendall: { socket: s, data: "xyz" }
`),
      'never-accepts.yaml',
    ),
    { end: 300_000 },
  ),
  framing: planOf(
    parseScenarioText(
      scenario(`
  - host: server
    steps:
      - socket: s
      - bind: { socket: s, port: 7100 }
      - listen: { socket: s }
      - accept: { socket: s, as: conn }
      - recv_message: { socket: conn, as: m }
      - sendall: { socket: conn, from: m }
      - repeat:
          until: eof
          steps:
            - recv: { socket: conn, max: 1000 }
      - close: conn
  - host: client
    start: 0.05
    steps:
      - socket: s
      - setsockopt: { socket: s, option: TCP_NODELAY, value: true }
      - connect: { socket: s, to: "server:7100" }
      - sendall: { socket: s, bytes: 30000, framing: length-prefix }
      - send: { socket: s, data: "hi" }
      - shutdown: { socket: s, how: SHUT_WR }
      - recvall: s
      - close: s
`),
      'framing.yaml',
    ),
    { end: 400_000 },
  ),
  udp: planOf(
    parseScenarioText(
      scenario(`
  - host: server
    steps:
      - socket: { name: s, type: udp }
      - bind: { socket: s, port: 9000 }
      - settimeout: { socket: s, seconds: 0.15 }
      - repeat:
          until: error                 # nothing for 0.15 s: done
          steps:
            - recvfrom: { socket: s, max: 1024, as: msg }
            - sendto: { socket: s, from: msg, to: "client:40000" }
      - close: s
  - host: client
    start: 0.05
    steps:
      - socket: { name: s, type: udp }
      - bind: { socket: s, port: 40000 }
      - sendto: { socket: s, data: "hello", to: "server:9000" }
      - recvfrom: { socket: s, max: 1024 }
      - connect: { socket: s, to: "server:9000" }
        expect: EOPNOTSUPP
      - close: s
`),
      'udp.yaml',
    ),
    { end: 400_000 },
  ),
} satisfies Record<string, RealPlan>;

/** Not a valid plan: the runner must refuse it (the cast is the point). */
const BAD_PLAN = {
  hosts: { client: CLIENT, server: SERVER },
  programs: [{ host: 'client', name: 'client', start: 0, steps: [{ call: 'frobnicate', args: { socket: 's' } }] }],
  marks: [],
  end: 100_000,
} as unknown as RealPlan;

function runPlan(plan: RealPlan): Promise<LoopbackResult> {
  return runOnLoopback({
    program: { lang: 'python', source: RUNNER, files: { 'plan.json': JSON.stringify(plan) } },
    allowFailure: true,
    timeoutMs: 5_000,
  });
}

describeLoopback('scenario_runner.py on loopback', () => {
  const started: Partial<Record<keyof typeof PLANS | 'bad', Promise<LoopbackResult>>> = {};
  beforeAll(() => {
    for (const [name, plan] of Object.entries({ ...PLANS, bad: BAD_PLAN })) {
      const p = runPlan(plan);
      p.catch(() => undefined); // awaited (and checked) by its test
      started[name as keyof typeof started] = p;
    }
  });
  const result = async (name: keyof typeof started): Promise<LoopbackResult> => {
    const r = await started[name]!;
    if (name !== 'bad' && r.exitCode !== 0) throw new Error(`the runner exited ${r.exitCode}: ${r.stderr}`);
    return r;
  };

  it('runs the echo programs: each call with its result and byte count, then both programs done', async () => {
    const r = await result('echo');
    const client = callsOf(r.stdout, 'client').map(({ call, result, value }) => ({ call, result, value }));
    expect(client).toEqual([
      { call: 'socket', result: 'ok', value: undefined },
      { call: 'connect', result: 'ok', value: undefined },
      { call: 'sendall', result: 'ok', value: undefined },
      { call: 'recv', result: 'ok', value: 5 },
      { call: 'close', result: 'ok', value: undefined },
    ]);
    const server = callsOf(r.stdout, 'server').map(({ call, socket, value }) => `${call}(${socket})${value === undefined ? '' : `=${value}`}`);
    expect(server).toEqual(['socket(s)', 'bind(s)', 'listen(s)', 'accept(s)', 'recv(conn)=5', 'sendall(conn)', 'recv(conn)=0', 'close(conn)', 'close(s)']);
    expect(programsOf(r.stdout)).toEqual([
      { host: 'client', program: 'client', status: 'done', detail: '' },
      { host: 'server', program: 'server', status: 'done', detail: '' },
    ]);
    expect(r.stdout.trim().split('\n').at(-1)).toBe('MARK end');
  });

  it('starts programs and steps on time: `at` and `start` against the shared t0', async () => {
    const r = await result('echo');
    const [socketCall, , sendall] = callsOf(r.stdout, 'client');
    // Upper bounds leave room for a machine loaded by the rest of the suite.
    expect(socketCall!.t).toBeGreaterThanOrEqual(100_000);
    expect(socketCall!.t).toBeLessThan(170_000);
    expect(sendall!.t).toBeGreaterThanOrEqual(300_000);
    expect(sendall!.t).toBeLessThan(390_000); // 400 ms would be `at` counted from the program's start
  });

  it('prints the marks at their times; ss then shows the connection, and the client in TIME_WAIT after its active close', async () => {
    const r = await result('echo');
    expect(r.ss.t150000).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ state: 'LISTEN', local: `${SERVER}:50007` }),
        expect.objectContaining({ state: 'ESTABLISHED', local: expect.stringMatching(`^${CLIENT}:`), peer: `${SERVER}:50007` }),
        expect.objectContaining({ state: 'ESTABLISHED', local: `${SERVER}:50007`, peer: expect.stringMatching(`^${CLIENT}:`) }),
      ]),
    );
    expect(r.ss.t500000).toEqual([expect.objectContaining({ state: 'TIME_WAIT', local: expect.stringMatching(`^${CLIENT}:`), peer: `${SERVER}:50007` })]);
  });

  it("sends every packet from the hosts' own addresses, the client bound before connect", async () => {
    const r = await result('echo');
    const { packets } = packetsFromCapture(r.pcap);
    expect(packets.length).toBeGreaterThanOrEqual(9); // handshake, data and echo with ACKs, two FINs
    for (const p of packets) expect([p.src, p.dst].sort()).toEqual([CLIENT, SERVER]);
    const syn = packets[0]!;
    expect(syn).toMatchObject({ src: CLIENT, dst: SERVER });
    expect(syn.segment.flags & SYN).toBe(SYN);
    expect(syn.segment.dstPort).toBe(50007);
  });

  it('reports ECONNREFUSED; uncaught or another errno expected it ends the program, expected it goes on', async () => {
    const r = await result('refused');
    const calls = callsOf(r.stdout, 'client').map(({ program, call, result }) => `${program}: ${call} ${result}`);
    expect(calls.filter((c) => c.startsWith('uncaught'))).toEqual(['uncaught: socket ok', 'uncaught: connect ECONNREFUSED']);
    expect(calls.filter((c) => c.startsWith('expected'))).toEqual(['expected: socket ok', 'expected: connect ECONNREFUSED', 'expected: close ok']);
    expect(programsOf(r.stdout)).toEqual([
      { host: 'client', program: 'expected', status: 'done', detail: '' },
      { host: 'client', program: 'mismatch', status: 'failed', detail: 'connect(server:9999) -> ECONNREFUSED, expected ECONNRESET' },
      { host: 'client', program: 'okInstead', status: 'done', detail: '' },
      { host: 'client', program: 'uncaught', status: 'failed', detail: 'uncaught ECONNREFUSED in connect(server:9999)' },
    ]);
    expect(calls.filter((c) => c.startsWith('mismatch'))).toEqual(['mismatch: socket ok', 'mismatch: connect ECONNREFUSED']);
  });

  it('gives EADDRINUSE for a port in TIME_WAIT without SO_REUSEADDR, and ok with it', async () => {
    const r = await result('rebind');
    const binds = callsOf(r.stdout, 'server').filter((c) => c.call === 'bind').map((c) => `${c.socket} ${c.result}`);
    expect(binds).toEqual(['old ok', 'second EADDRINUSE', 'third ok']);
    expect(programsOf(r.stdout).map((p) => `${p.program} ${p.status}`)).toEqual(['client done', 'server done']);
    expect(r.ss.end).toEqual(
      expect.arrayContaining([expect.objectContaining({ state: 'TIME_WAIT', local: `${SERVER}:8898`, peer: expect.stringMatching(`^${CLIENT}:`) })]),
    );
  });

  it('lets a client connect to a listener that never accepts, and reports the blocked server at the end', async () => {
    const r = await result('neverAccepts');
    expect(callsOf(r.stdout, 'client').map((c) => `${c.call} ${c.result}`)).toEqual(['socket ok', 'connect ok', 'sendall ok']);
    expect(programsOf(r.stdout)).toEqual([
      { host: 'client', program: 'client', status: 'done', detail: '' },
      { host: 'server', program: 'server', status: 'blocked', detail: 'in accept(b)' },
    ]);
    // The kernel completed the handshake: the connection waits in the accept queue with the 3 bytes unread.
    expect(r.ss.end).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ state: 'ESTABLISHED', local: `${SERVER}:7000`, recvQ: 3 }),
        expect.objectContaining({ state: 'LISTEN', local: `${SERVER}:7001` }),
      ]),
    );
  });

  it('frames messages with a length prefix, sends filler bytes and stored data, and stops a repeat at end-of-file', async () => {
    const r = await result('framing');
    const server = callsOf(r.stdout, 'server').map(({ call, value }) => `${call}${value === undefined ? '' : `=${value}`}`);
    expect(server).toEqual(['socket', 'bind', 'listen', 'accept', 'recv_message=30004', 'sendall', 'recv=2', 'recv=0', 'close']);
    const client = callsOf(r.stdout, 'client').map(({ call, value }) => `${call}${value === undefined ? '' : `=${value}`}`);
    expect(client).toEqual(['socket', 'setsockopt', 'connect', 'sendall', 'send=2', 'shutdown', 'recvall=30000', 'close']);
    expect(programsOf(r.stdout).every((p) => p.status === 'done')).toBe(true);
  });

  it('runs UDP: sendto/recvfrom, a timeout as EAGAIN ending a repeat until error, EOPNOTSUPP for connect', async () => {
    const r = await result('udp');
    const server = callsOf(r.stdout, 'server').map(({ call, result, value }) => `${call} ${result}${value === undefined ? '' : `=${value}`}`);
    expect(server).toEqual(['socket ok', 'bind ok', 'settimeout ok', 'recvfrom ok=5', 'sendto ok=5', 'recvfrom EAGAIN', 'close ok']);
    const client = callsOf(r.stdout, 'client').map(({ call, result }) => `${call} ${result}`);
    expect(client).toEqual(['socket ok', 'bind ok', 'sendto ok', 'recvfrom ok', 'connect EOPNOTSUPP', 'close ok']);
    expect(programsOf(r.stdout).map((p) => p.status)).toEqual(['done', 'done']);
  });

  it('refuses a plan with a call it does not know: exit 3 and a message', async () => {
    const r = await result('bad');
    expect(r.exitCode).toBe(3);
    expect(r.stderr).toMatch(/bad plan: programs\[0\]\.steps\[0\]: unknown call "frobnicate"/);
    expect(r.stdout).toBe('');
  });
});
