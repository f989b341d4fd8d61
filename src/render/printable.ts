// Output safety (issue 10): a user's string (a note, a host name, a program name, a file path in an error) never
// reaches a terminal, or an SVG/HTML/Mermaid picture, with a character that does something instead of showing
// something. Control characters (C0, DEL, C1: Unicode Cc), format characters (Cf: bidi overrides and isolates,
// zero-width marks, tag characters), line and paragraph separators (Zl, Zp) and lone surrogates are shown as
// escapes, the way Python's repr() shows them: "\x1b", "\u202e". C0 uses \xHH (\t, \n, \r as such); everything
// else \uHHHH (UTF-16 units), which is also a valid escape inside a JSON string, so the same filter can stand at
// the CLI's output boundary without changing the meaning of --json output.

/** Every code point (or lone surrogate) that is not shown as itself. */
const UNSAFE = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]|\p{Cs}/gu;
/** The same, except newline: for whole texts the CLI writes line by line. */
const UNSAFE_BUT_NEWLINE = /(?!\n)[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]|\p{Cs}/gu;

const SHORT: Record<string, string> = { '\t': '\\t', '\n': '\\n', '\r': '\\r' };

function escapeOne(ch: string): string {
  const short = SHORT[ch];
  if (short !== undefined) return short;
  const code = ch.codePointAt(0)!;
  if (code < 0x20) return `\\x${code.toString(16).padStart(2, '0')}`;
  let out = '';
  for (let i = 0; i < ch.length; i++) out += `\\u${ch.charCodeAt(i).toString(16).padStart(4, '0')}`;
  return out;
}

/** A user string made printable: every control or format character, newline included, shown as an escape. */
export function printable(s: string): string {
  UNSAFE.lastIndex = 0;
  return UNSAFE.test(s) ? s.replace(UNSAFE, escapeOne) : s;
}

/** A whole output text made printable, its newlines kept: the last line of defence at the CLI's stdout/stderr. */
export function printableText(s: string): string {
  UNSAFE_BUT_NEWLINE.lastIndex = 0;
  return UNSAFE_BUT_NEWLINE.test(s) ? s.replace(UNSAFE_BUT_NEWLINE, escapeOne) : s;
}

/** True when `s` holds nothing printableText() would escape. */
export function isPrintableText(s: string): boolean {
  UNSAFE_BUT_NEWLINE.lastIndex = 0;
  return !UNSAFE_BUT_NEWLINE.test(s);
}
