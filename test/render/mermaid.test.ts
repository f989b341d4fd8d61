// toMermaid: a Mermaid sequenceDiagram of a trace. No Mermaid parser is installed, so each line is checked
// against the statement forms of Mermaid's sequence grammar (sequenceDiagram.jison) that the output uses:
// `participant ID as TEXT`, `ID->>ID: TEXT`, `ID-xID: TEXT`, `Note right of ID: TEXT`, `Note over ID,ID: TEXT`.
// TEXT may not hold `;` or a newline (statement ends), `#` (a comment) other than an entity code `#123;`,
// `%%` (a comment), or `<`, `>`, `&`, quotes (labels are rendered as HTML).
import { describe, expect, it } from 'vitest';
import { toMermaid } from '../../src/render/mermaid.js';
import { call, makeTrace, segment, state } from './trace-builders.js';

const ID = '[A-Za-z][A-Za-z0-9_]*';
const TEXT = '(?:[^#;%<>&"\'`\\n]|#\\d+;)*';
const FORMS = [
  new RegExp(`^  participant ${ID} as ${TEXT}(?:<br/>${TEXT})?$`),
  new RegExp(`^  ${ID}(?:->>|-x)${ID}: ${TEXT}$`),
  new RegExp(`^  Note (?:right of ${ID}|over ${ID}(?:,${ID})?): ${TEXT}$`),
];

function checkGrammar(text: string): void {
  expect(text.endsWith('\n')).toBe(true);
  const lines = text.slice(0, -1).split('\n');
  expect(lines[0]).toBe('sequenceDiagram');
  for (const line of lines.slice(1)) {
    if (!FORMS.some((form) => form.test(line))) throw new Error(`not a statement of the grammar: ${JSON.stringify(line)}`);
  }
}

/** Mermaid's entity codes back to characters, as it shows them. */
const decode = (text: string) => text.replace(/#(\d+);/g, (_m, code: string) => String.fromCodePoint(Number(code)));

const C = '10.0.0.1:40000';
const S = '10.0.0.2:80';
const handshake = makeTrace([
  state(0, 'server', 1, S, 'CLOSED', 'LISTEN'),
  segment(10, C, S, ['SYN'], 1000, 0, { options: [{ kind: 'mss', mss: 1460 }, { kind: 'sackPermitted' }, { kind: 'windowScale', shift: 7 }] }),
  segment(510, S, C, ['SYN', 'ACK'], 5000, 1001, { fate: 'dropped', reason: 'fault: drop SYN-ACK', arrival: undefined }),
  segment(1_000_510, S, C, ['SYN', 'ACK'], 5000, 1001, { retransmit: true, options: [{ kind: 'windowScale', shift: 8 }] }),
  state(1_001_010, 'client', 3, C, 'SYN_SENT', 'ESTABLISHED', S),
  segment(1_001_010, C, S, ['ACK'], 1001, 5001, { win: 502 }),
  { ...call(1_001_010, 'client', 'connect', ['10.0.0.2:80'], 'ok', 'from 10.0.0.1:40000'), socket: 3 },
]);

describe('toMermaid', () => {
  const text = toMermaid(handshake);
  const lines = text.trimEnd().split('\n');

  it('follows the sequenceDiagram grammar line by line', () => {
    checkGrammar(text);
  });

  it('declares a participant per lane, client first, labelled with host and endpoint', () => {
    const participants = lines.filter((l) => l.startsWith('  participant '));
    expect(participants).toHaveLength(2);
    expect(decode(participants[0]!)).toMatch(/ as client<br\/>10\.0\.0\.1:40000$/);
    expect(decode(participants[1]!)).toMatch(/ as server<br\/>10\.0\.0\.2:80 listening$/);
  });

  it('writes one message per segment, in time order, -x for the lost one with its reason', () => {
    const messages = lines.filter((l) => /^  \w+(->>|-x)\w+: /.test(l)).map(decode);
    expect(messages).toHaveLength(4);
    const [client, server] = lines.filter((l) => l.startsWith('  participant ')).map((l) => l.split(' ')[3]);
    expect(messages[0]).toBe(`  ${client}->>${server}: [SYN] seq=0 win=64240 <mss=1460 sackOK wscale=7>`);
    expect(messages[1]).toBe(`  ${server}-x${client}: [SYN,ACK] seq=0 ack=1 win=64240 (lost: fault: drop SYN-ACK)`);
    expect(messages[2]).toBe(`  ${server}->>${client}: [SYN,ACK] seq=0 ack=1 win=64240 (rtx) <wscale=8>`);
    // Both SYNs carried window scale: the ACK's window is scaled by the client's shift (RFC 7323 2.2).
    expect(messages[3]).toBe(`  ${client}->>${server}: [ACK] seq=1 ack=1 win=64256`);
  });

  it('escapes the options brackets, so they are not read as an HTML tag', () => {
    expect(text).toContain('#60;mss=1460 sackOK wscale=7#62;');
    expect(text).not.toMatch(/<mss/);
  });

  it('writes state changes and calls as notes on their lane', () => {
    const [client, server] = lines.filter((l) => l.startsWith('  participant ')).map((l) => l.split(' ')[3]);
    expect(lines).toContain(`  Note right of ${server}: LISTEN`);
    expect(lines).toContain(`  Note right of ${client}: ESTABLISHED`);
    expect(decode(text)).toContain(`  Note right of ${client}: connect(10.0.0.2:80) = from 10.0.0.1:40000`);
  });

  it('marks a long idle stretch over every lane', () => {
    const [client, server] = lines.filter((l) => l.startsWith('  participant ')).map((l) => l.split(' ')[3]);
    const gap = lines.indexOf(`  Note over ${client},${server}: 1.00 s later`);
    expect(gap).toBeGreaterThan(lines.findIndex((l) => l.includes('-x')));
    expect(gap).toBeLessThan(lines.findIndex((l) => l.includes('(rtx)')));
  });

  it('is the same text every time, without autonumber', () => {
    expect(toMermaid(handshake)).toBe(text);
    expect(text).not.toContain('autonumber');
  });
});

describe('toMermaid with hostile names and notes', () => {
  const evilHost = 'evil;\n%%{init: {"theme":"dark"}}%%\n<img src=x onerror=alert(1)>#end';
  const trace = makeTrace(
    [
      { ...call(0, evilHost, 'connect', ['a;b', '#c', 'd\ne', '<script>x</script>', '"q" \'r\' & `s`'], 'EPERM'), socket: 1 },
      state(0, evilHost, 1, '10.0.0.9:1', 'CLOSED', 'wrap:SYN_SENT'),
      segment(5, '10.0.0.9:1', S, ['SYN'], 1, 0, { note: 'style x:#f00; classDef y' }),
    ],
    [
      { name: evilHost, address: '10.0.0.9' },
      { name: 'server', address: '10.0.0.2' },
    ],
  );
  const text = toMermaid(trace);

  it('still follows the grammar: no statement break, comment, directive or tag gets through', () => {
    checkGrammar(text);
    expect(text).not.toContain('%%');
    expect(text).not.toMatch(/<(?!br\/>)/);
    expect(text).not.toContain('wrap:SYN');
  });

  // A newline inside a user string is shown as "\n", as on the ladder (issue 10, src/render/printable.ts).
  it('keeps the words readable once Mermaid decodes its entity codes (newlines shown as \\n)', () => {
    const shown = decode(text);
    expect(shown).toContain('connect(a;b, #c, d\\ne, <script>x</script>, "q" \'r\' & `s`) = EPERM');
    expect(shown).toContain('as evil;\\n%%{init: {"theme":"dark"}}%%\\n<img src=x onerror=alert(1)>#end<br/>10.0.0.9:1');
    expect(shown).toContain(': wrap:SYN_SENT');
    expect(shown).toContain('(style x:#f00; classDef y)');
  });

  it('never lets "style" or "classDef" sit on a line with a raw ";"-ended entity (Mermaid strips that ";")', () => {
    for (const line of text.split('\n')) expect(line).not.toMatch(/style|classDef/);
  });
});
