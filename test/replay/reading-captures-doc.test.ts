// docs/reading-captures.md stays in step with the code: every rule is in its table, and its JSON
// example is what reportJson gives for the capture it describes.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { RULE_IDS } from '../../src/replay/rules/index.js';
import { replayPackets } from '../../src/replay/replay.js';
import { reportJson } from '../../src/replay/to-json.js';
import { Conversation } from './conversation.js';

const doc = readFileSync(new URL('../../docs/reading-captures.md', import.meta.url), 'utf8');

describe('docs/reading-captures.md', () => {
  it('has a table row for every rule, and no row for a rule that does not exist', () => {
    const table = /## Rules[\s\S]*?\n\n(\|[\s\S]*?)\n\n/.exec(doc)?.[1] ?? '';
    const rows = [...table.matchAll(/^\| `([a-z-]+)` \|/gm)].map((m) => m[1]!);
    expect(rows.length).toBeGreaterThan(0);
    expect([...rows].sort()).toEqual([...RULE_IDS].sort());
  });

  it('shows the JSON reportJson gives for its example capture', () => {
    // The example: a handshake, 5 bytes, their ACK, the client's FIN, 4 bytes after it, the close.
    const x = new Conversation({ clientIss: 1000, serverIss: 5000 }).handshake();
    x.c('PSH,ACK', { len: 5 });
    x.s('ACK');
    x.c('FIN,ACK');
    x.c('PSH,ACK', { len: 4 });
    x.s('FIN,ACK');
    x.c('ACK');
    const shown = /## JSON[\s\S]*?```json\n([\s\S]*?)```/.exec(doc)?.[1];
    expect(shown).toBeDefined();
    expect(JSON.parse(shown!)).toEqual(reportJson(replayPackets(x.packets)));
  });
});
