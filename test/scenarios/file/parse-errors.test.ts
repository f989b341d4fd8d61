// A bad scenario file gets problems naming the file, line and column, what was expected and what was found.
import { describe, expect, it } from 'vitest';
import { ScenarioFileError } from '../../../src/scenarios/file/errors.js';
import { parseScenarioText } from '../../../src/scenarios/file/parse.js';

const GOOD = `summary: a test
hosts:
  client: { address: 10.0.0.1 }
  server: { address: 10.0.0.2 }
programs:
  - host: client
    steps:
      - socket: s
      - connect: { socket: s, to: "server:80" }
        expect: ECONNREFUSED
`;

/** The problems of a file that must not parse, as "line:col: message" strings. */
function problems(text: string): string[] {
  try {
    parseScenarioText(text, 'bad.yaml');
  } catch (e) {
    expect(e).toBeInstanceOf(ScenarioFileError);
    const err = e as ScenarioFileError;
    expect(err.message.split('\n').every((l) => l.startsWith('bad.yaml:'))).toBe(true);
    return err.problems.map((p) => `${p.line}:${p.col}: ${p.message}`);
  }
  throw new Error('parsed, but should not have');
}

describe('a good file', () => {
  it('parses, with defaults filled in', () => {
    const f = parseScenarioText(GOOD, 'good.yaml');
    expect(f.hosts.server!.address).toBe('10.0.0.2');
    expect(f.programs[0]!.start).toBe(0);
    expect(f.programs[0]!.steps[1]).toEqual({ call: 'connect', args: { socket: 's', to: 'server:80' }, expect: 'ECONNREFUSED' });
  });

  it('parses the same scenario written as JSON', () => {
    const json = JSON.stringify({ summary: 'a test', hosts: { client: { address: '10.0.0.1' }, server: { address: '10.0.0.2' } }, programs: [{ host: 'client', steps: [{ socket: 's' }, { connect: { socket: 's', to: 'server:80' }, expect: 'ECONNREFUSED' }] }] }, null, 2);
    expect(parseScenarioText(json, 'good.json')).toEqual(parseScenarioText(GOOD, 'good.yaml'));
  });

  it('converts durations, percentages and sysctl knobs to the engine units', () => {
    const f = parseScenarioText(`${GOOD}link: { latency: 20ms, loss: "2%", jitter: 250us }\nknobs: { net.ipv4.tcp_fin_timeout: 5, tcp_syncookies: 0, ip_local_port_range: "40000 40003" }\n`, 'x.yaml');
    expect(f.link).toEqual({ latency: 20000, loss: 0.02, jitter: 250 });
    expect(f.knobs).toEqual({ finTimeout: 5_000_000, syncookies: 0, ephemeralPortRange: [40000, 40003] });
  });
});

describe('problems, with line and column', () => {
  it('an unknown top-level key, listing the keys that are allowed', () => {
    expect(problems(`${GOOD}hots: {}\n`)).toEqual([
      '11:1: unknown key "hots" (expected one of: name, summary, until, lifelines, knobs, hosts, link, links, faults, inject, programs, expect)',
    ]);
  });

  it('an unknown key deep inside a step', () => {
    expect(problems(GOOD.replace('to: "server:80"', 'to: "server:80", tiemout: 3'))).toEqual([
      '9:48: unknown key "tiemout" (expected one of: socket, to)',
    ]);
  });

  it('a wrong type: expected and found', () => {
    expect(problems(GOOD.replace('{ address: 10.0.0.1 }', '{ address: 10.0.0.1, mtu: big }'))).toEqual([
      '3:37: expected number, found string "big"',
    ]);
  });

  it('a missing required key', () => {
    expect(problems(GOOD.replace('summary: a test\n', ''))).toEqual(['1:1: missing required key "summary" (expected string)']);
  });

  it('a value outside a list of choices', () => {
    expect(problems(GOOD.replace('expect: ECONNREFUSED', 'expect: ECONNREFUSD'))).toEqual([
      expect.stringMatching(/^10:17: expected one of "ok", "any", "ECONNREFUSED", .*found string "ECONNREFUSD"$/),
    ]);
  });

  it('a step with no known call, and one with two', () => {
    expect(problems(GOOD.replace('- socket: s', '- sokcet: s'))).toEqual([expect.stringMatching(/^8:9: expected one call \(socket, setsockopt, .*\), found "sokcet"$/)]);
    expect(problems(GOOD.replace('- socket: s', '- { socket: s, close: s }'))).toEqual([expect.stringMatching(/^8:9: expected one call .*found socket and close in one step$/)]);
  });

  it('a socket used before it exists', () => {
    expect(problems(GOOD.replace('- socket: s\n', '- socket: t\n'))).toEqual([
      '9:28: expected a socket created earlier (socket: s), found "s" used before it exists',
    ]);
  });

  it('a host nobody defined, with the hosts that exist', () => {
    expect(problems(GOOD.replace('- host: client', '- host: clinet'))).toEqual(['6:11: expected a host (client, server), found "clinet"']);
    expect(problems(GOOD.replace('to: "server:80"', 'to: "sever:80"'))).toEqual(['9:35: expected "host:port" naming a host or its address, found "sever:80"']);
  });

  it('a bad duration and a bad knob', () => {
    expect(problems(`${GOOD}link: { latency: fast }\n`)).toEqual(['11:18: expected a duration such as 0.5, "200ms", "250us" or "1.5s", found "fast"']);
    expect(problems(`${GOOD}knobs: { tcp_fin_timout: 5 }\n`)).toEqual([expect.stringMatching(/^11:10: unknown knob "tcp_fin_timout" \(expected one of: tcp_syn_retries, /)]);
    expect(problems(`${GOOD}knobs: { tcp_tw_reuse: 3 }\n`)).toEqual(['11:24: tcp_tw_reuse: expected 0, 1 or 2, found 3']);
  });

  it('a fault in words that does not parse', () => {
    expect(problems(`${GOOD}faults: [ "explode the 1st SYN" ]\n`)).toEqual([expect.stringMatching(/^11:11: cannot parse fault "explode the 1st SYN": expected drop, delay or duplicate/)]);
  });

  it('two hosts with one address; IPv6 hosts are refused with a reason', () => {
    expect(problems(GOOD.replace('10.0.0.2', '10.0.0.1'))).toEqual(["4:22: address 10.0.0.1 is already host client's"]);
    expect(problems(GOOD.replace('10.0.0.2', '"2001:db8::2"'))).toEqual(['4:22: expected an IPv4 address, found "2001:db8::2" (IPv6 hosts are not simulated yet)']);
  });

  it('reports several problems at once, in file order', () => {
    const text = GOOD.replace('{ address: 10.0.0.1 }', '{ adress: 10.0.0.1 }').replace('backlog', 'x').replace('expect: ECONNREFUSED', 'expect: 3');
    expect(problems(text)).toHaveLength(3);
  });
});

describe('files that are not scenarios at all', () => {
  it('an empty file', () => {
    expect(problems('')).toEqual(['1:1: the file is empty: expected a scenario (summary, hosts, programs)']);
    expect(problems('# only a comment\n')).toEqual(['1:1: the file is empty: expected a scenario (summary, hosts, programs)']);
  });

  it('a list, or a scalar, instead of a map', () => {
    expect(problems('- a\n- b\n')).toEqual(['1:1: expected a map of scenario keys (summary, hosts, programs), found a list']);
    expect(problems('42\n')).toEqual(['1:1: expected a map of scenario keys (summary, hosts, programs), found number 42']);
  });

  it('YAML syntax errors and duplicate keys, with their position', () => {
    expect(problems('summary: [a, b\nhosts: {}\n')[0]).toMatch(/^\d+:\d+: YAML: /);
    expect(problems(`${GOOD}summary: again\n`)).toEqual([expect.stringMatching(/^11:1: YAML: Map keys must be unique/)]);
  });

  it('a YAML alias bomb ("billion laughs") is refused, not expanded', () => {
    const levels = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
    for (let i = 1; i < 9; i++) {
      const prev = String.fromCharCode(96 + i);
      const name = String.fromCharCode(97 + i);
      levels.push(`${name}: &${name} [${Array(9).fill(`*${prev}`).join(',')}]`);
    }
    expect(problems(`${levels.join('\n')}\n`)).toEqual([expect.stringMatching(/too many aliases|alias/i)]);
  });

  it('deeply nested JSON is refused before it can exhaust the stack', () => {
    const deep = `${'['.repeat(200_000)}${']'.repeat(200_000)}`;
    expect(problems(deep)).toEqual(['1:65: nesting deeper than 64 levels: expected a scenario, found deeply nested brackets']);
    const deepMaps = `${'{"a":'.repeat(100_000)}1${'}'.repeat(100_000)}`;
    expect(problems(deepMaps)[0]).toMatch(/nesting deeper than 64 levels/);
  });

  it('deeply nested block YAML is refused too', () => {
    const lines = Array.from({ length: 100 }, (_, i) => `${' '.repeat(i)}k${i}:`);
    expect(problems(`${lines.join('\n')} 1\n`)[0]).toMatch(/nesting deeper than 64 levels/);
  });

  it('a file over 1 MiB', () => {
    expect(problems(`summary: "${'x'.repeat(1024 * 1024)}"\n`)).toEqual([expect.stringMatching(/^1:1: the file is \d+ bytes; a scenario file may hold at most 1048576$/)]);
  });
});
