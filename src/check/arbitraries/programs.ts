// Socket programs as a scenario file's `programs:` list writes them: a server that listens and serves
// connections one after another, and clients that connect, talk and close, each a random sequence of
// calls with random timing (program start, sleep steps). Calls that can fail in a lossy run say
// `expect: any`, so a program goes on as a careful one would and the trace shows the errno.
import fc from 'fast-check';
import type { ProgramText, StepText } from '../scenario-text.js';

export interface ProgramOptions {
  /** The server's port (default 80). */
  port?: number;
  /** Clients (default 1..2). */
  maxClients?: number;
  /** Calls after connect/accept on each connection (default 0..5). */
  maxCalls?: number;
}

/** A call on a connected socket `sock`. */
export function arbitraryCall(sock: string): fc.Arbitrary<StepText> {
  return fc.oneof(
    { weight: 3, arbitrary: fc.integer({ min: 1, max: 3000 }).map((n): StepText => ({ sendall: { socket: sock, bytes: n }, expect: 'any' })) },
    { weight: 2, arbitrary: fc.string({ minLength: 1, maxLength: 12, unit: fc.constantFrom(...'abcdefghij') }).map((data): StepText => ({ send: { socket: sock, data }, expect: 'any' })) },
    { weight: 3, arbitrary: fc.integer({ min: 1, max: 4000 }).map((max): StepText => ({ recv: { socket: sock, max }, expect: 'any' })) },
    { weight: 2, arbitrary: fc.integer({ min: 1, max: 300 }).map((n): StepText => ({ sleep: `${n}ms` })) },
    { weight: 1, arbitrary: fc.constant<StepText>({ shutdown: { socket: sock, how: 'SHUT_WR' }, expect: 'any' }) },
  );
}

export function arbitraryCalls(sock: string, options: ProgramOptions = {}): fc.Arbitrary<StepText[]> {
  return fc.array(arbitraryCall(sock), { maxLength: options.maxCalls ?? 5 });
}

/** The server: socket, bind, listen(backlog), then for each client accept, its calls, close; then close. */
export function arbitraryServer(clients: number, options: ProgramOptions = {}): fc.Arbitrary<ProgramText> {
  const port = options.port ?? 80;
  return fc
    .record({ backlog: fc.integer({ min: 0, max: 4 }), delay: fc.integer({ min: 0, max: 200 }), calls: fc.array(arbitraryCalls('conn', options), { minLength: clients, maxLength: clients }) })
    .map(({ backlog, delay, calls }) => ({
      host: 'server',
      name: 'server',
      steps: [
        { socket: 's' },
        { bind: { socket: 's', port } },
        { listen: { socket: 's', backlog } },
        ...(delay > 0 ? [{ sleep: `${delay}ms` }] : []),
        ...calls.flatMap((c) => [{ accept: { socket: 's', as: 'conn' }, expect: 'any' }, ...c, { close: 'conn' }]),
        { close: 's' },
      ],
    }));
}

/** One client: starts at a random time, connects (to the listener, or sometimes to a closed port), calls, closes. */
export function arbitraryClient(index: number, options: ProgramOptions = {}): fc.Arbitrary<ProgramText> {
  const port = options.port ?? 80;
  return fc
    .record({ start: fc.integer({ min: 0, max: 100 }), closedPort: fc.boolean().map((b) => b && index > 1), calls: arbitraryCalls('s', options) })
    .map(({ start, closedPort, calls }) => ({
      host: 'client',
      name: `client ${index}`,
      start: `${start + 1}ms`,
      steps: [
        { socket: 's' },
        { connect: { socket: 's', to: `server:${closedPort ? port + 1 : port}` }, expect: 'any' },
        ...calls,
        { close: 's' },
      ],
    }));
}

/** A server and 1..maxClients clients (on one client host). */
export function arbitraryPrograms(options: ProgramOptions = {}): fc.Arbitrary<ProgramText[]> {
  return fc.integer({ min: 1, max: options.maxClients ?? 2 }).chain((n) =>
    fc.tuple(arbitraryServer(n, options), ...Array.from({ length: n }, (_, i) => arbitraryClient(i + 1, options))).map(([server, ...clients]) => [server, ...clients]),
  );
}
