// The request target -> file mapping of synack serve, without a server: which targets name a file of the
// build, which are refused, and the Content-Type of each kind of file the Vite build writes.
import { describe, expect, it } from 'vitest';
import { checkTarget, contentTypeOf } from '../../src/cli/static-path.js';

describe('checkTarget', () => {
  it('maps / to index.html and a path to its segments, without the query or fragment', () => {
    expect(checkTarget('/')).toEqual({ ok: true, segments: ['index.html'] });
    expect(checkTarget('/?x=1')).toEqual({ ok: true, segments: ['index.html'] });
    expect(checkTarget('/assets/index-Ab12.js?v=2#top')).toEqual({ ok: true, segments: ['assets', 'index-Ab12.js'] });
    expect(checkTarget('/fonts/a%20b.woff2')).toEqual({ ok: true, segments: ['fonts', 'a b.woff2'] });
  });

  it.each(['/../x', '/%2e%2e/x', '/a/%2E%2E/x', '/..%2fx', '/..%5cx', '/a\\b', '/%252e%252e/x', '/x%00', '/%c0%ae', '/%e0%a4%a', 'x', 'http://h/x', '*'])(
    'refuses %j with 400',
    (target) => {
      expect(checkTarget(target)).toEqual({ ok: false, status: 400 });
    },
  );

  it.each(['/assets/', '//x', '/.vite/manifest.json', '/a//b'])('answers %j with 404: no listing, no dot file', (target) => {
    expect(checkTarget(target)).toEqual({ ok: false, status: 404 });
  });
});

describe('contentTypeOf', () => {
  it.each([
    ['index.html', 'text/html; charset=utf-8'],
    ['a.js', 'text/javascript; charset=utf-8'],
    ['a.css', 'text/css; charset=utf-8'],
    ['a.svg', 'image/svg+xml'],
    ['a.png', 'image/png'],
    ['a.json', 'application/json'],
    ['a.wasm', 'application/wasm'],
    ['favicon.ico', 'image/x-icon'],
    ['a.woff2', 'font/woff2'],
    ['a.js.map', 'application/json'],
    ['robots.txt', 'text/plain; charset=utf-8'],
    ['A.PNG', 'image/png'],
    ['a.exe', 'application/octet-stream'],
    ['LICENSE', 'application/octet-stream'],
  ])('%s is %s', (name, type) => {
    expect(contentTypeOf(name)).toBe(type);
  });
});
