// The settings form's values checked into the engine's units (web/src/app/settings.ts).
import { describe, expect, it } from 'vitest';
import { parseSettings, runSettings } from '../../../web/src/app/settings.js';

const raw = { profile: 'linux', seed: '1', latency: '', loss: '' };

describe('parseSettings', () => {
  it('empty latency and loss keep the file\'s own', () => {
    expect(parseSettings(raw, {})).toEqual({ settings: { profile: 'linux', seed: 1, knobs: {} } });
  });

  it('milliseconds and percent become microseconds and a probability', () => {
    const got = parseSettings({ ...raw, profile: 'rfc9293', seed: '42', latency: '2.5', loss: '10' }, { tcp_syncookies: 1 });
    if (!('settings' in got)) throw new Error(got.error);
    expect(runSettings(got.settings)).toEqual({ profile: 'rfc9293', seed: 42, latency: 2500, loss: 0.1, knobs: { tcp_syncookies: 1 } });
  });

  const bad: Array<[string, Partial<typeof raw>, RegExp]> = [
    ['a seed that is not a whole number', { seed: '1.5' }, /^seed must be/],
    ['a seed past 2^32-1', { seed: '4294967296' }, /^seed must be/],
    ['a negative latency', { latency: '-1' }, /^latency must be/],
    ['loss above 100 %', { loss: '101' }, /^loss must be/],
    ['an unknown profile', { profile: 'bsd' }, /^profile must be/],
  ];
  for (const [what, change, message] of bad) {
    it(`${what} is a one-line message`, () => {
      const got = parseSettings({ ...raw, ...change }, {});
      expect('error' in got && got.error).toMatch(message);
    });
  }
});
