// A file's JSON parsed once: telling a trace JSON from a scenario parses it (open-file.ts), and so does
// reading the trace (load-run.ts); a 17 MB trace took 100 ms per parse. Keeps the last text and its value.
let last: { text: string; doc: unknown } | undefined;

/** JSON.parse(text), from the last call's result when the text is the same; throws as JSON.parse does. */
export function parseJsonOnce(text: string): unknown {
  if (last?.text === text) return last.doc;
  const doc: unknown = JSON.parse(text);
  last = { text, doc };
  return doc;
}
