// IP addresses and endpoints as text: IPv4 dotted quads, IPv6 (RFC 4291 2.2 to parse, RFC 5952 to print),
// and "addr:port" / "[addr]:port" endpoint strings.
import { AddressError } from './errors.js';

function badAddress(text: string, why: string): AddressError {
  return new AddressError(`invalid IP address "${text}": ${why}`);
}

/**
 * True for a valid IPv4 dotted quad: four decimal parts 0..255 without leading zeros. A scan that neither
 * allocates nor throws (a host name such as "server" is asked about on every connect()).
 */
export function isIPv4(text: string): boolean {
  const n = text.length;
  let i = 0;
  for (let part = 0; part < 4; part++) {
    if (part > 0) {
      if (i >= n || text.charCodeAt(i) !== 46 /* . */) return false;
      i++;
    }
    const start = i;
    let value = 0;
    while (i < n) {
      const c = text.charCodeAt(i);
      if (c < 48 || c > 57) break;
      value = value * 10 + (c - 48);
      i++;
      if (i - start > 3) return false;
    }
    const digits = i - start;
    if (digits === 0 || value > 255) return false;
    if (digits > 1 && text.charCodeAt(start) === 48) return false; // "010": some parsers read octal
  }
  return i === n;
}

/** "10.0.0.1" -> 4 bytes. Leading zeros ("010") are rejected: some parsers read them as octal. */
export function parseIPv4(text: string): Uint8Array {
  if (isIPv4(text)) {
    const bytes = new Uint8Array(4);
    let b = 0;
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c === 46) b++;
      else bytes[b] = (bytes[b] as number) * 10 + (c - 48);
    }
    return bytes;
  }
  throw badIPv4(text);
}

/** Why `text` is not a dotted quad (only called for a text isIPv4 rejects). */
function badIPv4(text: string): AddressError {
  const parts = text.split('.');
  if (parts.length !== 4) return badAddress(text, 'an IPv4 address has four dot-separated parts');
  for (const part of parts) {
    if (!/^(0|[1-9][0-9]{0,2})$/.test(part)) return badAddress(text, `"${part}" is not a decimal number without leading zeros`);
    const n = Number(part);
    if (n > 255) return badAddress(text, `${n} is more than 255`);
  }
  return badAddress(text, 'not a dotted quad');
}

export function formatIPv4(bytes: Uint8Array): string {
  if (bytes.length !== 4) throw new AddressError(`an IPv4 address is 4 bytes, got ${bytes.length}`);
  return `${bytes[0] as number}.${bytes[1] as number}.${bytes[2] as number}.${bytes[3] as number}`;
}

/** The 16-bit groups of one side of an IPv6 address; a dotted IPv4 tail is allowed in the last group. */
function parseGroups(part: string, text: string, allowIPv4Tail: boolean): number[] {
  if (part === '') return [];
  const items = part.split(':');
  const words: number[] = [];
  items.forEach((item, i) => {
    if (allowIPv4Tail && i === items.length - 1 && item.includes('.')) {
      let v4: Uint8Array;
      try {
        v4 = parseIPv4(item);
      } catch {
        throw badAddress(text, `"${item}" is not a valid embedded IPv4 address`);
      }
      words.push(((v4[0] as number) << 8) | (v4[1] as number), ((v4[2] as number) << 8) | (v4[3] as number));
      return;
    }
    if (!/^[0-9a-fA-F]{1,4}$/.test(item)) {
      throw badAddress(text, item === '' ? 'empty group (stray ":")' : `"${item}" is not 1 to 4 hex digits`);
    }
    words.push(parseInt(item, 16));
  });
  return words;
}

/** "2001:db8::1", "::ffff:10.0.0.1" -> 16 bytes (RFC 4291 2.2). Zone ids ("%eth0") are not supported. */
export function parseIPv6(text: string): Uint8Array {
  if (text.includes('%')) throw badAddress(text, 'zone ids are not supported');
  const halves = text.split('::');
  if (halves.length > 2) throw badAddress(text, '"::" may appear only once');
  let words: number[];
  if (halves.length === 2) {
    const head = parseGroups(halves[0] as string, text, false);
    const tail = parseGroups(halves[1] as string, text, true);
    const missing = 8 - head.length - tail.length;
    if (missing < 1) throw badAddress(text, 'too many groups for "::" to stand for any');
    words = [...head, ...new Array<number>(missing).fill(0), ...tail];
  } else {
    words = parseGroups(text, text, true);
    if (words.length !== 8) throw badAddress(text, `an IPv6 address has 8 groups, got ${words.length}`);
  }
  const bytes = new Uint8Array(16);
  words.forEach((w, i) => {
    bytes[2 * i] = w >>> 8;
    bytes[2 * i + 1] = w & 0xff;
  });
  return bytes;
}

/**
 * RFC 5952 text: lowercase hex without leading zeros (4.1, 4.3); the longest run of two or more zero groups,
 * the first on a tie, becomes "::" (4.2). IPv4-mapped addresses print as ::ffff:a.b.c.d (section 5).
 */
export function formatIPv6(bytes: Uint8Array): string {
  if (bytes.length !== 16) throw new AddressError(`an IPv6 address is 16 bytes, got ${bytes.length}`);
  const words: number[] = [];
  for (let i = 0; i < 16; i += 2) words.push(((bytes[i] as number) << 8) | (bytes[i + 1] as number));
  if (words.slice(0, 5).every((w) => w === 0) && words[5] === 0xffff) {
    return `::ffff:${formatIPv4(bytes.subarray(12))}`;
  }
  let bestStart = -1;
  let bestLen = 1; // a single zero group is never compressed (4.2.2)
  for (let i = 0; i < 8; ) {
    if (words[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && words[j] === 0) j++;
    if (j - i > bestLen) {
      bestStart = i;
      bestLen = j - i;
    }
    i = j;
  }
  const hex = (ws: number[]): string => ws.map((w) => w.toString(16)).join(':');
  if (bestStart < 0) return hex(words);
  return `${hex(words.slice(0, bestStart))}::${hex(words.slice(bestStart + bestLen))}`;
}

/** Either family: a text containing ":" is IPv6. Returns 4 or 16 bytes. */
export function parseAddress(text: string): Uint8Array {
  return text.includes(':') ? parseIPv6(text) : parseIPv4(text);
}

/** Source and destination as bytes of one family (4 each or 16 each); throws AddressError if the families differ. */
export function parseAddressPair(src: string, dst: string): { src: Uint8Array; dst: Uint8Array } {
  const s = parseAddress(src);
  const d = parseAddress(dst);
  if (s.length !== d.length) {
    throw new AddressError(`source ${src} and destination ${dst} are not of the same address family`);
  }
  return { src: s, dst: d };
}

/** 4 bytes -> dotted quad, 16 bytes -> RFC 5952 text. */
export function formatAddress(bytes: Uint8Array): string {
  if (bytes.length === 4) return formatIPv4(bytes);
  if (bytes.length === 16) return formatIPv6(bytes);
  throw new AddressError(`an IP address is 4 or 16 bytes, got ${bytes.length}`);
}

/** The canonical text of an address: "0:0::1" -> "::1", "2001:DB8::1" -> "2001:db8::1". */
export function normalizeAddress(text: string): string {
  // A valid dotted quad is its own canonical text: parseIPv4 takes only what formatIPv4 writes.
  if (isIPv4(text)) return text;
  return formatAddress(parseAddress(text));
}

/**
 * True for a valid IPv6 address literal (without brackets). A text without ":" (a host name, a dotted quad)
 * is answered without parsing; only a text that looks like IPv6 is parsed, and a parse error is its answer.
 */
export function isIPv6(addr: string): boolean {
  if (!addr.includes(':')) return false; // every IPv6 literal has at least one ":" (RFC 4291 2.2)
  try {
    parseIPv6(addr);
    return true;
  } catch {
    return false;
  }
}

export interface Endpoint {
  /** Canonical address text (see normalizeAddress). */
  ip: string;
  port: number;
}

function checkPort(port: number, context: string): void {
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new AddressError(`${context}: port must be an integer in 0..65535, got ${String(port)}`);
  }
}

/** "10.0.0.1:80", or "[::1]:80" for IPv6 (RFC 5952 section 6). The address is printed in canonical form. */
export function formatEndpoint(ip: string, port: number): string {
  checkPort(port, `endpoint ${ip}`);
  if (isIPv4(ip)) return `${ip}:${port}`; // already canonical (see normalizeAddress)
  const canonical = normalizeAddress(ip);
  return canonical.includes(':') ? `[${canonical}]:${port}` : `${canonical}:${port}`;
}

/** Parses "10.0.0.1:80" or "[::1]:80" into a canonical address and a port in 0..65535. */
export function parseEndpoint(text: string): Endpoint {
  const bad = (why: string): AddressError => new AddressError(`invalid endpoint "${text}": ${why}`);
  let host: string;
  let portText: string;
  if (text.startsWith('[')) {
    const close = text.indexOf(']');
    if (close < 0) throw bad('missing "]" after the IPv6 address');
    if (text[close + 1] !== ':') throw bad('expected ":port" after "]"');
    host = text.slice(1, close);
    portText = text.slice(close + 2);
    if (!host.includes(':')) throw bad('brackets are only for IPv6 addresses');
  } else {
    const colon = text.lastIndexOf(':');
    if (colon < 0) throw bad('expected "address:port"');
    host = text.slice(0, colon);
    portText = text.slice(colon + 1);
    if (host.includes(':')) throw bad('an IPv6 endpoint needs brackets, e.g. "[::1]:80"');
  }
  if (!/^[0-9]{1,5}$/.test(portText)) throw bad(`port "${portText}" is not a decimal number`);
  const port = Number(portText);
  if (port > 65535) throw bad(`port ${port} is out of range 0..65535`);
  let ip: string;
  try {
    ip = normalizeAddress(host);
  } catch (e) {
    throw bad((e as Error).message);
  }
  return { ip, port };
}
