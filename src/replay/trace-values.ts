// The decoders for a trace JSON's text fields, shared by the schema (trace-json.ts) and the readers after it
// (from-trace.ts, to-capture.ts): one decoder each, so the schema accepts exactly what the readers read.
import type { TraceOption } from '../sim/trace.js';
import { parseEndpoint, type Endpoint } from '../wire/address.js';
import { encodeOptions } from '../wire/options.js';
import type { TcpOption } from '../wire/segment.js';

/**
 * Base64 text -> bytes, or undefined when it is not base64. atob is the decoder (WHATWG "forgiving-base64
 * decode": padding optional); it runs in Node and the page alike. The whitespace atob skips is refused: a
 * trace never holds it, and "a b" is more likely damage than a payload.
 */
export function base64Bytes(text: string): Uint8Array | undefined {
  if (base64Length(text) === undefined) return undefined;
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

/**
 * How many bytes base64Bytes would give, without decoding: what atob accepts (WHATWG forgiving-base64 decode,
 * less the whitespace it would skip), by one scan. undefined when it is not base64.
 */
export function base64Length(text: string): number | undefined {
  let n = text.length;
  if (n % 4 === 0 && n > 0 && text.charCodeAt(n - 1) === 61 /* = */) n -= text.charCodeAt(n - 2) === 61 ? 2 : 1;
  if (n % 4 === 1) return undefined;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    const ok = (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || (c >= 48 && c <= 57) || c === 43 || c === 47;
    if (!ok) return undefined;
  }
  return Math.floor((n * 6) / 8);
}

/** Hex text (pairs of digits) -> bytes, or undefined. */
export function hexBytes(text: string): Uint8Array | undefined {
  if (!/^([0-9a-fA-F]{2})*$/.test(text)) return undefined;
  return Uint8Array.from(text.match(/../g) ?? [], (h) => parseInt(h, 16));
}

/** A trace's option as the wire's; `notHex` makes the error for unknown-option data that is not hex. */
export function wireOption(o: TraceOption, notHex: (data: string) => Error): TcpOption {
  switch (o.kind) {
    case 'sack':
      return { kind: 'sack', blocks: o.blocks.map(([l, r]) => [l, r] as const) };
    case 'unknown': {
      const data = hexBytes(o.data);
      if (data === undefined) throw notHex(o.data);
      return { kind: 'unknown', code: o.code, data };
    }
    default:
      return { ...o };
  }
}

/** A segment's or datagram's endpoints and payload checked by the readers' own parsers. */
export interface PacketFields {
  src: string;
  dst: string;
  len: number;
  payload?: string | undefined;
  /** Segments only. */
  options?: TraceOption[];
}

/** Header octets before the payload: IPv4 20 (IPv6's 40 are not in its 16-bit length), TCP 20, UDP 8. */
const IPV4_HEADER = 20;
const TCP_HEADER = 20;
const UDP_HEADER = 8;

/** What the readers would refuse in fields of the right types: the field's name and why, or undefined. */
export function packetFieldIssue(e: PacketFields): { field: string; message: string } | undefined {
  let src: Endpoint;
  let dst: Endpoint;
  try {
    src = parseEndpoint(e.src);
  } catch (err) {
    return { field: 'src', message: (err as Error).message };
  }
  try {
    dst = parseEndpoint(e.dst);
  } catch (err) {
    return { field: 'dst', message: (err as Error).message };
  }
  if (src.ip.includes(':') !== dst.ip.includes(':')) {
    return { field: 'dst', message: `${e.dst} is not of the address family of ${e.src}` };
  }
  if (e.payload !== undefined) {
    const length = base64Length(e.payload);
    if (length === undefined) return { field: 'payload', message: 'not valid base64' };
    // A payload may be shorter than len (a capture cut by snaplen), never longer (replay.ts checkPacket).
    if (length > e.len) return { field: 'len', message: `${e.len} is less than the ${length} payload bytes` };
  }
  // What a capture written from the trace must hold (to-capture.ts): the options as the wire encodes them
  // (src/wire/options.ts, its own errors), and headers plus payload in an IP packet's 16-bit length.
  let header = UDP_HEADER;
  if (e.options !== undefined) {
    try {
      header = TCP_HEADER + encodeOptions(e.options.map((o) => wireOption(o, (d) => new Error(`data "${d}" is not hex`)))).length;
    } catch (err) {
      return { field: 'options', message: (err as Error).message };
    }
  }
  const room = 0xffff - header - (src.ip.includes(':') ? 0 : IPV4_HEADER);
  if (e.len > room) return { field: 'len', message: `${e.len} octets and the headers do not fit in an IP packet (at most ${room} here)` };
  return undefined;
}
