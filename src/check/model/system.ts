// The real system the model-based commands drive: two hosts in the simulator, a client and a server
// program making the socket calls the commands asked for, in the commands' order. The simulator is
// deterministic, so each command runs the whole sequence again from the start (same seed) and reads
// what its own call returned; the trace of every run is kept for the invariants.
import type { Fault } from '../../sim/faults.js';
import type { LinkConfig } from '../../sim/link.js';
import type { Trace } from '../../sim/trace.js';
import { World } from '../../sim/world.js';
import { program, SHUT_WR, SocketError, type Net, type TcpSocketHandle } from '../../socket/index.js';
import { PROFILES, type ProfileName } from '../../tcp/profile.js';
import type { Side } from './model.js';

export type Action =
  | { side: 'server'; op: 'listen' }
  | { side: 'client'; op: 'connect' }
  | { side: 'server'; op: 'accept' }
  | { side: Side; op: 'send'; bytes: number[] }
  | { side: Side; op: 'recv'; max: number; timeout?: number }
  | { side: Side; op: 'shutdown' };

/** What one call returned: ok or an errno, and the bytes a recv() gave. */
export interface Observation {
  result: string;
  bytes?: number[];
}

export const SERVER = '10.0.0.2';
export const PORT = 80;

export class AppSystem {
  readonly actions: Action[] = [];
  readonly faults: Fault[] = [];
  last: { observations: Observation[]; trace: Trace } | undefined;
  constructor(
    readonly options: { seed: number; profile: ProfileName; link: Partial<LinkConfig> },
  ) {}

  /** Adds the action, runs everything again, and returns what that action observed. */
  async perform(action: Action): Promise<Observation> {
    this.actions.push(action);
    this.last = await this.replay();
    return this.last.observations[this.actions.length - 1] ?? { result: 'never returned' };
  }

  async replay(): Promise<{ observations: Observation[]; trace: Trace }> {
    const world = new World({ seed: this.options.seed, profile: PROFILES[this.options.profile], link: this.options.link, faults: this.faults, until: 600e6, maxEvents: 2_000_000 });
    world.addHost({ name: 'client', address: '10.0.0.1' });
    world.addHost({ name: 'server', address: SERVER });
    const observations: Observation[] = [];
    const turn = { next: 0 };
    for (const side of ['client', 'server'] as const) {
      program(world, side, side, (net) => this.run(net, side, turn, observations));
    }
    const trace = await world.run();
    return { observations, trace };
  }

  private async run(net: Net, side: Side, turn: { next: number }, observations: Observation[]): Promise<void> {
    let listener: TcpSocketHandle | undefined;
    let sock: TcpSocketHandle | undefined;
    for (const [k, action] of this.actions.entries()) {
      if (action.side !== side) continue;
      // Calls happen in the commands' order: wait for the previous call (on either side) to return.
      while (turn.next < k) await net.sleep(0.01);
      try {
        observations[k] = await this.call(net, action, () => listener, (l) => (listener = l), () => sock, (s) => (sock = s));
      } catch (e) {
        if (!(e instanceof SocketError)) throw e;
        observations[k] = { result: e.errno };
      }
      turn.next = k + 1;
    }
  }

  private async call(net: Net, a: Action, listener: () => TcpSocketHandle | undefined, setListener: (s: TcpSocketHandle) => void, sock: () => TcpSocketHandle | undefined, setSock: (s: TcpSocketHandle) => void): Promise<Observation> {
    switch (a.op) {
      case 'listen': {
        const s = net.tcp();
        s.bind(['', PORT]);
        s.listen(1);
        setListener(s);
        return { result: 'ok' };
      }
      case 'connect': {
        const s = net.tcp();
        setSock(s);
        await s.connect([SERVER, PORT]);
        return { result: 'ok' };
      }
      case 'accept': {
        const [conn] = await listener()!.accept();
        setSock(conn);
        return { result: 'ok' };
      }
      case 'send':
        await sock()!.sendall(Uint8Array.from(a.bytes));
        return { result: 'ok' };
      case 'recv': {
        const s = sock()!;
        s.settimeout(a.timeout ?? null);
        const got = await s.recv(a.max);
        return { result: 'ok', bytes: [...got] };
      }
      case 'shutdown':
        sock()!.shutdown(SHUT_WR);
        return { result: 'ok' };
    }
  }
}
