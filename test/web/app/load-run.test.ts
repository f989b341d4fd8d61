// A scenario run in the page is checked against `synack check`'s invariants (web/src/app/load-run.ts): a run with
// a planted bug shows where it broke one, the same run without it none. forget-time-wait ends TIME_WAIT at once
// (src/tcp/bugs.ts), which breaks time-wait-length (RFC 9293 3.6), as test/check/planted-bugs.test.ts finds.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadRun, MAX_CHECKED_EVENTS, type RunSource } from '../../../web/src/app/load-run.js';
import { DEFAULT_SETTINGS } from '../../../web/src/app/settings.js';

const FILE = 'scenarios/03-client-closes-first.yaml';
const SOURCE: RunSource = { kind: 'scenario', name: 'client-closes-first', fileName: FILE, text: readFileSync(resolve(import.meta.dirname, '../../..', FILE), 'utf8') };

describe('loadRun: a scenario run and the invariants', () => {
  it('breaks time-wait-length with forget-time-wait planted, on the events that began and ended TIME_WAIT', async () => {
    const run = await loadRun({ ...SOURCE, plant: ['forget-time-wait'] }, DEFAULT_SETTINGS);
    expect(run.broken.map((b) => b.invariant)).toContain('time-wait-length');
    const flagged = [...run.violations].filter(([, names]) => names.includes('time-wait-length')).map(([index]) => run.trace.events[index]!);
    // The invariant names where TIME_WAIT began (its state change or its 2MSL timer set) and where it ended.
    expect(flagged.some((ev) => ev.kind === 'state' && ev.from === 'TIME_WAIT')).toBe(true);
    for (const ev of flagged) {
      if (ev.kind === 'state') expect([ev.from, ev.to]).toContain('TIME_WAIT');
      else expect(ev.kind === 'timer' && ev.timer).toBe('timeWait');
    }
  });

  it('breaks none without the bug', async () => {
    const run = await loadRun(SOURCE, DEFAULT_SETTINGS);
    expect(run.trace.events.some((ev) => ev.kind === 'state' && ev.to === 'TIME_WAIT')).toBe(true);
    expect(run.broken).toEqual([]);
    expect(run.violations.size).toBe(0);
    expect(run.warnings).toEqual([]);
  });
});

// A long transfer: far more trace events than the page checks (MAX_CHECKED_EVENTS), so the invariants are skipped
// with a note, unless bugs are planted (then checking them is the point).
const BULK = `summary: "a long transfer"
hosts:
  client: { address: 10.0.0.1 }
  server: { address: 10.0.0.2 }
programs:
  - host: server
    steps:
      - socket: s
      - bind: { socket: s, port: 9200 }
      - listen: { socket: s, backlog: 5 }
      - accept: { socket: s, as: conn }
      - recvall: conn
      - close: conn
  - host: client
    start: 0.001
    steps:
      - socket: c
      - connect: { socket: c, to: "server:9200" }
      - sendall: { socket: c, bytes: 25000000 }
      - close: c
`;

describe('loadRun: a scenario run too long to check', () => {
  const bulk: RunSource = { kind: 'scenario', name: 'bulk', fileName: 'bulk.yaml', text: BULK };

  it('skips the invariants with a note saying how many events and where to check them', async () => {
    const run = await loadRun(bulk, DEFAULT_SETTINGS);
    expect(run.trace.events.length).toBeGreaterThan(MAX_CHECKED_EVENTS);
    expect(run.violations.size).toBe(0);
    expect(run.warnings).toEqual([
      `invariants not checked: ${run.trace.events.length} events is more than the page checks (${MAX_CHECKED_EVENTS}); "synack run FILE --invariants" checks them`,
    ]);
  }, 30_000);

  it('checks them all the same when a bug is planted', async () => {
    const run = await loadRun({ ...bulk, plant: ['forget-time-wait'] }, DEFAULT_SETTINGS);
    expect(run.warnings).toEqual([]);
    expect(run.broken.map((b) => b.invariant)).toContain('time-wait-length');
  }, 30_000);
});
