// `synack run --json` writes the trace in pieces: the same bytes as JSON.stringify(value, null, 2), without one
// string of the whole trace (120 MB for 8,000 lifecycles; past V8's longest string, about 512 MB, a single
// JSON.stringify throws). Each array of the top object goes out in batches, each batch stringified natively
// inside a one-key object, so its elements come out already indented as they are in the whole text. A piece of
// plain ASCII (nearly all of a trace) goes out as bytes, without the output boundary's scan (src/cli/main.ts).

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

/** JSON.stringify({ [key]: v }, null, 2): `v` as it stands under `key`, after its first `{\n  "key": ` and before its last `\n}`. */
function wrapped(key: string, v: unknown): string {
  return JSON.stringify({ [key]: v }, null, 2);
}

const head = (key: string) => `{\n  ${JSON.stringify(key)}: `.length;

/** `v` as it stands under `key`. */
function member(key: string, v: unknown): string {
  const s = wrapped(key, v);
  return s.slice(head(key), s.length - '\n}'.length);
}

/**
 * A piece of the output: text[start, end), with its first character (a batch's "[") written as "," when `comma`.
 * Kept as the whole native string so that bytes can be taken from it without first copying a slice.
 */
interface Piece {
  text: string;
  start: number;
  end: number;
  comma: boolean;
}

const whole = (text: string): Piece => ({ text, start: 0, end: text.length, comma: false });

const sliced = ({ text, start, end, comma }: Piece) => (comma ? `,${text.slice(start + 1, end)}` : start === 0 && end === text.length ? text : text.slice(start, end));

function* pieces(value: unknown, batch: number): Generator<Piece> {
  if (!plainObject(value)) {
    yield whole(JSON.stringify(value, null, 2));
    return;
  }
  let first = true;
  for (const key of Object.keys(value)) {
    const v = value[key];
    if (skipped(v)) continue;
    yield whole(`${first ? '{' : ','}\n  ${JSON.stringify(key)}: `);
    first = false;
    if (!Array.isArray(v) || v.length <= batch || v.some(hasToJson)) {
      yield whole(member(key, v));
      continue;
    }
    // Elements sit at the same depth in {key: slice} as in {key: v}: "[\n    " + elements joined by ",\n    " + "\n  ]".
    for (let i = 0; i < v.length; i += batch) {
      const text = wrapped(key, v.slice(i, i + batch));
      // The first batch keeps its "[", the others trade it for ","; only the last keeps its "\n  ]".
      const end = text.length - '\n}'.length - (i + batch >= v.length ? 0 : '\n  ]'.length);
      yield { text, start: head(key), end, comma: i > 0 };
    }
  }
  yield whole(first ? '{}' : '\n}');
}

/** Pieces that joined are JSON.stringify(value, null, 2); the arrays of a plain top object come `batch` elements at a time. */
export function* jsonPieces(value: unknown, batch = 1000): Generator<string> {
  for (const piece of pieces(value, batch)) yield sliced(piece);
}

declare const PRINTABLE: unique symbol;
/** UTF-8 bytes of a text that holds no character printableText() would escape (src/render/printable.ts, issue 10). */
export type PrintableBytes = Uint8Array & { readonly [PRINTABLE]: true };

/**
 * Whether the piece's text is printable ASCII, which needs no scan for control characters: a character past ASCII
 * takes two or more bytes in UTF-8 (so the byte count would exceed the length); JSON.stringify escapes every code
 * unit below 0x20 in a string (ECMA-262, QuoteJSONString) and puts only newlines and spaces between values, so the
 * one control character left to look for is DEL (0x7f).
 */
const printableAscii = ({ text }: Piece) => Buffer.byteLength(text, 'utf8') === text.length && text.indexOf('\x7f') === -1;

/** The bytes of a printable ASCII piece, copied into `buf` (as long as its text at least). */
function bytesOf({ text, start, end, comma }: Piece, buf: Buffer): PrintableBytes {
  buf.write(text, 0, 'latin1'); // ASCII: the same bytes as UTF-8, copied as they are
  if (comma) buf[start] = 0x2c; // ","
  return buf.subarray(start, end) as Uint8Array as PrintableBytes;
}

/** Where writeJson writes: text (to be made printable by the CLI's boundary), and, when it can, printable bytes as they are. */
export interface JsonOut {
  text: (s: string) => void;
  /** Returns true when it is done with the bytes (written, not queued), so that their buffer can be filled again. */
  bytes?: ((b: PrintableBytes) => boolean) | undefined;
  /** For a writer that may fall behind: a promise to wait for before the next piece, or undefined (writeJsonPaced). */
  room?: (() => Promise<void> | undefined) | undefined;
}

/**
 * Writes JSON.stringify(value, null, 2) + "\n", a piece at a time. A piece of plain ASCII goes out as its bytes,
 * skipping the boundary's scan of the whole text (for 8,000 lifecycles, 120 MB), through one buffer filled again
 * each time the writer is done with it (a file; a new buffer per piece cost about 4 % more of the writing); any
 * other piece goes out as text, which the boundary escapes as it escapes everything else.
 */
export function writeJson(value: unknown, out: JsonOut | ((s: string) => void), batch = 1000): void {
  for (const _ of writeSteps(value, out, batch));
}

/**
 * writeJson for a writer that may fall behind (stdout on a pipe to a slow reader): after each piece, `room()`
 * returns a promise to wait for while the writer holds too much not yet written (else undefined), so the
 * output is never held whole in memory.
 */
export async function writeJsonPaced(value: unknown, out: JsonOut, room: () => Promise<void> | undefined, batch = 1000): Promise<void> {
  for (const _ of writeSteps(value, out, batch)) {
    const wait = room();
    if (wait !== undefined) await wait;
  }
}

/** The writing of writeJson, one step per piece written. */
function* writeSteps(value: unknown, out: JsonOut | ((s: string) => void), batch: number): Generator<void> {
  const { text: write, bytes } = typeof out === 'function' ? { text: out, bytes: undefined } : out;
  let scratch: Buffer | undefined;
  for (const piece of pieces(value, batch)) {
    if (!bytes || !printableAscii(piece)) {
      write(sliced(piece));
      yield;
      continue;
    }
    const n = piece.text.length;
    // allocUnsafeSlow: a buffer of its own, never a slice of Node's shared pool, so it can be filled again.
    const buf = scratch !== undefined && scratch.length >= n ? scratch : Buffer.allocUnsafeSlow(Math.max(n, 2 * (scratch?.length ?? 0)));
    scratch = bytes(bytesOf(piece, buf)) ? buf : undefined; // still in use: the next piece gets a buffer of its own
    yield;
  }
  write('\n');
}
