// `synack serve`: serves the built web app until SIGINT or SIGTERM. The server itself is static-server.ts.
import { fileURLToPath } from 'node:url';
import { UsageError } from './errors.js';
import { isLoopback, startServer, type ServeOptions } from './static-server.js';

/** Vite's output, dist/web/ at the package root: two levels above src/cli/ (tsx) and dist/cli/ (built). */
export const WEB_DIR = fileURLToPath(new URL('../../dist/web/', import.meta.url));
export const DEFAULT_PORT = 8470;
export const DEFAULT_HOST = '127.0.0.1';

export interface ServeFlags {
  port?: string | undefined;
  host?: string | undefined;
  dir?: string | undefined;
}

export function parsePort(text: string | undefined): number {
  if (text === undefined) return DEFAULT_PORT;
  const port = /^\d+$/.test(text) ? Number(text) : NaN;
  if (!(port <= 65535)) throw new UsageError(`bad port "${text}": expected an integer from 0 to 65535 (0: any free port)`);
  return port;
}

export function serveOptions(flags: ServeFlags): ServeOptions {
  const host = flags.host ?? DEFAULT_HOST;
  if (host === '') throw new UsageError('bad host "": expected an address such as 127.0.0.1');
  return { dir: flags.dir ?? WEB_DIR, port: parsePort(flags.port), host };
}

/** Resolves on the first SIGINT or SIGTERM (and stops listening for both). */
export function untilSignal(): Promise<void> {
  return new Promise((resolve) => {
    const stop = () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}

/** Starts the server, prints its URL, and closes it when `stopped` resolves. */
export async function serve(
  flags: ServeFlags,
  io: { stdout: (s: string) => void; stderr: (s: string) => void },
  stopped: () => Promise<void> = untilSignal,
): Promise<void> {
  const options = serveOptions(flags);
  const server = await startServer(options);
  if (!isLoopback(options.host)) {
    io.stderr(`synack serve: warning: listening on ${options.host}: the app is reachable from the network\n`);
  }
  io.stdout(`synack serve: ${server.url} (Ctrl-C to stop)\n`);
  await stopped();
  await server.close();
}
