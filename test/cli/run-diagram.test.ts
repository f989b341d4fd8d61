// synack run --svg / --html / --mermaid / --theme: the run drawn as a sequence diagram, through main().
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseHTML } from 'linkedom';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';

async function run(argv: string[]) {
  let stdout = '';
  let stderr = '';
  const code = await main(argv, { stdout: (s) => void (stdout += s), stderr: (s) => void (stderr += s) });
  return { code, stdout, stderr };
}

const dir = mkdtempSync(join(tmpdir(), 'synack-diagram-'));

describe('synack run --svg/--html/--mermaid', () => {
  it('--svg writes an SVG with one arrow per segment and one lane per endpoint, and still draws the ladder', async () => {
    const path = join(dir, 'backlog.svg');
    const { code, stdout, stderr } = await run(['run', 'backlog-overflow', '--svg', path]);
    expect([code, stderr]).toEqual([0, '']);
    expect(stdout).toContain('final:');
    const json = await run(['run', 'backlog-overflow', '--json']);
    const segments = JSON.parse(json.stdout).events.filter((e: { kind: string }) => e.kind === 'segment').length;
    const { document } = parseHTML(readFileSync(path, 'utf8').replace(/^<\?xml[^>]*>\n/, ''));
    const svg = document.querySelector('svg')!;
    expect(svg.getAttribute('xmlns')).toBe('http://www.w3.org/2000/svg');
    expect(svg.querySelectorAll('g.arrow').length).toBe(segments);
    expect([...svg.querySelectorAll('text.lane-title')].map((t) => t.textContent)).toEqual(['client1', 'client2', 'client3', 'client4', 'server']);
    expect(svg.getAttribute('class')).toBe('synack-diagram theme-light');
  });

  it('--html writes one self-contained page: inline CSS, no script, a CSP that fetches nothing, the event list', async () => {
    const path = join(dir, 'hs.html');
    expect((await run(['run', 'three-way-handshake', '--html', path, '--theme', 'dark'])).code).toBe(0);
    const text = readFileSync(path, 'utf8');
    const { document } = parseHTML(text);
    expect(document.querySelectorAll('script').length).toBe(0);
    expect(document.querySelector('meta[http-equiv="Content-Security-Policy"]')!.getAttribute('content')).toContain("default-src 'none'");
    expect(text).not.toMatch(/(?:src|href)=["']?https?:/);
    expect(document.querySelector('svg')!.getAttribute('class')).toBe('synack-diagram theme-dark');
    const rows = [...document.querySelectorAll('table tr')].slice(1).map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent));
    expect(rows.some((r) => r[2]?.startsWith('[SYN] seq=0 win=64240 <mss=1460 sackOK TS wscale=10>, arrives'))).toBe(true);
    expect(rows.some((r) => r[2] === 'SYN_SENT -> ESTABLISHED (RCV_SYN_ACK)')).toBe(true);
  });

  it('--mermaid prints a Mermaid sequenceDiagram instead of the ladder', async () => {
    const { code, stdout } = await run(['run', 'lost-syn', '--mermaid']);
    expect(code).toBe(0);
    expect(stdout.split('\n')[0]).toBe('sequenceDiagram');
    expect(stdout).not.toContain('final:');
    expect(stdout).toMatch(/-x/);
  });

  it('rejects a bad theme, a theme without a picture, --json with --mermaid, and an unwritable file, one line each', async () => {
    const bad = await run(['run', 'echo', '--svg', join(dir, 'x.svg'), '--theme', 'neon']);
    expect([bad.code, bad.stderr]).toEqual([2, 'synack: unknown theme "neon"; the themes are: light, dark, auto\n']);
    const alone = await run(['run', 'echo', '--theme', 'dark']);
    expect([alone.code, alone.stderr]).toEqual([2, 'synack: --theme applies to --svg and --html only\n']);
    const both = await run(['run', 'echo', '--json', '--mermaid']);
    expect([both.code, both.stderr]).toEqual([2, 'synack: --json and --mermaid both print the run: choose one\n']);
    const nowhere = await run(['run', 'echo', '--svg', join(dir, 'no', 'such', 'dir.svg')]);
    expect(nowhere.code).toBe(2);
    expect(nowhere.stderr).toMatch(/^synack: cannot write .*dir\.svg: ENOENT\n$/);
  });
});
