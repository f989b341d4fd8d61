// Runs one host's program: its steps, in order, as socket calls on the simulated host (src/socket).
// An unexpected errno ends the program as an uncaught exception ends a Python script; a step with
// `expect` checks the result instead and the program goes on when it matches.
import { SocketError } from '../../tcp/errno.js';
import type { ProfileName } from '../../tcp/profile.js';
import { SHUT_RD, SHUT_RDWR, SHUT_WR, type Net, type TcpSocketHandle } from '../../socket/index.js';
import type { UdpSocketHandle } from '../../socket/udp-socket.js';
import { RunBudgetError } from '../../sim/world.js';
import { concatBytes } from '../../wire/bytes.js';
import { MAX_ROUNDS } from './limits.js';
import { splitEndpoint } from './semantics.js';
import type { CallStep, ExpectSpec, Outcome, Payload, Step } from './steps.js';

/** A loop may run this many times at most, so a loop that never ends cannot hang a run. */
export const MAX_ITERATIONS = MAX_ROUNDS;
/** recv_message's length prefix: 4 bytes, network byte order (struct.pack("!I", n)). */
const PREFIX_BYTES = 4;

export interface CheckResult {
  /** What was checked, readable: "client: connect(server:80) -> ECONNREFUSED". */
  what: string;
  ok: boolean;
  /** What happened when it was not what was expected. */
  actual?: string;
}

type Handle = TcpSocketHandle | UdpSocketHandle;

/** The sockets and data a program has named, kept after it ends for the scenario's `expect` list. */
export class ProgramState {
  constructor(readonly name: string) {}
  readonly sockets = new Map<string, Handle>();
  readonly data = new Map<string, Uint8Array>();
  /** Bytes received on every socket a name has held. */
  readonly received = new Map<string, Uint8Array[]>();
}

class EndOfFile extends Error {}
class StopProgram extends Error {}

/**
 * The steps every program of one run may execute together (the run budget, limits.ts). Steps that never
 * block run without the simulator's clock moving, so the event budget alone cannot stop them. Past the
 * limit, `stop` is told once (it ends the run) and every program ends at its next step.
 */
export class StepBudget {
  private used = 0;
  private exceeded = false;
  constructor(
    readonly limit: number,
    private readonly stop: (err: RunBudgetError) => void,
  ) {}

  spend(): void {
    if (++this.used <= this.limit) return;
    if (!this.exceeded) {
      this.exceeded = true;
      this.stop(new RunBudgetError('program steps', this.limit));
    }
    throw new StopProgram();
  }
}

export async function runProgram(net: Net, host: string, steps: Step[], profile: ProfileName, state: ProgramState, checks: CheckResult[], budget: StepBudget): Promise<void> {
  const runner = new Runner(net, host, profile, state, checks, budget);
  try {
    await runner.steps(steps, 0);
  } catch (e) {
    if (e instanceof StopProgram) return;
    throw e;
  }
}

class Runner {
  constructor(
    private readonly net: Net,
    private readonly host: string,
    private readonly profile: ProfileName,
    private readonly state: ProgramState,
    private readonly checks: CheckResult[],
    private readonly budget: StepBudget,
  ) {}

  async steps(steps: Step[], loops: number): Promise<void> {
    for (const step of steps) {
      this.budget.spend();
      if (step.at !== undefined) await this.net.sleep(Math.max(0, step.at / 1e6 - this.net.time()));
      if (step.call === 'repeat') await this.repeat(step.steps, step.times, step.until, loops + 1);
      else await this.call(step, loops);
    }
  }

  private async repeat(body: Step[], times: number | undefined, until: 'eof' | 'error' | undefined, loops: number): Promise<void> {
    const limit = times ?? MAX_ITERATIONS;
    for (let i = 0; i < limit; i++) {
      try {
        await this.steps(body, until === 'eof' ? loops : 0);
      } catch (e) {
        if (until === 'eof' && e instanceof EndOfFile) return;
        if (until === 'error' && e instanceof SocketError) return;
        throw e;
      }
    }
    if (until !== undefined) {
      this.checks.push({ what: `${this.host}: repeat until ${until}`, ok: false, actual: `still going after ${MAX_ITERATIONS} rounds; stopped` });
      throw new StopProgram();
    }
  }

  /** One call, its result checked against `expect`. `loops` > 0 inside a repeat-until-eof. */
  private async call(step: CallStep, loops: number): Promise<void> {
    const spec = expected(step.expect, this.profile);
    let result: Outcome = 'ok';
    let eof = false;
    try {
      eof = await this.perform(step);
    } catch (e) {
      if (!(e instanceof SocketError)) throw e;
      result = e.errno;
      if (spec === undefined) throw e; // uncaught: the program ends here (the trace has the errno)
    }
    if (spec !== undefined && spec !== 'any') {
      const ok = spec === result;
      this.checks.push({ what: `${this.host}: ${describeStep(step)} -> ${spec}`, ok, ...(ok ? {} : { actual: result }) });
      if (!ok && result !== 'ok') throw new StopProgram();
    }
    if (eof && loops > 0) throw new EndOfFile();
  }

  /** Makes the call; true when it was a receive that returned end-of-file. */
  private async perform(step: CallStep): Promise<boolean> {
    const net = this.net;
    switch (step.call) {
      case 'socket':
        this.state.sockets.set(step.args.name, net.socket(step.args.type));
        return false;
      case 'sleep':
        await net.sleep(step.args / 1e6);
        return false;
      case 'wait_until':
        await net.sleep(Math.max(0, step.args / 1e6 - net.time()));
        return false;
      case 'setsockopt':
        this.tcp(step.args.socket).setsockopt(step.args.option, step.args.value);
        return false;
      case 'bind':
        this.handle(step.args.socket).bind([step.args.address, step.args.port]);
        return false;
      case 'listen':
        this.tcp(step.args.socket).listen(step.args.backlog);
        return false;
      case 'accept': {
        const [conn] = await this.tcp(step.args.socket).accept();
        this.state.sockets.set(step.args.as, conn);
        return false;
      }
      case 'connect':
        await this.tcp(step.args.socket).connect(address(step.args.to));
        return false;
      case 'connect_ex': {
        const errno = await this.tcp(step.args.socket).connectEx(address(step.args.to));
        if (errno !== 0) throw new SocketError(errno, 'connect_ex');
        return false;
      }
      case 'send':
        await this.tcp(step.args.socket).send(this.bytes(step.args.payload, step.args.framed));
        return false;
      case 'sendall':
        await this.tcp(step.args.socket).sendall(this.bytes(step.args.payload, step.args.framed));
        return false;
      case 'recv': {
        const data = await this.handle(step.args.socket).recv(step.args.max);
        return this.store(step.args.socket, step.args.as, data);
      }
      case 'recvall': {
        const sock = this.tcp(step.args.socket);
        const parts: Uint8Array[] = [];
        for (let chunk = await sock.recv(65536); chunk.length > 0; chunk = await sock.recv(65536)) parts.push(chunk);
        return this.store(step.args.socket, step.args.as, concatBytes(parts));
      }
      case 'recv_message': {
        const sock = this.tcp(step.args.socket);
        const prefix = await recvExactly(sock, PREFIX_BYTES);
        if (prefix.length < PREFIX_BYTES) return this.store(step.args.socket, step.args.as, prefix);
        const length = new DataView(prefix.buffer, prefix.byteOffset).getUint32(0);
        const body = await recvExactly(sock, length);
        this.record(step.args.socket, prefix);
        this.store(step.args.socket, step.args.as, body);
        return false; // a whole message, even an empty one, is not end-of-file
      }
      case 'shutdown':
        this.tcp(step.args.socket).shutdown({ SHUT_RD, SHUT_WR, SHUT_RDWR }[step.args.how]);
        return false;
      case 'close':
        this.handle(step.args.socket).close();
        return false;
      case 'settimeout':
        this.handle(step.args.socket).settimeout(step.args.seconds);
        return false;
      case 'sendto':
        await this.udp(step.args.socket).sendto(this.bytes(step.args.payload, false), address(step.args.to));
        return false;
      case 'recvfrom': {
        const [data] = await this.udp(step.args.socket).recvfrom(step.args.max);
        return this.store(step.args.socket, step.args.as, data);
      }
    }
  }

  /** Keeps received bytes under the socket's name (and `as`); true at end-of-file. */
  private store(socket: string, as: string | undefined, data: Uint8Array): boolean {
    this.record(socket, data);
    if (as !== undefined) this.state.data.set(as, data);
    return data.length === 0;
  }

  private record(socket: string, data: Uint8Array): void {
    const list = this.state.received.get(socket) ?? [];
    list.push(data);
    this.state.received.set(socket, list);
  }

  private bytes(payload: Payload, framed: boolean): Uint8Array {
    const body = 'data' in payload ? new TextEncoder().encode(payload.data) : 'bytes' in payload ? filler(payload.bytes) : this.state.data.get(payload.from)!;
    if (!framed) return body;
    const out = new Uint8Array(PREFIX_BYTES + body.length);
    new DataView(out.buffer).setUint32(0, body.length);
    out.set(body, PREFIX_BYTES);
    return out;
  }

  private handle(name: string): Handle {
    const h = this.state.sockets.get(name);
    if (!h) throw new Error(`socket "${name}" does not exist`); // ruled out when the file is checked
    return h;
  }

  private tcp(name: string): TcpSocketHandle {
    const h = this.handle(name);
    if (!('accept' in h)) throw new SocketError('EOPNOTSUPP', `${name} is a UDP socket`);
    return h;
  }

  private udp(name: string): UdpSocketHandle {
    const h = this.handle(name);
    if (!('recvfrom' in h)) throw new SocketError('EOPNOTSUPP', `${name} is a TCP socket`);
    return h;
  }
}

function expected(spec: ExpectSpec | undefined, profile: ProfileName): Outcome | undefined {
  return typeof spec === 'object' ? spec[profile] : spec;
}

/** "host:port" as the socket API takes it; the schema made sure the port is there. */
function address(endpoint: string): [string, number] {
  const [host, port] = splitEndpoint(endpoint);
  return [host, port!];
}

/** N bytes of readable filler: "abcdefghijklmnopqrstuvwxyz" over and over. */
function filler(n: number): Uint8Array {
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) out[i] = 97 + (i % 26);
  return out;
}

async function recvExactly(sock: TcpSocketHandle, n: number): Promise<Uint8Array> {
  const parts: Uint8Array[] = [];
  let have = 0;
  while (have < n) {
    const chunk = await sock.recv(n - have);
    if (chunk.length === 0) break;
    parts.push(chunk);
    have += chunk.length;
  }
  return concatBytes(parts);
}


export function describeStep(step: CallStep): string {
  const a = step.args as Record<string, unknown>;
  switch (step.call) {
    case 'connect':
    case 'connect_ex':
      return `${step.call}(${String(a.to)})`;
    case 'bind':
      return `bind(${String(a.address) || '*'}:${String(a.port)})`;
    case 'sleep':
    case 'wait_until':
      return `${step.call}(${Number(step.args) / 1e6})`;
    default:
      return `${step.call}(${typeof a.socket === 'string' ? a.socket : typeof a.name === 'string' ? a.name : ''})`;
  }
}
