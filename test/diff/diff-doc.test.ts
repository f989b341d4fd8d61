// docs/diff.md shows real output: its sample report is what formatDiff prints for the runs it names.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { traceRecords } from '../../src/replay/to-capture.js';
import { diffNormalised, formatDiff, normalise } from '../../src/diff/index.js';
import { writePcapng } from '../../src/pcap/index.js';
import { packetsFromCapture } from '../../src/replay/from-capture.js';
import { packetsFromTrace } from '../../src/replay/index.js';
import { SCENARIOS } from '../../src/scenarios/index.js';

const doc = readFileSync(new URL('../../docs/diff.md', import.meta.url), 'utf8');
const run = (name: string, seed: number) => SCENARIOS.find((s) => s.name === name)!.run({ profile: 'linux', seed });

describe('docs/diff.md', () => {
  it('the sample report is the real one', async () => {
    const a = normalise(packetsFromTrace(await run('lost-fin', 3)));
    const b = normalise(packetsFromCapture(writePcapng(traceRecords(await run('client-closes-first', 1)))).packets);
    const text = formatDiff(a, b, diffNormalised(a, b), { labels: ['lostfin.json', 'ccf.pcapng'] });
    const sample = /## The report\n[\s\S]*?```\n([\s\S]*?)```/.exec(doc)?.[1];
    expect(sample).toBe(text);
  });

  it('names every divergence field the code has', () => {
    for (const field of ['flags', 'seq', 'ack', 'len', 'options', 'win', 'time', 'missing', 'extra', 'connection']) expect(doc).toContain(`\`${field}\``);
  });
});
