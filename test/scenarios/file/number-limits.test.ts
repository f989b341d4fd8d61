// Every number a scenario file gives is bounded (src/scenarios/file/limits.ts), so no time the engine derives
// from it can leave the safe integers or reach Infinity: each class accepted at its limit, refused just past it
// with a message naming the limit.
import { describe, expect, it } from 'vitest';
import { ScenarioFileError } from '../../../src/scenarios/file/errors.js';
import { parseScenarioText } from '../../../src/scenarios/file/parse.js';

const HOSTS = `summary: limits
hosts:
  client: { address: 10.0.0.1 }
  server: { address: 10.0.0.2 }
`;
const program = (steps: string) => `programs:\n  - host: client\n    steps:\n      - socket: s\n${steps.split('\n').map((l) => `      ${l}`).join('\n')}\n`;

function problem(text: string): string {
  try {
    parseScenarioText(text, 'n.yaml');
  } catch (e) {
    expect(e).toBeInstanceOf(ScenarioFileError);
    return (e as ScenarioFileError).problems.map((p) => p.message).join('\n');
  }
  return 'parsed';
}

/** [what, file text with the value, the value at the limit, the value just past it, what the message must say]. */
const CASES: Array<[string, (v: string) => string, string, string, RegExp]> = [
  ['until', (v) => `${HOSTS}until: ${v}\n`, '86400', '86400.000001', /at most 1 day \(86400 s\)/],
  ['until with a unit', (v) => `${HOSTS}until: ${v}\n`, '"1440min"', '"1441min"', /at most 1 day \(86400 s\)/],
  ['a huge number of seconds', (v) => `${HOSTS}until: ${v}\n`, '86400', '1e300', /at most 1 day \(86400 s\)/],
  ['program start', (v) => `${HOSTS}programs: [ { host: client, start: ${v}, steps: [ { socket: s } ] } ]\n`, '86400', '86401', /at most 1 day/],
  ['step at', (v) => HOSTS + program(`- close: s\n  at: ${v}`), '86400', '86401', /at most 1 day/],
  ['sleep', (v) => HOSTS + program(`- sleep: ${v}`), '"86400s"', '"86401s"', /at most 1 day/],
  ['wait_until', (v) => HOSTS + program(`- wait_until: ${v}`), '86400', '99999999999999999999', /at most 1 day/],
  ['latency', (v) => `${HOSTS}link: { latency: ${v} }\n`, '86400', '86401', /at most 1 day/],
  ['jitter', (v) => `${HOSTS}links: [ { between: [client, server], jitter: ${v} } ]\n`, '86400', '86401', /at most 1 day/],
  ['reorder_delay', (v) => `${HOSTS}link: { reorder_delay: ${v} }\n`, '86400', '86401', /at most 1 day/],
  ['a fault delay (map)', (v) => `${HOSTS}faults: [ { action: delay, flags: SYN, delay: ${v} } ]\n`, '86400', '86401', /at most 1 day/],
  ['a fault delay (words)', (v) => `${HOSTS}faults: [ "delay 1st SYN by ${v}" ]\n`, '86400s', '86401s', /at most 1 day \(86400 s\), found "86401s" in fault/],
  ['inject at', (v) => `${HOSTS}inject: [ { at: [0, ${v}], from: "10.9.9.9:1", to: "server:80", flags: SYN } ]\n`, '86400', '86401', /at most 1 day/],
  ['expect at', (v) => `${HOSTS}${program('- close: s')}expect: [ { host: client, socket: s, state: CLOSED, at: ${v} } ]\n`, '86400', '86401', /at most 1 day/],
  ['a knob time', (v) => `${HOSTS}knobs: { tcp_fin_timeout: ${v} }\n`, '86400', '86401', /tcp_fin_timeout: expected a number of seconds from 0 to 86400 \(1 day\)/],
  ['a knob time per host', (v) => HOSTS.replace('{ address: 10.0.0.2 }', `{ address: 10.0.0.2, knobs: { maxRto: ${v} } }`), '86400', '1e300', /from 0 to 86400/],
  ['a knob count', (v) => `${HOSTS}knobs: { receiveBuffer: ${v} }\n`, '2147483647', '2147483648', /an integer from 0 to 2147483647/],
  ['a retry count', (v) => `${HOSTS}knobs: { tcp_syn_retries: ${v} }\n`, '255', '256', /an integer from 0 to 255/],
  ['bandwidth (too small)', (v) => `${HOSTS}link: { bandwidth: ${v} }\n`, '1000', '999', /at least 1000/],
  ['bandwidth (too large)', (v) => `${HOSTS}link: { bandwidth: ${v} }\n`, '1000000000000', '1000000000001', /at most 1000000000000/],
  ['settimeout', (v) => HOSTS + program(`- settimeout: { socket: s, seconds: ${v} }`), '86400', '86401', /at most 86400/],
  ['SO_LINGER time', (v) => HOSTS + program(`- setsockopt: { socket: s, option: SO_LINGER, value: { onoff: 1, linger: ${v} } }`), '86400', '86401', /at most 86400/],
  ['a socket option', (v) => HOSTS + program(`- setsockopt: { socket: s, option: SO_SNDBUF, value: ${v} }`), '2147483647', '2147483648', /at most 2147483647/],
  ['listen backlog', (v) => HOSTS + program(`- listen: { socket: s, backlog: ${v} }`), '2147483647', '2147483648', /at most 2147483647/],
  ['recv max', (v) => HOSTS + program(`- recv: { socket: s, max: ${v} }`), '67108864', '67108865', /at most 67108864/],
  ['fault nth', (v) => `${HOSTS}faults: [ { action: drop, nth: ${v} } ]\n`, '2147483647', '2147483648', /at most 2147483647/],
  ['an injected timestamp', (v) => `${HOSTS}inject: [ { at: 0, from: "10.9.9.9:1", to: "server:80", flags: SYN, options: [ { timestamps: [${v}, 0] } ] } ]\n`, '4294967295', '4294967296', /at most 4294967295/],
  ['a relative seq offset', (v) => `${HOSTS}inject: [ { at: 0, from: "10.9.9.9:1", to: server, flags: RST, seq: "rcv.nxt+${v}" } ]\n`, '4294967295', '4294967296', /offset N of at most 4294967295/],
  ['a link seed', (v) => `${HOSTS}links: [ { between: [client, server], seed: ${v} } ]\n`, '4294967295', '4294967296', /at most 4294967295/],
];

describe('numbers in a scenario file are bounded', () => {
  it.each(CASES)('%s: accepted at its limit, refused just past it naming the limit', (_what, file, atLimit, past, says) => {
    expect(problem(file(atLimit))).toBe('parsed');
    expect(problem(file(past))).toMatch(says);
  });

  it('YAML infinity is refused, not run', () => {
    expect(problem(`${HOSTS}until: .inf\n`)).toMatch(/found number Infinity/);
    expect(problem(`${HOSTS}link: { bandwidth: .inf }\n`)).toMatch(/found number Infinity/);
  });
});
