// synack serve never hands out a file outside the built directory, however the path is spelt (issue 9:
// "no path traversal, including encoded .."), and not through a symlink either.
import { describe, expect, it } from 'vitest';
import { APP_JS, SECRET, servedFixture } from './serve-fixture.js';
import { rawRequest } from './raw-http.js';

const served = servedFixture();

describe('synack serve: path traversal', () => {
  it('serves a file of the build to a raw request (the harness reaches the server)', async () => {
    const res = await rawRequest(served.server().url, 'GET', '/assets/app.js');
    expect(res.status).toBe(200);
    expect(res.body).toBe(APP_JS);
  });

  const targets = [
    '/../secret.txt',
    '/assets/../../secret.txt',
    '/assets/../index.html', // ".." is refused even when it stays inside
    '/./index.html',
    '/%2e%2e/secret.txt',
    '/%2E%2E/secret.txt',
    '/.%2e/secret.txt',
    '/%2e./secret.txt',
    '/%2e%2e%2fsecret.txt',
    '/..%2fsecret.txt',
    '/..%2Fsecret.txt',
    '/assets/%2e%2e/%2e%2e/secret.txt',
    '/..%5csecret.txt',
    '/..\\secret.txt',
    '/assets\\..\\..\\secret.txt',
    '/%252e%252e/secret.txt',
    '/%252e%252e%252fsecret.txt',
    '/..%252fsecret.txt',
    '/%c0%ae%c0%ae/secret.txt', // overlong UTF-8 "."
    '/secret.txt%00.html',
    '/index.html%00',
    '/%00',
    '//secret.txt',
    '/%2fsecret.txt',
    '../secret.txt',
    'secret.txt',
    `http://127.0.0.1/../secret.txt`,
    '*',
  ];

  it.each(targets)('GET %s gets 400 or 404 and not the outside file', async (target) => {
    const res = await rawRequest(served.server().url, 'GET', target);
    expect([400, 404]).toContain(res.status);
    expect(res.body).not.toContain(SECRET);
  });

  it('refuses the absolute path of the outside file', async () => {
    const res = await rawRequest(served.server().url, 'GET', `/${served.fixture().base}/secret.txt`);
    expect(res.status).toBe(404);
    expect(res.body).not.toContain(SECRET);
  });

  it.each(['/leak.txt', '/up/secret.txt'])('refuses %s, a symlink leading outside', async (target) => {
    const res = await rawRequest(served.server().url, 'GET', target);
    expect(res.status).toBe(404);
    expect(res.body).not.toContain(SECRET);
  });

  it('serves a symlink that stays inside the build', async () => {
    const res = await rawRequest(served.server().url, 'GET', '/alias.js');
    expect(res.status).toBe(200);
    expect(res.body).toBe(APP_JS);
  });

  it('does not serve dot files', async () => {
    const res = await rawRequest(served.server().url, 'GET', '/.env');
    expect(res.status).toBe(404);
    expect(res.body).not.toContain(SECRET);
  });

  it('lists no directory', async () => {
    for (const target of ['/assets/', '/assets']) {
      const res = await rawRequest(served.server().url, 'GET', target);
      expect(res.status).toBe(404);
      expect(res.body).not.toContain('app.js');
    }
  });
});
