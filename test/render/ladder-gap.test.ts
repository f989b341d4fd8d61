import { describe, expect, it } from 'vitest';
import { renderLadder } from '../../src/render/ladder.js';
import { lineWith, makeTrace, segment, state } from './trace-builders.js';

const C = '10.0.0.1:40000';
const S = '10.0.0.2:80';
// The client's last ACK of a close arrives at 40 ms; TIME_WAIT ends 60 s after it began, at 60.000 s.
const timeWait = makeTrace([
  segment(39_000, S, C, ['FIN', 'ACK'], 5001, 1002),
  state(39_500, 'client', 1, C, 'FIN_WAIT_2', 'TIME_WAIT', S),
  segment(39_500, C, S, ['ACK'], 1002, 5002),
  state(40_000, 'server', 2, S, 'LAST_ACK', 'CLOSED', C),
  state(60_000_000, 'client', 1, C, 'TIME_WAIT', 'CLOSED', S),
]);

describe('long idle gaps', () => {
  const ladder = renderLadder(timeWait);
  const lines = ladder.split('\n');

  it('compresses 59.96 s of TIME_WAIT into one marker line', () => {
    const marker = lines.findIndex((l) => l.includes('~ 59.96 s later ~'));
    expect(marker).toBeGreaterThan(lines.indexOf(lineWith(ladder, 'TIME_WAIT')));
    expect(marker).toBe(lines.findIndex((l) => l.includes(' CLOSED') && l.includes('60.000 s')) - 1);
    expect(lines.length).toBeLessThan(12);
  });

  it('draws no marker where nothing was idle for long', () => {
    expect(lines.filter((l) => l.includes('later'))).toHaveLength(1);
  });

  it('counts idle time from the last arrival, not the last send', () => {
    const slow = makeTrace([
      segment(0, C, S, ['SYN'], 1, 0, { arrival: 2_000_000 }),
      state(2_100_000, 'server', 1, S, 'LISTEN', 'SYN_RECEIVED', C),
    ]);
    expect(renderLadder(slow)).not.toContain('later');
  });

  it('takes the threshold from the gap option', () => {
    const delayedAck = makeTrace([
      segment(0, C, S, ['PSH', 'ACK'], 1, 1, { len: 5 }),
      segment(100_500, S, C, ['ACK'], 1, 6),
    ]);
    expect(renderLadder(delayedAck)).not.toContain('later');
    const ladder = renderLadder(delayedAck, { gap: 50_000 });
    expect(ladder).toContain('~ 100.000 ms later ~');
  });
});
