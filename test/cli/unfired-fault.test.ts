// Issue 12: "A fault that never fires (e.g. drop 3rd data from client in a run with two data segments) is
// reported as a warning, not silently ignored." `synack run FILE` prints one warning line per such fault.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { capture } from './fake-registry.js';

const dir = mkdtempSync(join(tmpdir(), 'synack-unfired-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A client that sends two data segments (one send each, the second after the first is acknowledged). */
function scenario(faults: string[]): string {
  const path = join(dir, `s${faults.length}-${Math.random().toString(36).slice(2)}.yaml`);
  writeFileSync(
    path,
    `summary: "two data segments from the client"
hosts:
  client: { address: 10.0.0.1 }
  server: { address: 10.0.0.2 }
faults:
${faults.map((f) => `  - ${f}\n`).join('')}programs:
  - host: server
    steps:
      - socket: s
      - bind: { socket: s, port: 9999 }
      - listen: { socket: s, backlog: 5 }
      - accept: { socket: s, as: conn }
      - recvall: conn
      - close: conn
  - host: client
    start: 0.001
    steps:
      - socket: s
      - connect: { socket: s, to: "server:9999" }
      - send: { socket: s, data: "one" }
      - sleep: 1
      - send: { socket: s, data: "two" }
      - close: s
expect:
  - { host: server, socket: conn, received: "onetwo" }
`,
  );
  return path;
}

describe('a scripted fault that never fires', () => {
  it('is a warning line in "synack run", naming the fault and why; the run still passes', async () => {
    const r = await capture(['run', scenario(['drop 3rd data from client'])]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('warning: fault #1 "drop 3rd data segment from client" never fired: only 2 packets matched it\n');
  });

  it('is not reported when it fires', async () => {
    const r = await capture(['run', scenario(['drop 2nd data from client'])]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('fault: drop 2nd data segment from client');
    expect(r.stdout).not.toContain('warning:');
  });

  it('names the fault that matched nothing, and only it', async () => {
    const r = await capture(['run', scenario(['drop 1st SYN-ACK', 'drop 1st RST'])]);
    expect(r.stdout).not.toContain('fault #1');
    expect(r.stdout).toContain('warning: fault #2 "drop 1st RST" never fired: no packet matched it\n');
  });
});
