// The plan a real-socket runner gets from a scenario file and the model's run of it.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { scenarioFromFile } from '../../src/scenarios/file/build.js';
import { parseScenarioText } from '../../src/scenarios/file/parse.js';
import { CASES } from './cases.js';
import { DOC_PATH } from './report.js';
import { END_MARGIN_US, loopbackScenario, MARK_GUARD_US, realAddresses, realSetup } from './plan.js';

const scenario = (yaml: string) => scenarioFromFile(parseScenarioText(yaml, 'p.yaml'), 'p', 'test');
const base = `summary: s
hosts:
  client: { address: 10.0.0.1 }
  server: { address: 10.0.0.2 }
programs:
  - host: server
    steps: [ socket: s, bind: { socket: s, port: 80 }, listen: { socket: s }, accept: { socket: s, as: c }, recvall: c, close: c ]
  - host: client
    start: 0.001
    steps: [ socket: s, connect: { socket: s, to: "server:80" }, sendall: { socket: s, data: "hi" }, close: s ]
`;

describe('loopbackScenario', () => {
  it('puts every link at zero latency and keeps the rest of the file', async () => {
    const s = loopbackScenario(scenario(`${base}link: { latency: 5ms }\nfaults: [ drop 1st FIN ]\n`));
    expect(s.file.link).toEqual({ latency: 0 });
    expect(s.file.faults).toHaveLength(1);
    const { trace } = await s.execute!({ profile: 'linux', seed: 1 });
    const syn = trace.events.find((e) => e.kind === 'segment');
    expect(syn && 'arrival' in syn ? syn.arrival : undefined).toBe(syn?.t);
  });

  it('refuses what lo cannot reproduce: injected segments, random loss', () => {
    expect(() => loopbackScenario(scenario(`${base}inject: [ { at: 1, from: "10.0.0.9:1", to: "server:80", flags: SYN } ]\n`))).toThrow(/raw socket/);
    expect(() => loopbackScenario(scenario(`${base}link: { loss: "1%" }\n`))).toThrow(/random loss/);
  });
});

describe('realSetup', () => {
  it('maps hosts to 127.0.0.11 and up, and ends the run a margin after the model\'s last packet or call', async () => {
    const s = loopbackScenario(scenario(base));
    const { trace } = await s.execute!({ profile: 'linux', seed: 1 });
    const setup = realSetup(s, trace);
    expect(realAddresses(s.file)).toEqual({ client: '127.0.0.11', server: '127.0.0.12' });
    expect(setup.plan.hosts).toEqual({ client: '127.0.0.11', server: '127.0.0.12' });
    const last = Math.max(...trace.events.filter((e) => e.kind === 'segment' || e.kind === 'call').map((e) => e.t));
    expect(setup.plan.end).toBe(last + END_MARGIN_US);
    expect(setup.names).toMatchObject({ '10.0.0.1': 'client', '127.0.0.11': 'client', '10.0.0.2': 'server', '127.0.0.12': 'server' });
  });

  it('takes a mark for each state-at expectation, but not one next to a model state change', async () => {
    const yaml = `${base}expect:\n  - { host: client, socket: s, state: TIME_WAIT, at: 0.5 }\n  - { host: server, socket: c, state: CLOSED, at: 0.001 }\n`;
    const s = loopbackScenario(scenario(yaml));
    const { trace } = await s.execute!({ profile: 'linux', seed: 1 });
    const setup = realSetup(s, trace);
    expect(setup.plan.marks).toEqual([{ name: 't500000', t: 500_000 }]);
    expect(setup.skippedMarks).toEqual([1000]);
    expect(() => realSetup(s, trace, [0.001e6 + MARK_GUARD_US / 2])).toThrow(/within 25 ms of a state change/);
  });
});

describe('docs/conformance.md', () => {
  it('has one row per case, each from a run in which it matched', () => {
    const doc = readFileSync(DOC_PATH, 'utf8');
    for (const c of CASES) {
      const row = doc.split('\n').find((l) => l.startsWith(`| ${c.name} |`));
      expect(row, `no row for ${c.name}; run npm run conformance`).toBeDefined();
      expect(row).toContain(`\`${c.scenario}\``);
      expect(row).toContain('| match |');
    }
    expect(doc).toContain(`${CASES.length} of ${CASES.length} cases match`);
  });
});
