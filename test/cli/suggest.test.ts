import { describe, expect, it } from 'vitest';
import { closeMatches, editDistance } from '../../src/cli/suggest.js';

describe('editDistance', () => {
  it('counts insertions, deletions and substitutions', () => {
    expect(editDistance('kitten', 'sitting')).toBe(3);
    expect(editDistance('', 'abc')).toBe(3);
    expect(editDistance('same', 'same')).toBe(0);
  });

  it('counts swapping two neighbours as one edit', () => {
    expect(editDistance('lsit', 'list')).toBe(1);
  });
});

describe('closeMatches', () => {
  const names = ['three-way-handshake', 'simultaneous-open', 'syn-flood', 'syn-flood-cookies', 'time-wait'];

  it('finds typos, closest first', () => {
    expect(closeMatches('syn-flod', names)).toEqual(['syn-flood']);
    expect(closeMatches('flood', names)).toEqual(['syn-flood', 'syn-flood-cookies']);
    expect(closeMatches('tiem-wait', names)).toEqual(['time-wait']);
  });

  it('finds names containing what was typed', () => {
    expect(closeMatches('handshake', names)).toEqual(['three-way-handshake']);
  });

  it('ignores case', () => {
    expect(closeMatches('TIME-WAIT', names)).toEqual(['time-wait']);
  });

  it('finds nothing for an unrelated name', () => {
    expect(closeMatches('quantum', names)).toEqual([]);
  });
});
