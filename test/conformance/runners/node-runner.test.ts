// The node:net runner (scenario-runner.mjs) on a real kernel: its CALL/PROGRAM/MARK output, the packets it makes
// (from each host's own address; RST where the kernel resets), and ss at its marks. Also the facts behind
// nodeCannotExpress (node-support.ts), shown on the kernel, and its reasons, checked without root.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseScenarioText } from '../../../src/scenarios/file/parse.js';
import type { ProgramSpec } from '../../../src/scenarios/file/schema.js';
import { ACK, FIN, RST, SYN } from '../../../src/wire/segment.js';
import { tcpFrames } from '../../support/netns/mutate.js';
import { loopbackAvailable, runOnLoopback } from '../../support/netns/run.js';
import type { LoopbackResult, LoopbackRun } from '../../support/netns/run.js';
import { describeWithTool } from '../../support/requires-tool.js';
import { planFor } from '../plan.js';
import type { RealPlan } from '../plan.js';
import { nodeCannotExpress } from './node-support.js';
import { parseRunnerOutput } from './runner-output.js';
import type { ProgramLine, RunnerOutput } from './runner-output.js';

const RUNNER = fileURLToPath(new URL('./scenario-runner.mjs', import.meta.url));
const REPO = fileURLToPath(new URL('../../../', import.meta.url));
const CLIENT = '127.0.0.11';
const SERVER = '127.0.0.12';

/** A scenario's programs as a runner plan (plan.ts planFor); times in seconds. */
function planOf(yaml: string, end: number, marks: number[] = []): RealPlan {
  const us = (s: number) => Math.round(s * 1e6);
  return planFor(parseScenarioText(yaml, 'test.yaml'), us(end), marks.map(us));
}

function programsOf(yaml: string): ProgramSpec[] {
  return parseScenarioText(yaml, 'test.yaml').programs;
}

const TWO_HOSTS = 'hosts:\n  client: { address: 10.0.0.1 }\n  server: { address: 10.0.0.2 }\n';
const scenario = (programs: string) => `summary: test\n${TWO_HOSTS}programs:\n${programs}`;

function output(stdout: string): RunnerOutput & { lines: string[] } {
  return { ...parseRunnerOutput(stdout), lines: stdout.split('\n').filter((l) => l !== '') };
}

/** "call result [value]" of one program's CALL lines, in order. */
function callsOf(stdout: string, program: string): string[] {
  return output(stdout)
    .calls.filter((c) => c.program === program)
    .map((c) => `${c.call} ${c.result}${c.value !== undefined ? ` ${c.value}` : ''}`);
}

function statusOf(stdout: string, program: string): ProgramLine | undefined {
  return output(stdout).programs.find((p) => p.program === program);
}

const flagsOf = (f: number) => ['SYN', 'ACK', 'FIN', 'RST'].filter((_, i) => f & [SYN, ACK, FIN, RST][i]!).join('-');

// ---------------------------------------------------------------------------------------------------------------

const ECHO = readFileSync(join(REPO, 'scenarios/02-echo.yaml'), 'utf8');

const PLANS = {
  echo: planOf(ECHO, 0.3, [0.1]),
  refused: planOf(`summary: test
hosts:
  client: { address: 10.0.0.1 }
  server: { address: 10.0.0.2 }
  other: { address: 10.0.0.3 }
programs:
  - host: client
    name: expects it
    steps:
      - socket: s
      - connect_ex: { socket: s, to: "server:8080" }
        expect: ECONNREFUSED
      - socket: t
  - host: other
    name: does not
    steps:
      - socket: s
      - connect: { socket: s, to: "server:8080" }
      - socket: t
  - host: server
    name: waits
    steps:
      - socket: l
      - bind: { socket: l, port: 9000 }
      - listen: { socket: l, backlog: 5 }
      - accept: { socket: l, as: c }
`, 0.2),
  clientClosesFirst: planOf(scenario(`  - host: server
    steps:
      - socket: s
      - bind: { socket: s, port: 9999 }
      - listen: { socket: s, backlog: 5 }
      - accept: { socket: s, as: conn }
      - recvall: conn
      - sleep: 0.6
      - close: conn
  - host: client
    start: 0.001
    steps:
      - socket: s
      - connect: { socket: s, to: "server:9999" }
      - sendall: { socket: s, data: "hello" }
      - close: s
`), 0.8, [0.3]),
  halfClose: planOf(readFileSync(join(REPO, 'scenarios/08-half-close.yaml'), 'utf8'), 0.4),
  abort: planOf(readFileSync(join(REPO, 'scenarios/09-abort-rst.yaml'), 'utf8'), 0.3),
  unread: planOf(scenario(`  - host: server
    steps:
      - socket: s
      - bind: { socket: s, port: 9100 }
      - listen: { socket: s, backlog: 5 }
      - accept: { socket: s, as: conn }
      - sleep: 0.05
      - recv: { socket: conn, max: 5 }     # 5 of the 40 bytes: the other 35 stay in the kernel
      - { close: conn, at: 0.5 }           # with 35 unread bytes: RST, not FIN (tcp_close)
  - host: client
    start: 0.001
    steps:
      - socket: c
      - connect: { socket: c, to: "server:9100" }
      - sendall: { socket: c, bytes: 40 }
      - recv: { socket: c, max: 1024 }
        expect: ECONNRESET
      - send: { socket: c, data: "more" }
        expect: EPIPE
      - close: c
`), 0.65, [0.3]),
  udp: planOf(scenario(`  - host: server
    steps:
      - socket: { name: u, type: udp }
      - bind: { socket: u, port: 9300 }
      - recvfrom: { socket: u, max: 3, as: m }   # "hello" cut to "hel"
      - sendto: { socket: u, from: m, to: "client:9301" }
  - host: client
    start: 0.01
    steps:
      - socket: { name: u, type: udp }
      - bind: { socket: u, port: 9301 }
      - settimeout: { socket: u, seconds: 0.1 }
      - sendto: { socket: u, data: "hello", to: "server:9300" }
      - recvfrom: { socket: u, max: 100 }
      - recvfrom: { socket: u, max: 100 }
        expect: EAGAIN
`), 0.3),
  // The kernel refuses a bind without SO_REUSEADDR while the port's TIME_WAIT exists; libuv always sets it.
  rebind: planOf(scenario(`  - host: server
    steps:
      - socket: old
      - setsockopt: { socket: old, option: SO_REUSEADDR, value: 1 }
      - bind: { socket: old, port: 8898 }
      - listen: { socket: old, backlog: 5 }
      - accept: { socket: old, as: conn }
      - recv: { socket: conn, max: 1024 }
      - close: conn
      - close: old
      - sleep: 0.05
      - socket: new
      - bind: { socket: new, port: 8898 }
      - listen: { socket: new, backlog: 5 }
  - host: client
    start: 0.001
    steps:
      - socket: s
      - connect: { socket: s, to: "server:8898" }
      - sendall: { socket: s, data: "hello" }
      - recvall: s
      - close: s
`), 0.4),
  // listen(1) and no accept() for 0.6 s: Linux would hold two connections and drop the third's SYN.
  backlog: planOf(`summary: test
hosts:
  c1: { address: 10.0.0.11 }
  c2: { address: 10.0.0.12 }
  c3: { address: 10.0.0.13 }
  server: { address: 10.0.0.2 }
programs:
  - host: server
    steps:
      - socket: s
      - bind: { socket: s, port: 9999 }
      - listen: { socket: s, backlog: 1 }
      - sleep: 0.6
      - repeat: { times: 3, steps: [accept: { socket: s, as: conn }] }
  - { host: c1, start: 0.01, steps: &c [socket: s, connect: { socket: s, to: "server:9999" }] }
  - { host: c2, start: 0.2, steps: *c }
  - { host: c3, start: 0.4, steps: *c }
`, 0.7, [0.55]),
  // Two ephemeral ports, each left in TIME_WAIT by a client that closes first: the third connect finds none.
  ports: planOf(scenario(`  - host: server
    steps:
      - socket: l
      - bind: { socket: l, port: 9400 }
      - listen: { socket: l, backlog: 5 }
      - repeat: { times: 2, steps: [accept: { socket: l, as: c }, recv: { socket: c, max: 10 }, close: c] }
  - host: client
    start: 0.01
    steps:
      - repeat:
          times: 3
          steps:
            - socket: s
            - connect_ex: { socket: s, to: "server:9400" }
              expect: any
            - close: s
            - sleep: 0.03
`), 0.2),
};
const SYSCTLS: Partial<Record<keyof typeof PLANS, Record<string, string>>> = { ports: { 'net.ipv4.ip_local_port_range': '50000 50001' } };

/** Python's own answer to the ports plan: connect() picks the port (IP_BIND_ADDRESS_NO_PORT, as scenario_runner.py). */
const PYTHON_PORTS = `import socket, time
l = socket.socket(); l.bind(('${SERVER}', 9400)); l.listen(5)
for i in range(3):
    s = socket.socket(); s.setsockopt(socket.IPPROTO_IP, 24, 1); s.bind(('${CLIENT}', 0))
    try:
        s.connect(('${SERVER}', 9400)); print('ok')
        c, _ = l.accept(); s.close(); c.recv(10); c.close()  # the client closes first: its port in TIME_WAIT
    except OSError as e:
        print({98: 'EADDRINUSE', 99: 'EADDRNOTAVAIL'}.get(e.errno, e))
    time.sleep(0.03)
print('MARK end', flush=True)
input()
`;

/** Python's own answer to the rebind plan's second bind (no SO_REUSEADDR), for comparison. */
const PYTHON_REBIND = `import socket, time
old = socket.socket(); old.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
old.bind(('${SERVER}', 8898)); old.listen(5)
c = socket.socket(); c.bind(('${CLIENT}', 0)); c.connect(('${SERVER}', 8898))
conn, _ = old.accept(); conn.close(); old.close()  # the server closes first: TIME_WAIT on ${SERVER}:8898
time.sleep(0.05); c.close()
for reuse in (0, 1):
    s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, reuse)
    try:
        s.bind(('${SERVER}', 8898)); print('reuse=%d ok' % reuse)
    except OSError as e:
        print('reuse=%d %s' % (reuse, 'EADDRINUSE' if e.errno == 98 else e))
    s.close()
print('MARK end', flush=True)
input()
`;

const available = loopbackAvailable();
/** Namespace runs in flight at once. */
const AT_ONCE = 3;
const describeLoopback = describeWithTool('root + tcpdump + ip netns', available.ok);

describeLoopback('scenario-runner.mjs on the kernel', () => {
  const runs = new Map<string, Promise<LoopbackResult>>();
  const source = readFileSync(RUNNER, 'utf8');
  beforeAll(() => {
    const all: Array<[string, LoopbackRun]> = Object.entries(PLANS).map(([name, plan]) => {
      const sysctls = SYSCTLS[name as keyof typeof PLANS];
      return [name, { program: { lang: 'node', source, files: { 'plan.json': JSON.stringify(plan) } }, timeoutMs: plan.end / 1000 + 5000, ...(sysctls ? { sysctls } : {}) }];
    });
    all.push(['pythonRebind', { program: { lang: 'python', source: PYTHON_REBIND } }], ['pythonPorts', { program: { lang: 'python', source: PYTHON_PORTS }, sysctls: SYSCTLS.ports! }]);
    // A few at a time: the runs measure time, and many namespaces, tcpdumps and programs starting at once on a
    // small machine make every program late.
    let chain: Array<Promise<unknown>> = Array.from({ length: AT_ONCE }, () => Promise.resolve());
    all.forEach(([name, r], i) => {
      const p = chain[i % AT_ONCE]!.then(() => runOnLoopback(r));
      chain[i % AT_ONCE] = p.catch(() => undefined);
      p.catch(() => undefined); // awaited (and checked) by its test
      runs.set(name, p);
    });
  });
  const run = (name: keyof typeof PLANS | 'pythonRebind' | 'pythonPorts'): Promise<LoopbackResult> => runs.get(name)!;

  it('echo: CALL lines with results and byte counts, PROGRAM done, MARK lines at the marks', async () => {
    const r = await run('echo');
    expect(callsOf(r.stdout, 'echo client')).toEqual(['socket ok', 'connect ok', 'sendall ok', 'recv ok 12', 'close ok']);
    expect(callsOf(r.stdout, 'echo server')).toEqual([
      'socket ok', 'setsockopt ok', 'bind ok', 'listen ok', 'accept ok', 'recv ok 12', 'sendall ok', 'recv ok 0', 'close ok', 'close ok',
    ]);
    expect(output(r.stdout).programs.map((p) => `${p.program} ${p.status}`).sort()).toEqual(['echo client done', 'echo server done']);
    const { lines } = output(r.stdout);
    expect(lines.filter((l) => l.startsWith('MARK'))).toEqual(['MARK t100000', 'MARK end']);
    expect(lines.at(-1)).toBe('MARK end');
    // The client starts at 1 ms: its connect completes a few ms after that (unloaded: about 2.5 ms), not before.
    const connect = output(r.stdout).calls.find((c) => c.call === 'connect')!;
    expect(connect.t).toBeGreaterThan(1000);
    expect(connect.t).toBeLessThan(200_000); // generous: other test files may be loading the machine
    expect(connect).toMatchObject({ host: 'client', program: 'echo client', socket: 's' });
  });

  it('sends every packet from the hosts\' own addresses', async () => {
    const frames = tcpFrames((await run('echo')).pcap);
    expect(frames.length).toBeGreaterThanOrEqual(9); // handshake, data both ways, four-way close
    for (const f of frames) expect(`${f.src}>${f.dst}`).toMatch(/^127\.0\.0\.1[12]>127\.0\.0\.1[12]$/);
    const syn = frames.find((f) => flagsOf(f.segment.flags) === 'SYN')!;
    expect(`${syn.src} -> ${syn.dst}:${syn.segment.dstPort}`).toBe(`${CLIENT} -> ${SERVER}:50007`);
    expect(frames.filter((f) => f.src === CLIENT && f.segment.payload.length > 0).map((f) => Buffer.from(f.segment.payload).toString())).toEqual(['Hello, world']);
  });

  it('connection refused: an expected ECONNREFUSED lets the program go on, an unexpected one ends it; a program still waiting at end is blocked', async () => {
    const r = await run('refused');
    expect(callsOf(r.stdout, 'expects it')).toEqual(['socket ok', 'connect_ex ECONNREFUSED', 'socket ok']);
    expect(statusOf(r.stdout, 'expects it')).toMatchObject({ status: 'done' });
    expect(callsOf(r.stdout, 'does not')).toEqual(['socket ok', 'connect ECONNREFUSED']);
    expect(statusOf(r.stdout, 'does not')).toMatchObject({ status: 'failed', detail: 'uncaught ECONNREFUSED in connect(server:8080)' });
    expect(statusOf(r.stdout, 'waits')).toMatchObject({ status: 'blocked', detail: 'in accept(l)' });
    const rst = tcpFrames(r.pcap).filter((f) => f.segment.flags & RST);
    expect(rst.map((f) => `${f.src} ${flagsOf(f.segment.flags)}`)).toEqual([`${SERVER} ACK-RST`, `${SERVER} ACK-RST`]);
  });

  it('client closes first: FIN_WAIT_2 while the server sleeps, then TIME_WAIT on the client', async () => {
    const r = await run('clientClosesFirst');
    const client = (mark: string) => r.ss[mark]!.find((s) => s.local.startsWith(`${CLIENT}:`) && s.peer === `${SERVER}:9999`)?.state;
    const server = (mark: string) => r.ss[mark]!.find((s) => s.local === `${SERVER}:9999` && s.peer.startsWith(`${CLIENT}:`))?.state;
    expect([client('t300000'), server('t300000')]).toEqual(['FIN_WAIT_2', 'CLOSE_WAIT']);
    expect([client('end'), server('end')]).toEqual(['TIME_WAIT', undefined]);
    expect(callsOf(r.stdout, 'server')).toContain('recvall ok 5');
  });

  it('half-close: data sent after the client\'s shutdown(SHUT_WR) arrives', async () => {
    const r = await run('halfClose');
    expect(callsOf(r.stdout, 'client')).toEqual(['socket ok', 'connect ok', 'sendall ok', 'shutdown ok', 'recvall ok 12', 'close ok']);
    expect(callsOf(r.stdout, 'server')).toContain('recvall ok 17');
    const frames = tcpFrames(r.pcap);
    const clientFin = frames.findIndex((f) => f.src === CLIENT && f.segment.flags & FIN);
    const reply = frames.findIndex((f) => f.src === SERVER && f.segment.payload.length > 0);
    expect(clientFin).toBeGreaterThanOrEqual(0);
    expect(reply).toBeGreaterThan(clientFin);
    expect(Buffer.from(frames[reply]!.segment.payload).toString()).toBe('got 17 bytes');
  });

  it('abort: SO_LINGER {1, 0} then close sends RST and no FIN; the server\'s recv gets ECONNRESET', async () => {
    const r = await run('abort');
    const fromClient = tcpFrames(r.pcap).filter((f) => f.src === CLIENT).map((f) => flagsOf(f.segment.flags));
    expect(fromClient).toContain('ACK-RST');
    expect(fromClient.some((f) => f.includes('FIN'))).toBe(false);
    expect(callsOf(r.stdout, 'server')).toContain('recv ECONNRESET');
    expect(statusOf(r.stdout, 'server')).toMatchObject({ status: 'done' });
    // sleep 0.1 after the connect: the close comes 100 ms (plus a little) after it.
    const { calls } = output(r.stdout);
    const gap = calls.find((c) => c.call === 'close' && c.host === 'client')!.t - calls.find((c) => c.call === 'setsockopt')!.t;
    expect(gap).toBeGreaterThanOrEqual(100_000);
    expect(gap).toBeLessThan(250_000);
  });

  it('recv(max) takes only max bytes from the kernel, so close() with the rest unread sends RST', async () => {
    const r = await run('unread');
    const conn = r.ss.t300000!.find((s) => s.local === `${SERVER}:9100` && s.state === 'ESTABLISHED');
    expect(conn?.recvQ).toBe(35);
    const fromServer = tcpFrames(r.pcap).filter((f) => f.src === SERVER).map((f) => flagsOf(f.segment.flags));
    expect(fromServer).toContain('ACK-RST');
    expect(fromServer.some((f) => f.includes('FIN'))).toBe(false);
    expect(callsOf(r.stdout, 'server')).toContain('recv ok 5');
    expect(callsOf(r.stdout, 'client')).toEqual(['socket ok', 'connect ok', 'sendall ok', 'recv ECONNRESET', 'send EPIPE', 'close ok']);
    const close = output(r.stdout).calls.find((c) => c.call === 'close' && c.host === 'server')!;
    expect(close.t).toBeGreaterThanOrEqual(500_000); // `at: 0.5`
    expect(close.t).toBeLessThan(650_000);
  });

  it('UDP with node:dgram: recvfrom(max) cuts the datagram, a timeout gives EAGAIN', async () => {
    const r = await run('udp');
    expect(callsOf(r.stdout, 'server')).toEqual(['socket ok', 'bind ok', 'recvfrom ok 3', 'sendto ok 3']);
    expect(callsOf(r.stdout, 'client')).toEqual(['socket ok', 'bind ok', 'settimeout ok', 'sendto ok 5', 'recvfrom ok 3', 'recvfrom EAGAIN']);
  });

  it('libuv binds with SO_REUSEADDR whatever the program asked: a bind the kernel refuses goes through (why a port bound twice is not expressible)', async () => {
    const node = await run('rebind');
    const python = await run('pythonRebind');
    expect(python.stdout.split('\n').slice(0, 2)).toEqual(['reuse=0 EADDRINUSE', 'reuse=1 ok']);
    expect(callsOf(node.stdout, 'server').slice(-2)).toEqual(['bind ok', 'listen ok']); // no SO_REUSEADDR asked for
    expect(statusOf(node.stdout, 'server')).toMatchObject({ status: 'done' });
    // The old connection's TIME_WAIT (60 s) and the new listener on the same port, side by side.
    expect(node.ss.end!.map((s) => `${s.local} ${s.state}`).sort()).toEqual([`${SERVER}:8898 LISTEN`, `${SERVER}:8898 TIME_WAIT`]);
    expect(nodeCannotExpress(PLANS.rebind.programs)).toMatch(/port 8898 a second time: libuv sets SO_REUSEADDR/);
  });

  it('node accepts every connection as it arrives: with listen(1) and no accept() yet, three clients get in (why a full accept queue is not expressible)', async () => {
    const r = await run('backlog');
    const connects = output(r.stdout).calls.filter((c) => c.call === 'connect');
    expect(connects.map((c) => c.result)).toEqual(['ok', 'ok', 'ok']);
    for (const c of connects) expect(c.t).toBeLessThan(550_000);
    expect(r.ss.t550000!.filter((s) => s.local === '127.0.0.14:9999' && s.state === 'ESTABLISHED')).toHaveLength(3);
    expect(nodeCannotExpress(PLANS.backlog.programs)).toMatch(/can get 3 connections while the program is in sleep\(0.6\).*accept queue/);
  });

  it('out of ephemeral ports, node:net fails with EADDRINUSE where connect() says EADDRNOTAVAIL (why such an expectation is not expressible)', async () => {
    const node = await run('ports');
    const python = await run('pythonPorts');
    expect(python.stdout.split('\n').slice(0, 3)).toEqual(['ok', 'ok', 'EADDRNOTAVAIL']);
    expect(output(node.stdout).calls.filter((c) => c.call === 'connect_ex').map((c) => c.result)).toEqual(['ok', 'ok', 'EADDRINUSE']);
    const expecting = PLANS.ports.programs.map((p) => ({ ...p, steps: JSON.parse(JSON.stringify(p.steps).replace('"expect":"any"', '"expect":"EADDRNOTAVAIL"')) as ProgramSpec['steps'] }));
    expect(nodeCannotExpress(PLANS.ports.programs)).toBeUndefined();
    expect(nodeCannotExpress(expecting)).toMatch(/expecting EADDRNOTAVAIL: node:net binds the local port before connect/);
  });
});

describe('scenario-runner.mjs refuses what it cannot run (exit 3, before any socket)', () => {
  function runIn(plan: string): { status: number | null; stderr: string; stdout: string } {
    const dir = mkdtempSync(join(tmpdir(), 'synack-node-runner-'));
    try {
      writeFileSync(join(dir, 'plan.json'), plan);
      const r = spawnSync(process.execPath, [RUNNER], { cwd: dir, input: '', encoding: 'utf8', timeout: 10_000 });
      return { status: r.status, stderr: r.stderr, stdout: r.stdout };
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }

  it('a step node:net cannot make (shutdown SHUT_RD)', () => {
    const plan = planOf(scenario(`  - host: client
    steps:
      - socket: s
      - connect: { socket: s, to: "server:80" }
      - shutdown: { socket: s, how: SHUT_RD }
`), 0.1);
    const r = runIn(JSON.stringify(plan));
    expect(r.status).toBe(3);
    expect(r.stderr).toMatch(/cannot run this plan with node:net: client: shutdown\(s, SHUT_RD\)/);
    expect(r.stdout).toBe('');
  });

  it('a bind with nothing node:net could bind it with', () => {
    const plan = planOf(scenario(`  - host: server
    steps:
      - socket: s
      - bind: { socket: s, port: 8898 }
      - close: s
`), 0.1);
    const r = runIn(JSON.stringify(plan));
    expect(r.status).toBe(3);
    expect(r.stderr).toMatch(/bind\(s\) is followed by close\(s\), not listen\(\) or connect\(\)/);
  });

  it('a plan that is not JSON, or has a bad step', () => {
    expect(runIn('{"hosts":').stderr).toMatch(/bad plan: plan.json is not JSON/);
    const bad = runIn(JSON.stringify({ hosts: { a: CLIENT }, programs: [{ host: 'a', steps: [{ call: 'fly', args: {} }] }], marks: [], end: 1 }));
    expect(bad.status).toBe(3);
    expect(bad.stderr).toMatch(/programs\[0\]\.steps\[0\]: unknown call "fly"/);
  });
});

describe('nodeCannotExpress', () => {
  const withServer = (clientSteps: string, serverSteps = '') =>
    programsOf(
      scenario(
        `  - host: client\n    steps:\n${clientSteps || '      - sleep: 0.1\n'}` + (serverSteps ? `  - host: server\n    steps:\n${serverSteps}` : ''),
      ),
    );

  it('runs the built-in scenarios node:net can make as they are', () => {
    for (const name of ['01-three-way-handshake', '02-echo', '03-client-closes-first', '07-connection-refused', '08-half-close', '09-abort-rst', '10-close-with-unread-data', '19-udp-contrast', '20-many-clients', '21-byte-stream-coalescing', '26-syn-to-time-wait']) {
      const programs = parseScenarioText(readFileSync(join(REPO, `scenarios/${name}.yaml`), 'utf8'), name).programs;
      expect(nodeCannotExpress(programs), name).toBeUndefined();
    }
  });

  it('SO_SNDBUF', () => {
    expect(nodeCannotExpress(withServer('      - socket: s\n      - setsockopt: { socket: s, option: SO_SNDBUF, value: 4096 }\n'))).toMatch(
      /^client: setsockopt\(s\) SO_SNDBUF: node:net cannot set/,
    );
  });

  it('SO_LINGER with a timeout (linger 0 is fine: resetAndDestroy)', () => {
    const linger = (n: number) => withServer(`      - socket: s\n      - setsockopt: { socket: s, option: SO_LINGER, value: { onoff: 1, linger: ${n} } }\n`);
    expect(nodeCannotExpress(linger(5))).toMatch(/SO_LINGER \{onoff: 1, linger: 5\}: node:net can close normally or reset/);
    expect(nodeCannotExpress(linger(0))).toBeUndefined();
  });

  it('shutdown of the receiving side', () => {
    const how = (h: string) => withServer(`      - socket: s\n      - connect: { socket: s, to: "server:80" }\n      - shutdown: { socket: s, how: ${h} }\n`);
    expect(nodeCannotExpress(how('SHUT_RD'))).toMatch(/shutdown\(s, SHUT_RD\): node:net cannot shut down the receiving side/);
    expect(nodeCannotExpress(how('SHUT_RDWR'))).toMatch(/SHUT_RDWR/);
    expect(nodeCannotExpress(how('SHUT_WR'))).toBeUndefined();
  });

  it('non-blocking TCP calls, and a send while a timeout is set (also one left by the previous round of a loop)', () => {
    expect(nodeCannotExpress(programsOf(readFileSync(join(REPO, 'scenarios/22-send-buffer-full.yaml'), 'utf8')))).toMatch(/settimeout\(c, 0\): node:net has no non-blocking TCP calls/);
    const steps = (middle: string) => withServer(`      - socket: s\n      - connect: { socket: s, to: "server:80" }\n${middle}`);
    expect(nodeCannotExpress(steps('      - settimeout: { socket: s, seconds: 1 }\n      - sendall: { socket: s, data: "x" }\n'))).toMatch(
      /sendall\(s\) with a timeout set: a timed send can return a partial count/,
    );
    expect(nodeCannotExpress(steps('      - settimeout: { socket: s, seconds: 1 }\n      - recv: { socket: s, max: 10 }\n      - settimeout: { socket: s, seconds: null }\n      - send: { socket: s, data: "x" }\n'))).toBeUndefined();
    const loop = steps('      - repeat:\n          times: 2\n          steps:\n            - send: { socket: s, data: "x" }\n            - settimeout: { socket: s, seconds: 1 }\n');
    expect(nodeCannotExpress(loop)).toMatch(/send\(s\) with a timeout set/);
    // UDP is node:dgram's, which makes the same calls.
    expect(nodeCannotExpress(withServer('      - socket: { name: u, type: udp }\n      - settimeout: { socket: u, seconds: 0 }\n'))).toBeUndefined();
  });

  it('a bind with no listen or connect right after it, or one expected to fail', () => {
    expect(nodeCannotExpress(programsOf(readFileSync(join(REPO, 'scenarios/18-time-wait-rebind.yaml'), 'utf8')))).toMatch(
      /^server: bind\(\*:8898\) expecting EADDRINUSE: node:net binds only inside listen\(\) or connect\(\)/,
    );
    expect(nodeCannotExpress(withServer('', '      - socket: s\n      - bind: { socket: s, port: 80 }\n      - close: s\n'))).toMatch(/bind\(s\) is followed by close\(s\)/);
    expect(nodeCannotExpress(withServer('', '      - socket: s\n      - bind: { socket: s, port: 80 }\n'))).toMatch(/bind\(s\) has no listen\(\) or connect\(\) after it/);
    expect(nodeCannotExpress(withServer('', '      - socket: s\n      - bind: { socket: s, port: 80 }\n      - sleep: 0.1\n      - listen: { socket: s }\n      - accept: { socket: s, as: c }\n'))).toMatch(
      /bind\(s\) and listen\(s\) are not next to each other/,
    );
    expect(nodeCannotExpress(withServer('', '      - socket: s\n      - bind: { socket: s, port: 80 }\n      - setsockopt: { socket: s, option: TCP_NODELAY, value: 1 }\n      - listen: { socket: s }\n      - accept: { socket: s, as: c }\n'))).toBeUndefined();
  });

  it('a TCP port bound twice, unless every bind asked for SO_REUSEADDR and none listens', () => {
    const twice = (reuse: boolean, then: string) => {
      const opt = reuse ? '      - setsockopt: { socket: s, option: SO_REUSEADDR, value: 1 }\n' : '';
      const once = `      - socket: s\n${opt}      - bind: { socket: s, port: 5000 }\n      - ${then}\n`;
      return withServer(once + once);
    };
    expect(nodeCannotExpress(twice(false, 'connect: { socket: s, to: "server:80" }'))).toMatch(/^client: bind\(\*:5000\) binds port 5000 a second time: libuv sets SO_REUSEADDR on every TCP bind/);
    expect(nodeCannotExpress(twice(true, 'connect: { socket: s, to: "server:80" }'))).toBeUndefined();
    expect(nodeCannotExpress(twice(true, 'listen: { socket: s }'))).toMatch(/binds port 5000 a second time/);
    const loop = withServer('      - repeat:\n          times: 2\n          steps:\n            - socket: s\n            - bind: { socket: s, port: 5000 }\n            - connect: { socket: s, to: "server:80" }\n');
    expect(nodeCannotExpress(loop)).toMatch(/binds port 5000 in a loop/);
  });

  it('a listener that can have more connections waiting than its backlog holds while its program is away', () => {
    expect(nodeCannotExpress(programsOf(readFileSync(join(REPO, 'scenarios/15-backlog-overflow.yaml'), 'utf8')))).toMatch(
      /^server: listen\(s, backlog 1\) can get 4 connections while the program is in sleep\(5\); node:net accepts every connection as it arrives/,
    );
    const server = (backlog: number, body: string) => `      - socket: l\n      - bind: { socket: l, port: 80 }\n      - listen: { socket: l, backlog: ${backlog} }\n${body}`;
    const clients = '      - repeat:\n          times: 3\n          steps:\n            - socket: s\n            - connect: { socket: s, to: "server:80" }\n';
    const busy = '      - repeat:\n          times: 3\n          steps:\n            - accept: { socket: l, as: c }\n            - recv: { socket: c, max: 10 }\n';
    expect(nodeCannotExpress(withServer(clients, server(1, busy)))).toMatch(/listen\(l, backlog 1\) can get 3 connections while the program is in recv\(c\)/);
    expect(nodeCannotExpress(withServer(clients, server(2, busy)))).toBeUndefined(); // 3 <= backlog + 1
    expect(nodeCannotExpress(withServer(clients, server(1, '      - sleep: 1\n')))).toMatch(/never accepts/);
    expect(nodeCannotExpress(withServer(clients, server(1, '      - accept: { socket: l, as: a }\n      - accept: { socket: l, as: b }\n      - accept: { socket: l, as: c }\n')))).toBeUndefined();
    expect(nodeCannotExpress(withServer(clients, server(1, '      - accept: { socket: l, as: a }\n      - { accept: { socket: l, as: b }, at: 1 }\n')))).toMatch(/waits for at=1s before accept\(l\)/);
    // A client looping until an error may connect any number of times.
    const forever = '      - repeat:\n          until: error\n          steps:\n            - socket: s\n            - connect: { socket: s, to: "server:80" }\n';
    expect(nodeCannotExpress(withServer(forever, server(100, busy)))).toMatch(/can get any number of connections/);
  });

  it('ephemeral port exhaustion and taken 4-tuples (connect expecting EADDRNOTAVAIL or EADDRINUSE)', () => {
    expect(nodeCannotExpress(withServer('      - socket: s\n      - connect_ex: { socket: s, to: "server:80" }\n        expect: EADDRNOTAVAIL\n'))).toMatch(
      /connect_ex\(server:80\) expecting EADDRNOTAVAIL: node:net binds the local port before connect\(\)/,
    );
    expect(nodeCannotExpress(withServer('      - socket: s\n      - connect_ex: { socket: s, to: "server:80" }\n        expect: ECONNREFUSED\n'))).toBeUndefined();
  });

  it('names the first step in program order when there are several', () => {
    const programs = withServer(
      '      - socket: s\n      - setsockopt: { socket: s, option: SO_SNDBUF, value: 1 }\n      - shutdown: { socket: s, how: SHUT_RD }\n',
      '      - socket: s\n      - shutdown: { socket: s, how: SHUT_RD }\n',
    );
    expect(nodeCannotExpress(programs)).toMatch(/^client: setsockopt\(s\) SO_SNDBUF/);
    expect(nodeCannotExpress(programs.slice(1))).toMatch(/^server: shutdown\(s, SHUT_RD\)/);
  });
});
