// `synack run --json` writes the trace in pieces: the same bytes as JSON.stringify(value, null, 2), without one
// string of the whole trace (120 MB for 8,000 lifecycles; past V8's longest string, about 512 MB, a single
// JSON.stringify throws). Each array of the top object goes out in batches, each batch stringified natively
// inside a one-key object, so its elements come out already indented as they are in the whole text.

/** A value JSON.stringify leaves out of an object. */
const skipped = (v: unknown) => v === undefined || typeof v === 'function' || typeof v === 'symbol';

/** Stringified by hand only when plain: no toJSON (JSON.stringify calls it with the key it stands under). */
const hasToJson = (v: unknown) => v !== null && typeof v === 'object' && typeof (v as { toJSON?: unknown }).toJSON === 'function';

/** A plain object whose own values have no toJSON either (one returning undefined would drop its key). */
function plainObject(v: unknown): v is Record<string, unknown> {
  if (v === null || typeof v !== 'object' || Array.isArray(v) || hasToJson(v)) return false;
  const proto = Object.getPrototypeOf(v) as unknown;
  return (proto === Object.prototype || proto === null) && !Object.values(v).some(hasToJson);
}

/** JSON.stringify({ [key]: v }, null, 2) without its first `{\n  "key": ` and last `\n}`: `v` as it stands under `key`. */
function member(key: string, v: unknown): string {
  const s = JSON.stringify({ [key]: v }, null, 2);
  return s.slice(`{\n  ${JSON.stringify(key)}: `.length, s.length - '\n}'.length);
}

/** Pieces that joined are JSON.stringify(value, null, 2); the arrays of a plain top object come `batch` elements at a time. */
export function* jsonPieces(value: unknown, batch = 1000): Generator<string> {
  if (!plainObject(value)) {
    yield JSON.stringify(value, null, 2);
    return;
  }
  let first = true;
  for (const key of Object.keys(value)) {
    const v = value[key];
    if (skipped(v)) continue;
    yield `${first ? '{' : ','}\n  ${JSON.stringify(key)}: `;
    first = false;
    if (!Array.isArray(v) || v.length <= batch || v.some(hasToJson)) {
      yield member(key, v);
      continue;
    }
    // Elements sit at the same depth in {key: slice} as in {key: v}: "[\n    " + elements joined by ",\n    " + "\n  ]".
    for (let i = 0; i < v.length; i += batch) {
      const s = member(key, v.slice(i, i + batch));
      // The first batch keeps its "[", the others trade it for ","; only the last keeps its "\n  ]".
      const body = s.slice(i === 0 ? 0 : 1, i + batch >= v.length ? s.length : s.length - '\n  ]'.length);
      yield i === 0 ? body : `,${body}`;
    }
  }
  yield first ? '{}' : '\n}';
}

/** Writes JSON.stringify(value, null, 2) + "\n" through `write`, a piece at a time. */
export function writeJson(value: unknown, write: (s: string) => void): void {
  for (const piece of jsonPieces(value)) write(piece);
  write('\n');
}
