// The same workloads on real sockets: node:net over 127.0.0.1, both ends in this process, as synack runs
// both ends in one. Run in a child process by bench/child.ts; every loop is bounded (a count and a deadline).
import { createServer, connect, type Server, type Socket } from 'node:net';

const HOST = '127.0.0.1';
/** As in bench/workloads.ts: one listening port per 20,000 connections (TIME_WAIT holds ports at the client). */
const PER_PORT = 20_000;

function listen(server: Server): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, HOST, () => resolve((server.address() as { port: number }).port));
  });
}

export interface RealLifecycleResult {
  connections: number;
  clientClosed: number;
  serverClosed: number;
  errors: number;
  firstError?: string;
  ms: number;
  /** The deadline came before the last lifecycle was started. */
  stoppedAtDeadline: boolean;
}

/** `n` lifecycles (connect, 100 B each way, the client's FIN first, so TIME_WAIT is at the client), `concurrency` at a time. */
export async function realLifecycle(n: number, concurrency: number, deadlineMs: number): Promise<RealLifecycleResult> {
  const payload = Buffer.alloc(100, 0x61);
  let serverClosed = 0;
  const servers: Server[] = [];
  const ports: number[] = [];
  for (let p = 0; p < Math.ceil(n / PER_PORT); p++) {
    const server = createServer((sock: Socket) => {
      let got = 0;
      sock.on('data', (d) => {
        got += d.length;
        if (got === 100) sock.write(payload);
      });
      sock.on('error', () => {});
      // allowHalfOpen is false: the server's FIN follows the client's.
      sock.on('close', () => serverClosed++);
    });
    servers.push(server);
    ports.push(await listen(server));
  }
  let next = 0;
  let clientClosed = 0;
  let errors = 0;
  let firstError: string | undefined;
  const start = performance.now();
  const end = start + deadlineMs;
  const one = (i: number) =>
    new Promise<void>((resolve) => {
      const s = connect(ports[i % ports.length]!, HOST);
      let got = 0;
      let failed = false;
      s.on('connect', () => s.write(payload));
      s.on('data', (d) => {
        got += d.length;
        if (got === 100) s.end();
      });
      s.on('error', (e) => {
        failed = true;
        errors++;
        firstError ??= e.message;
      });
      s.on('close', () => {
        if (!failed && got === 100) clientClosed++;
        resolve();
      });
    });
  const worker = async () => {
    while (next < n && performance.now() < end) await one(next++);
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, n) }, worker));
  const ms = performance.now() - start;
  // Let the server see its last closes.
  for (let t = 0; t < 100 && serverClosed < clientClosed; t++) await new Promise((r) => setTimeout(r, 10));
  await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
  return { connections: n, clientClosed, serverClosed, errors, ...(firstError ? { firstError } : {}), ms, stoppedAtDeadline: next < n };
}

export interface RealBulkResult {
  bytes: number;
  received: number;
  ms: number;
}

/** One connection sending `bytes` to a sink over loopback; from connect() to the sink's end of stream. */
export async function realBulk(bytes: number): Promise<RealBulkResult> {
  let received = 0;
  let done: () => void = () => {};
  const finished = new Promise<void>((r) => (done = r));
  const server = createServer((sock) => {
    sock.on('data', (d: Buffer) => (received += d.length));
    sock.on('end', () => done());
  });
  const port = await listen(server);
  const chunk = Buffer.alloc(1 << 20);
  const start = performance.now();
  const s = connect(port, HOST);
  await new Promise<void>((r) => s.once('connect', () => r()));
  for (let sent = 0; sent < bytes; sent += chunk.length) {
    const piece = sent + chunk.length <= bytes ? chunk : chunk.subarray(0, bytes - sent);
    if (!s.write(piece)) await new Promise<void>((r) => s.once('drain', () => r()));
  }
  s.end();
  await finished;
  const ms = performance.now() - start;
  s.destroy();
  await new Promise((r) => server.close(r));
  return { bytes, received, ms };
}
