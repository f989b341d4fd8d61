// The loopback harness itself: marks and ss, failures with the program's stderr, timeouts, sysctls and nft inside
// the namespace only, parallel runs, and no namespace left behind.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { describeWithTool } from '../requires-tool.js';
import { liveNamespaces } from './namespace.js';
import { LoopbackError, loopbackAvailable, runOnLoopback } from './run.js';
import type { LoopbackResult, LoopbackRun } from './run.js';
import { parseSs } from './ss.js';

const available = loopbackAvailable();
const describeLoopback = describeWithTool('root + tcpdump + ip netns', available.ok);

/** Node program text with the mark() helper the protocol needs. */
function nodeProgram(body: string): { lang: 'node'; source: string } {
  return {
    lang: 'node',
    source: `import net from 'node:net';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
const lines = createInterface({ input: process.stdin })[Symbol.asyncIterator]();
async function mark(name) { process.stdout.write('MARK ' + name + '\\n'); await lines.next(); }
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
${body}
process.exit(0);
`,
  };
}

function ourNamespacesInIpNetnsList(): string[] {
  const out = spawnSync('ip', ['netns', 'list'], { encoding: 'utf8' }).stdout ?? '';
  return out
    .split('\n')
    .map((l) => l.split(' ')[0] ?? '')
    .filter((n) => n.startsWith(`synack-${process.pid}-`));
}

describe('parseSs', () => {
  it('maps every state ss prints to the engine name and reads the queues', () => {
    const text = [
      'State      Recv-Q Send-Q Local Address:Port  Peer Address:Port Process',
      'LISTEN     0      511        127.0.0.1:5000       0.0.0.0:*',
      'ESTAB      12     0          127.0.0.1:5000     127.0.0.1:40000',
      'SYN-SENT   0      1          127.0.0.1:40001    127.0.0.1:5001',
      'SYN-RECV   0      0          127.0.0.1:5001     127.0.0.1:40001',
      'FIN-WAIT-1 0      1          127.0.0.1:40002    127.0.0.1:5000',
      'FIN-WAIT-2 0      0          127.0.0.1:40003    127.0.0.1:5000',
      'TIME-WAIT  0      0          127.0.0.1:40004    127.0.0.1:5000',
      'CLOSE-WAIT 3      0              [::1]:5000         [::1]:40005',
      'LAST-ACK   0      1          127.0.0.1:5000     127.0.0.1:40006',
      'CLOSING    0      1          127.0.0.1:5000     127.0.0.1:40007',
      'UNCONN     0      0          127.0.0.1:40008      0.0.0.0:*',
      '',
    ].join('\n');
    const sockets = parseSs(text);
    expect(sockets.map((s) => s.state)).toEqual([
      'LISTEN',
      'ESTABLISHED',
      'SYN_SENT',
      'SYN_RECEIVED',
      'FIN_WAIT_1',
      'FIN_WAIT_2',
      'TIME_WAIT',
      'CLOSE_WAIT',
      'LAST_ACK',
      'CLOSING',
      'CLOSED',
    ]);
    expect(sockets[1]).toEqual({ state: 'ESTABLISHED', local: '127.0.0.1:5000', peer: '127.0.0.1:40000', recvQ: 12, sendQ: 0 });
    expect(sockets[7]).toMatchObject({ local: '[::1]:5000', peer: '[::1]:40005', recvQ: 3 });
  });

  it('rejects a state it does not know', () => {
    expect(() => parseSs('BOGUS 0 0 127.0.0.1:1 127.0.0.1:2\n')).toThrow(/unknown TCP state "BOGUS"/);
  });
});

const FIN_TIMEOUT = '/proc/sys/net/ipv4/tcp_fin_timeout';

/** The runs, all started at once (each in its own namespace); every test awaits its own. */
const RUNS = {
  marks: {
    program: nodeProgram(`
      const server = net.createServer((c) => c.on('data', (d) => c.end(d)));
      server.listen(6000, '127.0.0.1'); await once(server, 'listening');
      const c = net.connect(6000, '127.0.0.1'); await once(c, 'connect');
      console.log('client port ' + c.localPort);
      await mark('connected');
      c.resume(); c.write('x'); await once(c, 'end'); c.end(); await once(c, 'close');
      server.close(); await sleep(20);
      await mark('end');`),
  },
  failing: { program: { lang: 'node', source: "console.error('boom: no such thing'); process.exit(3);" } },
  allowedFailure: { program: { lang: 'python', source: 'import sys\nsys.exit(4)\n' }, allowFailure: true },
  noEndMark: { program: { lang: 'node', source: "console.log('done');" } },
  timeout: { program: { lang: 'node', source: 'setInterval(() => {}, 1000);' }, timeoutMs: 300 },
  sysctl: {
    program: { lang: 'python', source: `print(open('${FIN_TIMEOUT}').read().strip())\nprint('MARK end', flush=True)\ninput()\n` },
    sysctls: { 'net.ipv4.tcp_fin_timeout': 7 },
  },
  nonNetSysctl: { program: nodeProgram(''), sysctls: { 'kernel.hostname': 'x' } },
  unknownSysctl: { program: nodeProgram(''), sysctls: { 'net.ipv4.no_such_knob': 1 } },
  badMark: { program: nodeProgram("await mark('two words');") },
  twiceMarked: { program: nodeProgram("await mark('a'); await mark('a');") },
  nft: {
    program: nodeProgram(`
      const server = net.createServer(); server.listen(6001, '127.0.0.1'); await once(server, 'listening');
      const c = net.connect(6001, '127.0.0.1');
      const outcome = await Promise.race([once(c, 'connect').then(() => 'connected'), sleep(300).then(() => 'no answer')]);
      console.log(outcome); c.destroy(); server.close(); await mark('end');`),
    nft: 'table inet t {\n  chain input {\n    type filter hook input priority filter;\n    tcp dport 6001 drop\n  }\n}\n',
  },
  ...Object.fromEntries(
    [1, 2, 3, 4].map((i) => [
      `samePort${i}`,
      {
        program: nodeProgram(`
          const server = net.createServer(); server.listen(6002, '127.0.0.1'); await once(server, 'listening');
          const c = net.connect(6002, '127.0.0.1'); await once(c, 'connect'); await mark('up');
          c.destroy(); server.close(); await sleep(20); await mark('end');`),
      },
    ]),
  ),
} satisfies Record<string, LoopbackRun>;

describeLoopback('runOnLoopback', () => {
  const started: Partial<Record<string, Promise<LoopbackResult>>> = {};
  let finTimeoutBefore = '';
  let startedAt = 0;
  beforeAll(() => {
    finTimeoutBefore = readFileSync(FIN_TIMEOUT, 'utf8');
    if (finTimeoutBefore.trim() === '7') RUNS.sysctl.sysctls['net.ipv4.tcp_fin_timeout'] = 8;
    startedAt = Date.now();
    for (const [name, run] of Object.entries(RUNS)) {
      const p = runOnLoopback(run as LoopbackRun);
      p.catch(() => undefined); // awaited (and checked) by its test
      started[name] = p;
    }
  });
  const result = (name: keyof typeof RUNS): Promise<LoopbackResult> => {
    const p = started[name];
    if (!p) throw new Error(`run ${name} was not started`);
    return p;
  };

  it('records ss at each mark while the program waits, and a pcap of the loopback traffic', async () => {
    const r = await result('marks');
    const port = /client port (\d+)/.exec(r.stdout)?.[1];
    expect(port).toBeDefined();
    expect(r.exitCode).toBe(0);
    expect(r.ss.connected).toEqual(
      expect.arrayContaining([
        { state: 'LISTEN', local: '127.0.0.1:6000', peer: '0.0.0.0:*', recvQ: 0, sendQ: 511 },
        { state: 'ESTABLISHED', local: `127.0.0.1:${port}`, peer: '127.0.0.1:6000', recvQ: 0, sendQ: 0 },
        { state: 'ESTABLISHED', local: '127.0.0.1:6000', peer: `127.0.0.1:${port}`, recvQ: 0, sendQ: 0 },
      ]),
    );
    // The server closed first (end() with the echo), so its side of the 4-tuple is the one in TIME_WAIT.
    expect(r.ss.end).toEqual([{ state: 'TIME_WAIT', local: '127.0.0.1:6000', peer: `127.0.0.1:${port}`, recvQ: 0, sendQ: 0 }]);
    const view = new DataView(r.pcap.buffer, r.pcap.byteOffset, r.pcap.byteLength);
    expect(view.getUint32(0, true)).toBe(0xa1b2c3d4); // pcap, microseconds, little-endian (x86)
    expect(view.getUint32(20, true)).toBe(1); // LINKTYPE_ETHERNET: Linux lo has a (zero) Ethernet header
    expect(r.pcap.length).toBeGreaterThan(24 + 3 * (16 + 14 + 40));
    expect(r.kernel).toMatch(/^\d+\.\d+/);
  });

  it('reports a failing program with its exit code and stderr', async () => {
    await expect(result('failing')).rejects.toThrow(LoopbackError);
    await expect(result('failing')).rejects.toThrow(/exit code 3[\s\S]*boom: no such thing/);
  });

  it("returns a failing program's result when allowFailure is set", async () => {
    const r = await result('allowedFailure');
    expect(r.exitCode).toBe(4);
    expect(r.ss).toEqual({});
  });

  it('refuses a program that exits without MARK end', async () => {
    await expect(result('noEndMark')).rejects.toThrow(/without printing "MARK end"/);
  });

  it('kills a program that runs past its timeout', async () => {
    await expect(result('timeout')).rejects.toThrow(/did not finish within 300 ms/);
    expect(Date.now() - startedAt).toBeLessThan(10_000);
  });

  it('sets sysctls inside the namespace only, and refuses ones that are not per-namespace', async () => {
    const r = await result('sysctl');
    expect(r.stdout.split('\n')[0]).toBe(String(RUNS.sysctl.sysctls['net.ipv4.tcp_fin_timeout']));
    expect(readFileSync(FIN_TIMEOUT, 'utf8')).toBe(finTimeoutBefore);
    await expect(result('nonNetSysctl')).rejects.toThrow(/not a net\.\* key/);
    await expect(result('unknownSysctl')).rejects.toThrow(/cannot set sysctl net\.ipv4\.no_such_knob=1 in the namespace/);
  });

  it('refuses a malformed or repeated mark', async () => {
    await expect(result('badMark')).rejects.toThrow(/bad mark line "MARK two words"/);
    await expect(result('twiceMarked')).rejects.toThrow(/printed "MARK a" twice/);
  });

  it('loads the nft ruleset inside the namespace', async () => {
    expect((await result('nft')).stdout).toContain('no answer');
  });

  it('runs in parallel, each run in its own namespace, and leaves no namespace behind', async () => {
    const runs = await Promise.all([1, 2, 3, 4].map((i) => result(`samePort${i}` as keyof typeof RUNS)));
    // The same port in each run: separate namespaces, no EADDRINUSE.
    for (const r of runs) expect(r.ss.up?.filter((s) => s.state === 'ESTABLISHED')).toHaveLength(2);
    await Promise.allSettled(Object.values(started));
    expect(liveNamespaces()).toEqual([]);
    expect(ourNamespacesInIpNetnsList()).toEqual([]);
  });
});
