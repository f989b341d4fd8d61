import { describe, expect, it } from 'vitest';
import { HANDSHAKE_TRACE, REFUSED_TRACE, capture, fakeRegistry } from './fake-registry.js';

describe('synack run', () => {
  it('draws the ladder with a lifeline per endpoint, then a one-line summary', async () => {
    const { code, stdout, stderr } = await capture(['run', 'three-way-handshake']);
    expect(code).toBe(0);
    expect(stderr).toBe('');
    const lines = stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/client 10\.0\.0\.1:40000 +server 10\.0\.0\.2:80 listening/);
    expect(stdout).toMatch(/\|--\[SYN\] seq=0 win=64240 -+>\|/);
    expect(stdout).toMatch(/\n +\|  <mss=1460> +\|\n/); // the SYN's options, on the line under it
    expect(stdout).toMatch(/\|<-\[SYN,ACK\] seq=0 ack=1 win=65483 -+\|/);
    expect(lines.at(-1)).toBe('final: client ESTABLISHED; server LISTEN, ESTABLISHED | failed calls: none');
    for (const line of lines) expect(line.length).toBeLessThanOrEqual(80);
  });

  it('names failed calls in the summary', async () => {
    const { stdout } = await capture(['run', 'connection-refused']);
    expect(stdout.trimEnd().split('\n').at(-1)).toBe('final: client CLOSED | failed calls: client connect() ECONNREFUSED');
    expect(stdout).toContain('(reset: no socket)');
  });

  it('runs with profile linux and seed 1 unless told otherwise', async () => {
    const registry = fakeRegistry();
    await capture(['run', 'syn-flood'], registry);
    await capture(['run', '--profile', 'rfc9293', 'syn-flood', '--seed', '4294967295'], registry);
    await capture(['run', 'syn-flood', '--seed=0'], registry);
    expect(registry.runs).toEqual([
      { name: 'syn-flood', options: { profile: 'linux', seed: 1 } },
      { name: 'syn-flood', options: { profile: 'rfc9293', seed: 4294967295 } },
      { name: 'syn-flood', options: { profile: 'linux', seed: 0 } },
    ]);
  });

  it('prints only the trace as JSON with --json, which parses back to the same trace', async () => {
    const { code, stdout, stderr } = await capture(['run', 'connection-refused', '--json']);
    expect(code).toBe(0);
    expect(stderr).toBe('');
    expect(JSON.parse(stdout)).toEqual(REFUSED_TRACE);
    expect(stdout).toBe(`${JSON.stringify(REFUSED_TRACE, null, 2)}\n`);
  });

  it('draws to the width given', async () => {
    const { stdout } = await capture(['run', 'three-way-handshake', '--width', '120']);
    const lines = stdout.trimEnd().split('\n');
    expect(Math.max(...lines.map((l) => l.length))).toBe(120);
  });

  it('shows raw sequence numbers with --absolute', async () => {
    const { stdout } = await capture(['run', 'three-way-handshake', '--absolute']);
    expect(stdout).toContain('[SYN,ACK] seq=5000 ack=1001');
  });

  it('leaves the trace given to it unchanged in its JSON output', async () => {
    const { stdout } = await capture(['run', 'three-way-handshake', '--json']);
    expect(JSON.parse(stdout)).toEqual(HANDSHAKE_TRACE);
  });
});
