// Every error the page shows is one line of text (the project's rule for bad input): a multi-line message
// (a scenario file with several problems) is joined, and a long one cut.

const MAX = 400;

export function oneLine(err: unknown): string {
  const raw = err instanceof Error ? err.message : String(err);
  const line = raw
    .split(/\r?\n/)
    .map((s) => s.trim())
    .filter((s) => s.length > 0)
    .join('; ');
  return line.length > MAX ? `${line.slice(0, MAX - 1)}…` : line || 'unknown error';
}
