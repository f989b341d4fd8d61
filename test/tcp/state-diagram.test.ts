import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { renderStateDiagramMarkdown } from '../../src/tcp/state-diagram.js';

const DOC = fileURLToPath(new URL('../../docs/state-diagram.md', import.meta.url));

describe('docs/state-diagram.md', () => {
  it('is up to date with the statechart (run `npm run docs:states` if this fails)', () => {
    expect(readFileSync(DOC, 'utf8')).toBe(renderStateDiagramMarkdown());
  });
});

describe('renderStateDiagramMarkdown', () => {
  const md = renderStateDiagramMarkdown();
  const mermaid = /```mermaid\n([\s\S]*?)```/.exec(md)?.[1] ?? '';
  const tableRows = md.split('\n').filter((l) => /^\| [A-Z_0-9]+ \| [A-Z_0-9]+ \|/.test(l));

  it('draws a Mermaid stateDiagram-v2 starting in CLOSED', () => {
    expect(mermaid).toMatch(/^stateDiagram-v2\n/);
    expect(mermaid).toContain('[*] --> CLOSED');
  });

  it('labels figure-5 edges with the bare event name', () => {
    expect(mermaid).toContain('CLOSED --> LISTEN : PASSIVE_OPEN\n');
    expect(mermaid).toContain('SYN_SENT --> SYN_RECEIVED : RCV_SYN\n');
    expect(mermaid).toContain('FIN_WAIT_1 --> CLOSING : RCV_FIN\n');
  });

  it('marks text and Linux edges, including the TIME_WAIT self-loop', () => {
    expect(mermaid).toContain('TIME_WAIT --> TIME_WAIT : RCV_FIN (text)');
    expect(mermaid).toMatch(/FIN_WAIT_2 --> CLOSED : .*FIN_WAIT_2_TIMEOUT \(linux\)/);
    expect(mermaid).toMatch(/ESTABLISHED --> CLOSED : .*RCV_RST \(text\)/);
    expect(md).toMatch(/EVENT \(text\)/);
    expect(md).toMatch(/EVENT \(linux\)/);
  });

  it('tables all 48 transitions with origin and section', () => {
    expect(tableRows).toHaveLength(48);
    expect(tableRows).toContainEqual(expect.stringMatching(/^\| SYN_SENT \| RCV_RST \| CLOSED \| text \| 3\.10\.7\.3 \|/));
    expect(tableRows).toContainEqual(expect.stringMatching(/^\| FIN_WAIT_2 \| FIN_WAIT_2_TIMEOUT \| CLOSED \| linux \|/));
    expect(tableRows).toContainEqual(expect.stringMatching(/^\| TIME_WAIT \| RCV_FIN \| TIME_WAIT \(self-loop\) \| text \|/));
  });
});
