// printable(): a user string shown, never obeyed (issue 10): control characters (C0, DEL, C1), format
// characters (bidi overrides, zero-width marks), line separators and lone surrogates become escapes, as
// Python's repr() writes them; everything else, accents and emoji included, stays as it is.
import { describe, expect, it } from 'vitest';
import { isPrintableText, printable, printableText } from '../../src/render/printable.js';

describe('printable', () => {
  it('escapes C0 as \\xHH (tab, newline, carriage return by their short names)', () => {
    expect(printable('a\x1b]0;owned\x07b')).toBe('a\\x1b]0;owned\\x07b');
    expect(printable('\x00\t\n\r')).toBe('\\x00\\t\\n\\r');
  });

  it('escapes DEL, C1 and the bidi, zero-width and separator characters as \\uHHHH', () => {
    expect(printable('\x7f\x85\x9b')).toBe('\\u007f\\u0085\\u009b');
    expect(printable('abc\u202edcba\u2066\u200b\u2028\ufeff')).toBe('abc\\u202edcba\\u2066\\u200b\\u2028\\ufeff');
  });

  it('escapes a lone surrogate and an astral format character (a tag) by their UTF-16 units', () => {
    expect(printable('x\ud800y')).toBe('x\\ud800y');
    expect(printable('\u{e0041}')).toBe('\\udb40\\udc41');
  });

  it('leaves printable text alone, the same string when nothing needs escaping', () => {
    const s = 'café 😀 – 10.0.0.1:80 "x" <b> \\x1b';
    expect(printable(s)).toBe(s);
    expect(isPrintableText(s)).toBe(true);
  });

  it('printableText keeps newlines, escapes the rest', () => {
    expect(printableText('line 1\nline\t2\x1b[2J\n')).toBe('line 1\nline\\t2\\x1b[2J\n');
    expect(isPrintableText('a\nb')).toBe(true);
    expect(isPrintableText('a\rb')).toBe(false);
  });

  it("printableText's escapes of non-C0 characters are JSON's own: a JSON text means the same after it", () => {
    const value = { note: 'a\x85b\u2028c\u202e\ud800\x7f', path: 'C:\\x' };
    const json = JSON.stringify(value, null, 2);
    expect(JSON.parse(printableText(json))).toEqual(value);
    expect(printableText(JSON.stringify({ plain: 'ok\n' }))).toBe(JSON.stringify({ plain: 'ok\n' }));
  });
});
