import { describe, expect, it } from 'vitest';
import { shorten, wrapWords } from '../../src/render/wrap.js';

describe('shorten', () => {
  it('keeps text that fits and marks a cut with ...', () => {
    expect(shorten('loss', 4)).toBe('loss');
    expect(shorten('no route to host', 10)).toBe('no rout...');
  });

  it('never cuts a surrogate pair in half (issue 10: a lone surrogate reached the terminal)', () => {
    expect(shorten('ab\u{10000}cdef', 6)).toBe('ab...');
    expect(shorten('a\u{1f600}', 2)).toBe('a');
  });
});

describe('wrapWords', () => {
  it('fills the first line to its own limit and later lines to theirs', () => {
    expect(wrapWords(['aa', 'bb', 'cc', 'dd'], 5, 8)).toEqual(['aa bb', 'cc dd']);
    expect(wrapWords(['aa', 'bb', 'cc', 'dd'], 2, 8)).toEqual(['aa', 'bb cc dd']);
  });

  it('keeps a spaced word whole when it fits, and breaks it at spaces when it does not', () => {
    expect(wrapWords(['x', '(challenge ACK)'], 20, 20)).toEqual(['x (challenge ACK)']);
    expect(wrapWords(['(a long note here)'], 8, 8)).toEqual(['(a long', 'note', 'here)']);
  });

  it('starts on the second line when the first cannot hold the first word', () => {
    expect(wrapWords(['[SYN,ACK]', 'seq=0'], 4, 20)).toEqual(['', '[SYN,ACK] seq=0']);
  });

  it('shortens a word longer than any line', () => {
    expect(wrapWords(['abcdefghijkl'], 6, 6)).toEqual(['abc...']);
  });
});
