// Fitting words into columns.

/** `text` cut to at most `max` characters, ending in "..." when cut. */
export function shorten(text: string, max: number): string {
  if (text.length <= max) return text;
  if (max <= 3) return cut(text, Math.max(0, max));
  return `${cut(text, max - 3)}...`;
}

/** The first `n` UTF-16 units of `text`, one fewer rather than half of a surrogate pair (a lone half is not text). */
function cut(text: string, n: number): string {
  const last = text.charCodeAt(n - 1);
  return text.slice(0, n > 0 && last >= 0xd800 && last <= 0xdbff ? n - 1 : n);
}

/**
 * Greedy word wrap: the first line holds at most `first` characters, later lines at most `rest`.
 * Words are joined by single spaces. A word with spaces in it ("(challenge ACK)") is kept whole when it
 * fits a line, else broken at its spaces; a word still longer than its line is shortened.
 */
export function wrapWords(words: readonly string[], first: number, rest: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of words.flatMap((w) => (w.length > rest ? w.split(' ') : [w]))) {
    const limit = lines.length === 0 ? first : rest;
    if (line === '' && lines.length === 0 && word.length > first && word.length <= rest) {
      lines.push(''); // the first line is too short for this word: start on the next one
      line = word;
    } else if (line === '') {
      line = shorten(word, limit);
    } else if (line.length + 1 + word.length <= limit) {
      line = `${line} ${word}`;
    } else {
      lines.push(line);
      line = shorten(word, rest);
    }
  }
  if (line !== '' || lines.length === 0) lines.push(line);
  return lines;
}
