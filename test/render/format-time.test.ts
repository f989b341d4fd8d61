import { describe, expect, it } from 'vitest';
import { formatIdle, formatTime } from '../../src/render/format-time.js';

describe('formatTime', () => {
  it('shows milliseconds with microsecond precision below 10 s', () => {
    expect(formatTime(0)).toBe('0.000 ms');
    expect(formatTime(1_500)).toBe('1.500 ms');
    expect(formatTime(1_000_250)).toBe('1000.250 ms');
    expect(formatTime(9_999_999)).toBe('9999.999 ms');
  });

  it('shows seconds from 10 s on', () => {
    expect(formatTime(10_000_000)).toBe('10.000 s');
    expect(formatTime(60_040_000)).toBe('60.040 s');
  });
});

describe('formatIdle', () => {
  it('shows seconds with two decimals from 1 s, milliseconds below', () => {
    expect(formatIdle(59_960_000)).toBe('59.96 s');
    expect(formatIdle(1_000_000)).toBe('1.00 s');
    expect(formatIdle(250_000)).toBe('250.000 ms');
  });
});
