// Names a file chooses (knobs, hosts, programs, sockets, step keys, fault and inject places) are looked up as
// own keys only: `constructor`, `toString`, `__proto__` or `hasOwnProperty` is an unknown name or an ordinary
// one, never Object.prototype's member (which made `in` and [] lookups throw a TypeError).
import { describe, expect, it } from 'vitest';
import { scenarioFromFile } from '../../../src/scenarios/file/build.js';
import { ScenarioFileError } from '../../../src/scenarios/file/errors.js';
import { parseScenarioText } from '../../../src/scenarios/file/parse.js';

const NAMES = ['constructor', 'toString', '__proto__', 'hasOwnProperty'];

const echo = (host: string, sock: string, prog: string) => `summary: prototype names
hosts:
  ${host}: { address: 10.0.0.1 }
  server: { address: 10.0.0.2 }
programs:
  - host: server
    steps:
      - socket: s
      - bind: { socket: s, port: 80 }
      - listen: { socket: s }
      - accept: { socket: s, as: ${sock} }
      - recvall: ${sock}
      - close: ${sock}
  - host: ${host}
    name: ${prog}
    steps:
      - socket: ${sock}
      - connect: { socket: ${sock}, to: "server:80" }
      - sendall: { socket: ${sock}, data: "hi" }
      - close: ${sock}
faults: [ "delay 1st SYN from ${host} by 1ms" ]
expect:
  - { host: server, socket: ${sock}, received: "hi" }
  - { host: ${host}, program: ${prog}, socket: ${sock}, state: TIME_WAIT, at: 1 }
`;

function problems(text: string): string[] {
  try {
    parseScenarioText(text, 'p.yaml');
  } catch (e) {
    expect(e).toBeInstanceOf(ScenarioFileError);
    return (e as ScenarioFileError).problems.map((p) => p.message);
  }
  return [];
}

describe.each(NAMES)('a name "%s"', (name) => {
  const plain = /^[A-Za-z]/.test(name); // a host name starts with a letter: __proto__ is refused by that rule

  it('as a knob, at the top and on a host: an unknown knob', () => {
    expect(problems(echo('client', 'c', 'p').replace('hosts:', `knobs: { ${name}: 1 }\nhosts:`))).toEqual([expect.stringMatching(new RegExp(`^unknown knob "${name}"`))]);
    expect(problems(echo('client', 'c', 'p').replace('{ address: 10.0.0.2 }', `{ address: 10.0.0.2, knobs: { ${name}: 1 } }`))).toEqual([expect.stringMatching(new RegExp(`^unknown knob "${name}"`))]);
  });

  it('as a step key: an unknown key', () => {
    expect(problems(echo('client', 'c', 'p').replace('- close: c\nfaults', `- { close: c, ${name}: 1 }\nfaults`)).join('\n')).toMatch(new RegExp(`unknown key "${name}"`));
  });

  it('as a host, program and socket name (and in a fault, an expectation): runs like any other name', async () => {
    const text = echo(plain ? name : 'client', name, name);
    if (!plain) expect(problems(echo(name, 'c', 'p')).join('\n')).toMatch(/expected a host name/);
    const scenario = scenarioFromFile(parseScenarioText(text, 'p.yaml'), 'p', 'p.yaml');
    const { checks } = await scenario.execute!({ profile: 'linux', seed: 1 });
    expect(checks).toEqual([expect.objectContaining({ ok: true }), expect.objectContaining({ ok: true })]);
  });

  it('as an unknown host in a fault or an injection: refused as not a host', () => {
    expect(problems(echo('client', 'c', 'p').replace('from client by', `from ${name} by`)).join('\n')).toMatch(new RegExp(`expected a host .*found "${name}"`));
    expect(problems(`${echo('client', 'c', 'p')}inject: [ { at: 1, from: "${name}:1", to: "server:80", flags: SYN } ]\n`).join('\n')).toMatch(new RegExp(`found "${name}:1"`));
  });
});
