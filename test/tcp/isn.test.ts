// Initial sequence numbers and TSval offsets (src/tcp/isn.ts): RFC 9293 3.4.1 / RFC 6528, Linux
// secure_tcp_seq and secure_tcp_ts_off.
import { describe, expect, it } from 'vitest';
import { initialSequenceNumber, keyedHash, timestampOffset } from '../../src/tcp/isn.js';
import { LINUX, RFC9293 } from '../../src/tcp/profile.js';
import { seqDiff } from '../../src/wire/seq.js';

const A = { ip: '10.0.0.1', port: 50300 };
const B = { ip: '10.0.0.2', port: 9600 };
const KEY = 0x1234abcd;

describe('initialSequenceNumber', () => {
  // Linux: ktime_get_real_ns() >> 6, 15.625 per microsecond. scripts/kernel/observed/syn_to_time_wait.txt:
  // a reconnection on the same 4-tuple 0.3 s later started 4.9 M above the old RCV.NXT.
  it('linux: the same 4-tuple a second later starts 15 625 000 higher (a 64 ns clock)', () => {
    const a = initialSequenceNumber(LINUX, KEY, A, B, 2_000_000);
    const b = initialSequenceNumber(LINUX, KEY, A, B, 3_000_000);
    expect(seqDiff(b, a)).toBe(15_625_000);
  });

  it('rfc9293: a 4 microsecond clock (RFC 9293 3.4.1): 250 000 per second', () => {
    const a = initialSequenceNumber(RFC9293, KEY, A, B, 0);
    expect(seqDiff(initialSequenceNumber(RFC9293, KEY, A, B, 1_000_000), a)).toBe(250_000);
  });

  it('different 4-tuples or keys start at unrelated places; the clock wraps modulo 2^32', () => {
    const base = initialSequenceNumber(LINUX, KEY, A, B, 0);
    expect(initialSequenceNumber(LINUX, KEY, { ...A, port: 50301 }, B, 0)).not.toBe(base);
    expect(initialSequenceNumber(LINUX, KEY + 1, A, B, 0)).not.toBe(base);
    const late = initialSequenceNumber(LINUX, KEY, A, B, 600_000_000);
    expect(late).toBeGreaterThanOrEqual(0);
    expect(late).toBeLessThan(2 ** 32);
    expect(Number.isInteger(late)).toBe(true);
  });
});

describe('timestampOffset', () => {
  it('one offset per pair of addresses, whatever the ports; another pair gets another', () => {
    expect(timestampOffset(KEY, A.ip, B.ip)).toBe(timestampOffset(KEY, '10.0.0.1', '10.0.0.2'));
    expect(timestampOffset(KEY, A.ip, '10.0.0.3')).not.toBe(timestampOffset(KEY, A.ip, B.ip));
    expect(timestampOffset(KEY, B.ip, A.ip)).not.toBe(timestampOffset(KEY, A.ip, B.ip));
  });
});

describe('keyedHash', () => {
  it('is a 32-bit unsigned integer that depends on key and text', () => {
    const h = keyedHash(1, 'x');
    expect(h).toBe(keyedHash(1, 'x'));
    expect(h).not.toBe(keyedHash(2, 'x'));
    expect(h).not.toBe(keyedHash(1, 'y'));
    expect(h >>> 0).toBe(h);
  });
});
