// One budget per run (src/scenarios/file/limits.ts): what can be counted before the run (nested `times` loops,
// steps multiplied out, YAML aliases, injected segments) is refused with a position when the file is read;
// what cannot (until-loops, the simulator's events) stops the run with a RunBudgetError.
import { describe, expect, it } from 'vitest';
import { scenarioFromFile } from '../../../src/scenarios/file/build.js';
import { ScenarioFileError } from '../../../src/scenarios/file/errors.js';
import { DEFAULT_BUDGET, MAX_INJECTED, MAX_ROUNDS, MAX_VALUES } from '../../../src/scenarios/file/limits.js';
import { parseScenarioText } from '../../../src/scenarios/file/parse.js';
import { RunBudgetError } from '../../../src/sim/world.js';

const HOSTS = `summary: budget
hosts:
  client: { address: 10.0.0.1 }
  server: { address: 10.0.0.2 }
`;

function problems(text: string): string[] {
  try {
    parseScenarioText(text, 'b.yaml');
  } catch (e) {
    expect(e).toBeInstanceOf(ScenarioFileError);
    return (e as ScenarioFileError).problems.map((p) => `${p.line}:${p.col}: ${p.message}`);
  }
  return [];
}

const nested = (outer: number, inner: number) => `${HOSTS}programs:
  - host: client
    steps:
      - socket: s
      - repeat:
          times: ${outer}
          steps:
            - repeat:
                times: ${inner}
                steps: [ { setsockopt: { socket: s, option: TCP_NODELAY, value: 1 } } ]
`;

describe('limits counted when the file is read', () => {
  it(`nested repeat loops: their rounds multiply, at most ${MAX_ROUNDS} in all`, () => {
    expect(problems(nested(10, 10_000))).toEqual([]);
    expect(problems(nested(10, 10_001))).toEqual([`13:24: nested repeat loops run their innermost steps 10 x 10001 = 100010 times: expected at most ${MAX_ROUNDS} rounds in all`]);
  });

  it(`steps multiplied out over every program: at most ${DEFAULT_BUDGET.steps}`, () => {
    const program = (n: number) => `  - host: client\n    steps:\n      - socket: s\n      - repeat: { times: 100000, steps: [${Array(n).fill('{ close: s }').join(', ')}] }\n`;
    // 2 + 100000 x 4 = 400002 steps a program.
    expect(problems(`${HOSTS}programs:\n${program(4)}${program(4)}`)).toEqual([]);
    expect(problems(`${HOSTS}programs:\n${program(4)}${program(4)}${program(4)}`)).toEqual([
      `16:7: the programs up to this one make at least 1200006 steps (repeat times counted out): expected at most ${DEFAULT_BUDGET.steps} steps in a run`,
    ]);
  });

  it('YAML aliases under the alias cap that repeat a large program are refused once expanded', () => {
    const big = Array.from({ length: 12_000 }, () => '    - { close: s }').join('\n');
    const aliases = Array.from({ length: 90 }, () => '  - { host: client, steps: *body }').join('\n');
    const text = `${HOSTS}body: &body\n  - { socket: s }\n${big.replaceAll('    -', '  -')}\nprograms:\n${aliases}\n`;
    expect(text.length).toBeLessThan(1024 * 1024);
    expect(problems(text)).toEqual([`1:1: the file holds more than ${MAX_VALUES} values once its YAML aliases are expanded: expected a scenario that size at most`]);
  });

  it(`injected segments, count x times summed over the entries: at most ${MAX_INJECTED}`, () => {
    const inject = (count: number, times: number) => `  - { at: [${Array.from({ length: times }, (_, i) => i).join(', ')}], count: ${count}, from: "10.9.9.9:1", to: "server:80", flags: SYN }\n`;
    expect(problems(`${HOSTS}inject:\n${inject(10_000, 5)}${inject(10_000, 5)}`)).toEqual([]);
    expect(problems(`${HOSTS}inject:\n${inject(10_000, 5)}${inject(10_000, 5)}${inject(1, 1)}`)).toEqual([
      `8:5: inject sends 100001 segments up to here (count 1 x 1 times here): expected at most ${MAX_INJECTED} injected segments in a run`,
    ]);
  });
});

/** A ping-pong that never fails: each side's `repeat until error` only ends at its round cap. */
const PING_PONG = `${HOSTS}programs:
  - host: server
    steps:
      - socket: s
      - bind: { socket: s, port: 80 }
      - listen: { socket: s }
      - accept: { socket: s, as: conn }
      - repeat: { until: error, steps: [ { recv: { socket: conn, max: 1, as: d } }, { sendall: { socket: conn, from: d } } ] }
  - host: client
    steps:
      - socket: c
      - connect: { socket: c, to: "server:80" }
      - repeat: { until: error, steps: [ { sendall: { socket: c, data: "x" } }, { recv: { socket: c, max: 1 } } ] }
`;

describe('the budget stops a run that would go on', () => {
  const run = (events: number, steps: number) =>
    scenarioFromFile(parseScenarioText(PING_PONG, 'b.yaml'), 'b', 'b.yaml', { events, steps }).execute!({ profile: 'linux', seed: 1 });

  it('simulator events', async () => {
    await expect(run(2_000, 1_000_000)).rejects.toThrow(new RunBudgetError('simulator events', 2_000));
  });

  it('program steps, over every program', async () => {
    await expect(run(1_000_000, 3_000)).rejects.toThrow(new RunBudgetError('program steps', 3_000));
  });

  it('program steps that never block (the clock does not move, so no event is spent)', async () => {
    const spin = `${HOSTS}programs:\n  - host: client\n    steps:\n      - socket: s\n      - repeat: { until: error, steps: [ { close: s }, { socket: s } ] }\n`;
    const scenario = scenarioFromFile(parseScenarioText(spin, 'b.yaml'), 'b', 'b.yaml', { events: 1_000_000, steps: 5_000 });
    await expect(scenario.execute!({ profile: 'linux', seed: 1 })).rejects.toThrow(new RunBudgetError('program steps', 5_000));
  });

  it('a budget the run stays under changes nothing', async () => {
    const within = scenarioFromFile(parseScenarioText(HOSTS, 'b.yaml'), 'b', 'b.yaml', { events: 10, steps: 10 });
    await expect(within.execute!({ profile: 'linux', seed: 1 })).resolves.toMatchObject({ checks: [] });
  });
});
