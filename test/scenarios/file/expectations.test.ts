// The expectations a scenario file states are checked against the run: a file whose expectations hold
// passes, and each kind of expectation fails when the run does something else.
import { describe, expect, it } from 'vitest';
import { scenarioFromFile } from '../../../src/scenarios/file/build.js';
import { parseScenarioText } from '../../../src/scenarios/file/parse.js';
import { starterScenario } from '../../../src/scenarios/file/template.js';
import { SCENARIOS } from '../../../src/scenarios/index.js';

async function checks(text: string, profile: 'linux' | 'rfc9293' = 'linux') {
  const scenario = scenarioFromFile(parseScenarioText(text, 't.yaml'), 't', 't.yaml');
  return (await scenario.execute!({ profile, seed: 1 })).checks;
}

const ECHO = starterScenario('t');

describe('the built-in scenario files', () => {
  for (const profile of ['linux', 'rfc9293'] as const) {
    it.each(SCENARIOS.map((s) => s.name))(`%s: every expectation holds (${profile})`, async (name) => {
      const result = await SCENARIOS.find((s) => s.name === name)!.execute!({ profile, seed: 1 });
      expect(result.checks.length).toBeGreaterThan(0);
      expect(result.checks.filter((c) => !c.ok)).toEqual([]);
    });
  }
});

describe('expectations', () => {
  it('the starter file written by "synack new" runs with all its expectations holding', async () => {
    const results = await checks(ECHO);
    expect(results).toHaveLength(5);
    expect(results.every((c) => c.ok)).toBe(true);
  });

  it('a wrong final state fails, saying what it was', async () => {
    const results = await checks(ECHO.replace('{ host: server, socket: conn, state: CLOSED }', '{ host: server, socket: conn, state: TIME_WAIT }'));
    expect(results.find((c) => !c.ok)).toEqual({ what: 'server: conn is TIME_WAIT when the run ends', ok: false, actual: 'CLOSED' });
  });

  it('a state at a time, and a sequence of states', async () => {
    const results = await checks(ECHO.replace('state: TIME_WAIT, at: 1', 'state: TIME_WAIT, at: 61').replace('FIN_WAIT_2, TIME_WAIT', 'TIME_WAIT'));
    expect(results.filter((c) => !c.ok)).toEqual([
      { what: 'client: c goes SYN_SENT -> ESTABLISHED -> FIN_WAIT_1 -> TIME_WAIT -> CLOSED', ok: false, actual: 'SYN_SENT -> ESTABLISHED -> FIN_WAIT_1 -> FIN_WAIT_2 -> TIME_WAIT -> CLOSED' },
      { what: 'client: c is TIME_WAIT at 61 s', ok: false, actual: 'CLOSED' },
    ]);
  });

  it('received bytes, as text or as a count', async () => {
    const results = await checks(ECHO.replace('received: "Hello, world"', 'received: 11'));
    expect(results.find((c) => !c.ok)).toEqual({ what: 'client: c received 11 bytes', ok: false, actual: '12 bytes' });
  });

  it('a step whose result is not the expected one fails and ends its program', async () => {
    const results = await checks(ECHO.replace('expect: ok  ', 'expect: ECONNREFUSED  '));
    expect(results[0]).toEqual({ what: 'client: connect(server:7000) -> ECONNREFUSED', ok: false, actual: 'ok' });
  });

  it('a per-profile expectation uses the run profile', async () => {
    const text = ECHO.replace('expect: ok  ', 'expect: { linux: ok, rfc9293: EINVAL }  ');
    expect((await checks(text, 'linux'))[0]!.ok).toBe(true);
    expect((await checks(text, 'rfc9293'))[0]).toMatchObject({ ok: false, actual: 'ok' });
  });

  it('an unexpected errno ends the program, as an uncaught exception would', async () => {
    const text = ECHO.replace('to: "server:7000" }\n        expect: ok', 'to: "server:7001" }');
    const scenario = scenarioFromFile(parseScenarioText(text, 't.yaml'), 't', 't.yaml');
    const { trace, checks: results } = await scenario.execute!({ profile: 'linux', seed: 1 });
    expect(trace.events.filter((e) => e.kind === 'call' && e.host === 'client').map((e) => (e as { call: string }).call)).toEqual(['connect']);
    expect(results.find((c) => c.what.includes('received'))).toMatchObject({ ok: false, actual: '""' });
  });

  it('a loop that can never end is stopped and reported, not run forever', async () => {
    const text = ECHO.replace('until: eof', 'until: error').replace('- recv: { socket: conn, max: 1024, as: data }\n            - sendall: { socket: conn, from: data }', '- sleep: 0');
    const results = await checks(text);
    expect(results.find((c) => c.what.startsWith('server: repeat'))).toEqual({ what: 'server: repeat until error', ok: false, actual: 'still going after 100000 rounds; stopped' });
  });

  it('length-prefixed messages come back whole however the bytes arrive', async () => {
    const text = ECHO
      .replace('- sendall: { socket: c, data: "Hello, world" }', '- sendall: { socket: c, data: "one", framing: length-prefix }\n      - sendall: { socket: c, data: "two!", framing: length-prefix }')
      .replace('- recv: { socket: conn, max: 1024, as: data }\n            - sendall: { socket: conn, from: data }', '- recv_message: { socket: conn, as: data }\n            - sendall: { socket: conn, from: data }')
      .replace('- recv: { socket: c, max: 1024 }', '- shutdown: { socket: c, how: SHUT_WR }\n      - recvall: c')
      .replace('received: "Hello, world"', 'received: "onetwo!"');
    const results = await checks(text);
    expect(results.find((c) => c.what.includes('received'))).toEqual({ what: 'client: c received "onetwo!"', ok: true });
  });
});
