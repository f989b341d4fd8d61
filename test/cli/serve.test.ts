// synack serve: what it sends for the files of the build, which requests it refuses, and its one-line errors
// (issue 9, "synack serve").
import { describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { UsageError } from '../../src/cli/errors.js';
import { serve, serveOptions, WEB_DIR } from '../../src/cli/serve.js';
import { listenError, startServer } from '../../src/cli/static-server.js';
import { capture } from './fake-registry.js';
import { APP_JS, INDEX_HTML, servedFixture } from './serve-fixture.js';
import { rawRequest } from './raw-http.js';

const CSP =
  "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; connect-src 'self'; " +
  "font-src 'self'; object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

const served = servedFixture();

function expectSecurityHeaders(headers: Headers | Record<string, string>): void {
  const get = (name: string) => (headers instanceof Headers ? headers.get(name) : headers[name]);
  expect(get('content-security-policy')).toBe(CSP);
  expect(get('x-content-type-options')).toBe('nosniff');
  expect(get('referrer-policy')).toBe('no-referrer');
  expect(get('cross-origin-opener-policy')).toBe('same-origin');
}

describe('synack serve: responses', () => {
  it('serves index.html for / with the strict CSP, nosniff and no-cache', async () => {
    const res = await fetch(served.server().url);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(res.headers.get('cache-control')).toBe('no-cache');
    expectSecurityHeaders(res.headers);
    expect(await res.text()).toBe(INDEX_HTML);
  });

  it('allows no inline script, no eval', () => {
    expect(CSP).not.toMatch(/unsafe-inline|unsafe-eval/);
  });

  it('serves a script as text/javascript, and unknown types as plain bytes', async () => {
    const js = await fetch(new URL('assets/app.js', served.server().url));
    expect(js.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(await js.text()).toBe(APP_JS);
    const bin = await fetch(new URL('assets/data.bin', served.server().url));
    expect(bin.headers.get('content-type')).toBe('application/octet-stream');
  });

  it('answers 404 for a missing file, with the security headers', async () => {
    const res = await fetch(new URL('assets/missing.js', served.server().url));
    expect(res.status).toBe(404);
    expectSecurityHeaders(res.headers);
  });

  it.each(['POST', 'PUT', 'DELETE', 'OPTIONS'])('answers %s with 405 and Allow: GET, HEAD', async (method) => {
    const res = await rawRequest(served.server().url, method, '/index.html');
    expect(res.status).toBe(405);
    expect(res.headers.allow).toBe('GET, HEAD');
    expectSecurityHeaders(res.headers);
  });

  it('answers HEAD with the headers of GET and no body', async () => {
    const res = await rawRequest(served.server().url, 'HEAD', '/assets/app.js');
    expect(res.status).toBe(200);
    expect(res.headers['content-length']).toBe(String(Buffer.byteLength(APP_JS)));
    expect(res.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(res.body).toBe('');
  });

  it('ignores the query string', async () => {
    const res = await fetch(new URL('assets/app.js?v=1', served.server().url));
    expect(await res.text()).toBe(APP_JS);
  });
});

describe('synack serve: options', () => {
  it('binds 127.0.0.1 port 8470 and serves dist/web/ unless told otherwise', () => {
    expect(serveOptions({})).toEqual({ dir: WEB_DIR, port: 8470, host: '127.0.0.1' });
    expect(WEB_DIR.replaceAll('\\', '/')).toMatch(/\/dist\/web\/$/);
  });

  it('listens on 127.0.0.1 by default, prints one line with the URL, and closes when stopped', async () => {
    let stdout = '';
    let stderr = '';
    let stop = () => {};
    const stopped = new Promise<void>((resolve) => (stop = resolve));
    const running = serve({ port: '0', dir: served.fixture().root }, { stdout: (s) => (stdout += s), stderr: (s) => (stderr += s) }, () => stopped);
    await expect.poll(() => stdout).not.toBe('');
    expect(stdout).toMatch(/^synack serve: http:\/\/127\.0\.0\.1:\d+\/ \(Ctrl-C to stop\)\n$/);
    expect(stderr).toBe('');
    const url = /http:\S+/.exec(stdout)![0];
    expect((await fetch(url)).status).toBe(200);
    stop();
    await running;
    await expect(fetch(url)).rejects.toThrow();
  });

  it('warns in one line when bound to an address other than loopback', async () => {
    let stderr = '';
    await serve({ port: '0', host: '0.0.0.0', dir: served.fixture().root }, { stdout: () => {}, stderr: (s) => (stderr += s) }, async () => {});
    expect(stderr).toBe('synack serve: warning: listening on 0.0.0.0: the app is reachable from the network\n');
  });

  it.each(['abc', '-1', '65536', '80.5', '1e3', ''])('refuses --port %j in one line', async (port) => {
    const { code, stdout, stderr } = await capture(['serve', `--port=${port}`, '--dir', served.fixture().root]);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toBe(`synack: bad port "${port}": expected an integer from 0 to 65535 (0: any free port)\n`);
  });

  it('prints its usage for synack serve --help and synack help serve', async () => {
    for (const argv of [['serve', '--help'], ['serve', '-h'], ['help', 'serve']]) {
      const { code, stdout, stderr } = await capture(argv);
      expect(code).toBe(0);
      expect(stderr).toBe('');
      expect(stdout).toContain('Usage: synack serve [options]');
      expect(stdout).toContain('--port N');
    }
    expect((await capture(['--help'])).stdout).toContain('synack serve');
  });
});

describe('synack serve: errors', () => {
  it('reports a busy port as a UsageError in one line', async () => {
    const port = Number(new URL(served.server().url).port);
    const second = startServer({ dir: served.fixture().root, port, host: '127.0.0.1' });
    await expect(second).rejects.toThrow(UsageError);
    await expect(second).rejects.toThrow(new RegExp(`^port ${port} is in use; pick another with --port$`));
    const { code, stderr } = await capture(['serve', '--port', String(port), '--dir', served.fixture().root]);
    expect(code).toBe(2);
    expect(stderr).toBe(`synack: port ${port} is in use; pick another with --port\n`);
  });

  it('reports a missing build in one line: no directory, or no index.html in it', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'synack-serve-empty-'));
    try {
      for (const dir of [join(empty, 'missing'), empty]) {
        const { code, stdout, stderr } = await capture(['serve', '--port', '0', '--dir', dir]);
        expect(code).toBe(2);
        expect(stdout).toBe('');
        expect(stderr).toBe(`synack: no built web app in ${dir}: run "npm run build:web" (or "npm start")\n`);
      }
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  });

  it('turns EACCES into one line naming the port (root can bind port 80, so this maps a made-up error)', () => {
    const err = Object.assign(new Error('listen EACCES'), { code: 'EACCES' });
    const mapped = listenError(err, { dir: '.', port: 80, host: '127.0.0.1' });
    expect(mapped).toBeInstanceOf(UsageError);
    expect(mapped.message).toBe('no permission to listen on 127.0.0.1 port 80; pick a port above 1023 with --port');
  });

  it('reports an address this machine does not have in one line', async () => {
    const { code, stderr } = await capture(['serve', '--port', '0', '--host', '192.0.2.1', '--dir', served.fixture().root]);
    expect(code).toBe(2);
    expect(stderr).toBe('synack: cannot listen on 192.0.2.1: not an address of this machine; pick another with --host\n');
  });
});
