// The HTTP server of `synack serve`: GET and HEAD of the files in one directory (the built web app), with a
// strict Content-Security-Policy on every response. Errors the user can fix (a busy port, no build) are
// UsageErrors with one line each.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { readFile, realpath, stat } from 'node:fs/promises';
import { isIP } from 'node:net';
import { join, sep } from 'node:path';
import { UsageError } from './errors.js';
import { checkTarget, contentTypeOf } from './static-path.js';

/** No inline script or style, no eval; d3 setting element.style (CSSOM) is not covered by style-src. */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data: blob:",
  "connect-src 'self'",
  "font-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

const SECURITY_HEADERS = {
  'Content-Security-Policy': CONTENT_SECURITY_POLICY,
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'Cross-Origin-Opener-Policy': 'same-origin',
  // The app is rebuilt in place under the same names (index.html): always revalidate.
  'Cache-Control': 'no-cache',
};

export interface ServeOptions {
  dir: string;
  port: number;
  host: string;
}

export interface RunningServer {
  /** e.g. http://127.0.0.1:8470/ */
  url: string;
  close(): Promise<void>;
}

function noBuild(dir: string): UsageError {
  return new UsageError(`no built web app in ${dir}: run "npm run build:web" (or "npm start")`);
}

async function realRootOf(dir: string): Promise<string> {
  try {
    const root = await realpath(dir);
    if (!(await stat(join(root, 'index.html'))).isFile()) throw noBuild(dir);
    return root;
  } catch (err) {
    if (err instanceof UsageError) throw err;
    throw noBuild(dir);
  }
}

/** The real path of the file a request names, or undefined when there is none inside root. */
async function fileFor(root: string, segments: string[]): Promise<string | undefined> {
  try {
    const real = await realpath(join(root, ...segments));
    // A symlink may lead anywhere: what counts is where it ends.
    if (!real.startsWith(root + sep)) return undefined;
    return (await stat(real)).isFile() ? real : undefined;
  } catch {
    return undefined;
  }
}

function send(req: IncomingMessage, res: ServerResponse, status: number, headers: Record<string, string>, body: Buffer): void {
  res.writeHead(status, { ...SECURITY_HEADERS, ...headers, 'Content-Length': String(body.length) });
  res.end(req.method === 'HEAD' ? undefined : body);
}

function sendError(req: IncomingMessage, res: ServerResponse, status: 400 | 404 | 405 | 500): void {
  const text = { 400: 'Bad Request', 404: 'Not Found', 405: 'Method Not Allowed', 500: 'Internal Server Error' }[status];
  const headers: Record<string, string> = { 'Content-Type': 'text/plain; charset=utf-8' };
  if (status === 405) headers.Allow = 'GET, HEAD'; // RFC 9110 section 15.5.6
  send(req, res, status, headers, Buffer.from(`${status} ${text}\n`));
}

async function handle(root: string, req: IncomingMessage, res: ServerResponse): Promise<void> {
  if (req.method !== 'GET' && req.method !== 'HEAD') return sendError(req, res, 405);
  const target = checkTarget(req.url ?? '');
  if (!target.ok) return sendError(req, res, target.status);
  const file = await fileFor(root, target.segments);
  if (file === undefined) return sendError(req, res, 404);
  const body = await readFile(file);
  send(req, res, 200, { 'Content-Type': contentTypeOf(file) }, body);
}

export function listenError(err: NodeJS.ErrnoException, { port, host }: ServeOptions): Error {
  switch (err.code) {
    case 'EADDRINUSE':
      return new UsageError(`port ${port} is in use; pick another with --port`);
    case 'EACCES':
      return new UsageError(`no permission to listen on ${host} port ${port}; pick a port above 1023 with --port`);
    case 'EADDRNOTAVAIL':
      return new UsageError(`cannot listen on ${host}: not an address of this machine; pick another with --host`);
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return new UsageError(`cannot listen on ${host}: unknown host; pick another with --host`);
    default:
      return err;
  }
}

function urlOf(server: Server): string {
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('the server has no TCP address');
  const host = isIP(address.address) === 6 ? `[${address.address}]` : address.address;
  return `http://${host}:${address.port}/`;
}

/** Serves `dir` on host:port (port 0: any free port) until close() is called. */
export async function startServer(options: ServeOptions): Promise<RunningServer> {
  const root = await realRootOf(options.dir);
  const server = createServer((req, res) => {
    handle(root, req, res).catch(() => {
      if (!res.headersSent) sendError(req, res, 500);
      else res.destroy();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (err) => reject(listenError(err, options)));
    server.listen(options.port, options.host, () => resolve());
  });
  return {
    url: urlOf(server),
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections(); // keep-alive connections would hold close() open
      }),
  };
}

/** 127.0.0.0/8, ::1 and localhost: reachable from this machine only. */
export function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\.\d+\.\d+\.\d+$/.test(host);
}
