// Mapping a request target to a file of the served directory, refusing anything that could name a file outside
// it. The target is checked as sent (RFC 9112 section 3.2: origin-form starts with "/"), decoded once, and then
// checked again, so encoded forms of ".." or of a separator (%2e%2e, %2f, %5c, double encoding) never pass.

export type TargetCheck = { ok: true; segments: string[] } | { ok: false; status: 400 | 404 };

const BAD = { ok: false, status: 400 } as const;
const NOT_FOUND = { ok: false, status: 404 } as const;

/** The path segments of `target` below the served root; "/" is index.html. */
export function checkTarget(target: string): TargetCheck {
  if (!target.startsWith('/')) return BAD; // absolute-form, authority-form, "*", or a relative path
  const path = target.replace(/[?#].*$/s, '');
  if (/[\\\0]/.test(path)) return BAD;
  let decoded: string;
  try {
    decoded = decodeURIComponent(path);
  } catch {
    return BAD; // malformed or overlong UTF-8 (%c0%ae)
  }
  // After one decoding there is nothing left to decode in a file name the build writes: a "%" here is double
  // encoding, a backslash or NUL an encoded one.
  if (/[%\\\0]/.test(decoded)) return BAD;
  if (decoded === '/') return { ok: true, segments: ['index.html'] };
  const segments = decoded.slice(1).split('/');
  if (segments.some((s) => s === '..' || s === '.')) return BAD;
  // No directory listing (a trailing "/"), no empty segments ("//"), no dot files.
  if (segments.some((s) => s === '' || s.startsWith('.'))) return NOT_FOUND;
  return { ok: true, segments };
}

const TYPES: Record<string, string> = {
  html: 'text/html; charset=utf-8',
  js: 'text/javascript; charset=utf-8',
  mjs: 'text/javascript; charset=utf-8',
  css: 'text/css; charset=utf-8',
  svg: 'image/svg+xml',
  png: 'image/png',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  gif: 'image/gif',
  webp: 'image/webp',
  ico: 'image/x-icon',
  json: 'application/json',
  map: 'application/json',
  wasm: 'application/wasm',
  woff: 'font/woff',
  woff2: 'font/woff2',
  txt: 'text/plain; charset=utf-8',
  pcap: 'application/vnd.tcpdump.pcap',
  yaml: 'text/plain; charset=utf-8',
};

/** The Content-Type of a file by its extension; unknown ones are plain bytes. */
export function contentTypeOf(name: string): string {
  const dot = name.lastIndexOf('.');
  const ext = dot < 0 ? '' : name.slice(dot + 1).toLowerCase();
  return Object.hasOwn(TYPES, ext) ? TYPES[ext]! : 'application/octet-stream';
}
