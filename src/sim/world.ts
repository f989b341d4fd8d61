// The discrete-event simulator: virtual time in microseconds, one event queue ordered by
// (time, insertion order), hosts joined by links, scripted faults, and programs that make
// socket calls. One seeded PRNG feeds everything, so the same seed and inputs give a
// byte-identical trace. There is no wall clock here: time moves only when the queue pops.
import { flagNames, type Segment } from '../wire/segment.js';
import type { Profile } from '../tcp/profile.js';
import { isLoopback } from '../tcp/ports.js';
import type { StackOutput } from '../tcp/stack.js';
import { EventQueue, type QueueEntry } from './event-queue.js';
import { FaultInjector, type Fault, type FaultStats } from './faults.js';
import { Host } from './host.js';
import { nextMacrotask } from './macrotask.js';
import { Link, validateLinkConfig, type LinkConfig } from './link.js';
import { Prng } from './prng.js';
import { TraceRecorder, type TraceMode } from './recorder.js';
import type { SegmentEvent, Trace } from './trace.js';

/** Delay on a host's own loopback interface. */
const LOOPBACK_LATENCY = 10;

export interface WorldOptions {
  seed: number;
  /** Name shown in the trace. */
  scenario?: string;
  /** Profile for hosts that do not name their own. */
  profile: Profile;
  /** Link settings between every pair of hosts unless `links` overrides a pair. */
  link?: Partial<LinkConfig>;
  /** Per-pair settings; `seed` gives that link its own random stream instead of one forked from the world's. */
  links?: Array<{ between: [string, string]; config: Partial<LinkConfig>; seed?: number }>;
  faults?: Fault[];
  /** Stop the run at this virtual time (microseconds); default 10 minutes. */
  until?: number;
  /** Stop the run with a RunBudgetError after dispatching this many events; default no limit. */
  maxEvents?: number;
  /**
   * What the run's trace keeps (docs/trace-format.md): true (default) every event; 'count' only how many
   * events of each kind (world.recorder.counts); false nothing. Off or counting, run() returns a trace with
   * no events: the programs, their calls' results and the final states are the same as in a traced run.
   */
  trace?: TraceMode;
}

/** A run went past its budget (events here; the scenario layer adds program steps): it was stopped, not finished. */
export class RunBudgetError extends Error {
  constructor(
    readonly what: string,
    readonly limit: number,
  ) {
    super(`the run was stopped after ${limit} ${what} (its budget): a scenario that never settles?`);
    this.name = 'RunBudgetError';
  }
}

export interface HostOptions {
  name: string;
  address: string;
  profile?: Profile;
  mtu?: number;
}

/** How a program ended. */
export interface ProgramOutcome {
  host: string;
  name: string;
  status: 'done' | 'failed' | 'blocked';
  /** For failed: the error message; for blocked: the call it was waiting in. */
  detail?: string;
}

type Scheduled =
  | { kind: 'deliver'; host: Host; src: string; dst: string; segment: Segment; event: SegmentEvent | undefined }
  | { kind: 'deliverUdp'; host: Host; src: string; srcPort: number; dst: string; dstPort: number; payload: Uint8Array }
  | { kind: 'timer'; host: Host }
  | { kind: 'wake'; run: () => void };

/** A call scheduled with World.at, to cancel it by (World.cancel). */
export type ScheduledCall = QueueEntry<unknown>;

/** A program's entry in the world: what the end-of-run report says of it. */
export interface Program {
  host: string;
  name: string;
  state: 'running' | 'done' | 'failed';
  detail?: string;
  /** The blocking call it is in, if any, by name: "accept", "sleep" (for the end-of-run report, as "accept()"). */
  blockedIn?: string;
}

export class World {
  now = 0;
  readonly seed: number;
  readonly profile: Profile;
  readonly recorder: TraceRecorder;
  private readonly scenario: string;
  private readonly rng: Prng;
  private readonly queue = new EventQueue<Scheduled>();
  private readonly hosts = new Map<string, Host>();
  private readonly byAddress = new Map<string, Host>();
  private readonly links = new Map<string, Link>();
  /** The same links by sending host, then receiving host: found without building the "a>b" key per segment. */
  private readonly linksFrom = new Map<Host, Map<Host, Link>>();
  private readonly defaultLink: LinkConfig;
  private readonly linkOverrides: Array<{ between: [string, string]; config: Partial<LinkConfig>; seed?: number }>;
  private readonly faults: FaultInjector;
  private readonly until: number;
  private readonly maxEvents: number;
  private dispatched = 0;
  private readonly programs: Program[] = [];
  /** The same programs by host, so setBlocked looks at one host's programs, not every program. */
  private readonly programsOn = new Map<string, Program[]>();
  /**
   * Hosts to visit at the next drain (each with `toVisit` set): flushed since their last visit (a socket call,
   * a segment, a timer), so a blocked call on them may now complete. Any other host would be a no-op to flush:
   * a waiter's check depends only on its host's stack, which changes only in calls that flush the host. A host
   * visited since it was listed has `toVisit` clear again and is passed over; each host is listed once
   * (`listed`) however often it is marked.
   */
  private readonly toVisit: Host[] = [];
  /** During a drain: the pending hosts after the cursor, in host order, and the host being visited. */
  private readonly visitQueue = new EventQueue<Host>();
  private visitCursor = -1;
  private visiting: Host | undefined;
  private settledSinceDrain = 0;
  /**
   * Segments on a zero-latency link, delivered before the call that sent them returns (as lo does: the receiver,
   * and its ACK back, run inside the sender's send()). Drained by the outermost flushHost.
   */
  private readonly instant: Array<Extract<Scheduled, { kind: 'deliver' }>> = [];
  private drainingInstant = false;
  /** Set while timers due at one instant fire: what they send is received after the last of them. */
  private firingTimers = false;

  constructor(options: WorldOptions) {
    this.seed = options.seed >>> 0;
    this.profile = options.profile;
    this.scenario = options.scenario ?? 'custom';
    this.rng = new Prng(this.seed);
    this.defaultLink = validateLinkConfig(options.link ?? {});
    this.linkOverrides = options.links ?? [];
    this.faults = new FaultInjector(options.faults ?? []);
    this.until = options.until ?? 600_000_000;
    this.maxEvents = options.maxEvents ?? Infinity;
    this.recorder = new TraceRecorder(options.trace ?? true);
  }

  addHost(options: HostOptions): Host {
    if (this.hosts.has(options.name)) throw new Error(`host "${options.name}" is defined twice`);
    if (this.byAddress.has(options.address)) throw new Error(`address ${options.address} is used by two hosts`);
    const host = new Host(
      { name: options.name, address: options.address, profile: options.profile ?? this.profile, ...(options.mtu ? { mtu: options.mtu } : {}) },
      this.rng.fork(`host:${options.name}`),
    );
    host.tcp.eventsWanted = this.recorder.wantsEvents;
    host.position = this.hosts.size;
    this.hosts.set(host.name, host);
    this.byAddress.set(host.address, host);
    return host;
  }

  host(name: string): Host {
    const host = this.hosts.get(name);
    if (!host) throw new Error(`no host named "${name}"`);
    return host;
  }

  /** The host of that name, or undefined: a lookup that may miss (resolving a name) without an exception. */
  findHost(name: string): Host | undefined {
    return this.hosts.get(name);
  }

  hostList(): Host[] {
    return [...this.hosts.values()];
  }

  /** Runs `fn` at virtual time `at` (microseconds). Returns the handle to cancel it by. */
  at(at: number, fn: () => void): ScheduledCall {
    return this.queue.push(Math.max(at, this.now), { kind: 'wake', run: fn });
  }

  cancel(handle: ScheduledCall): void {
    this.queue.cancel(handle as QueueEntry<Scheduled>);
  }

  /** Starts a program on a host at time `start`; its promise settles on virtual time. Returns its entry. */
  spawn(hostName: string, name: string, body: () => Promise<void>, start = 0): Program {
    this.host(hostName);
    const program: Program = { host: hostName, name, state: 'running' };
    this.programs.push(program);
    const onHost = this.programsOn.get(hostName);
    if (onHost) onHost.push(program);
    else this.programsOn.set(hostName, [program]);
    this.at(start, () => {
      body().then(
        () => {
          program.state = 'done';
        },
        (err: unknown) => {
          program.state = 'failed';
          program.detail = err instanceof Error ? err.message : String(err);
        },
      );
    });
    return program;
  }

  /**
   * Marks what a program is blocked in (for the report when a run ends with it still waiting): `program`, or,
   * for calls made outside any program, every running program on the host.
   */
  setBlocked(hostName: string, call: string | undefined, program?: Program): void {
    if (program !== undefined) {
      if (program.state === 'running') program.blockedIn = call;
      return;
    }
    for (const p of this.programsOn.get(hostName) ?? []) if (p.state === 'running') p.blockedIn = call;
  }

  /** Called by the socket layer when it settles a promise, so the loop lets continuations run. */
  noteSettled(): void {
    this.settledSinceDrain++;
  }

  /** Puts a host's TCP output on the wire and records its events; reschedules its timer. */
  flushHost(host: Host): void {
    // Waking a blocked call can make more output (a sendall() that moves on and blocks again),
    // so go round until the stack has nothing left to hand over.
    let woke = 0;
    do {
      for (const ev of host.tcp.takeEvents()) this.recorder.stackEvent(this.now, host.name, ev);
      for (const out of host.tcp.takeOutput()) this.transmitTcp(host, out);
      woke = host.wakeWaiters();
      if (woke > 0) this.settledSinceDrain++;
    } while (host.tcp.hasPending());
    // Visit it at the next drain: the caller may add a waiter now. The drain's own visit needs no second one,
    // unless its last round woke a call (that call's attempt may have changed what another waiter sees).
    if (host !== this.visiting || woke > 0) this.markToVisit(host);
    this.deliverInstant();
    const next = host.tcp.pollTimeout();
    if (next !== host.timerAt) {
      if (host.timerHandle !== undefined) this.queue.cancel(host.timerHandle as QueueEntry<Scheduled>);
      host.timerAt = next;
      host.timerHandle = next === undefined ? undefined : this.queue.push(Math.max(next, this.now), { kind: 'timer', host });
    }
  }

  /** Delivers the zero-latency segments sent so far, and whatever they make the receivers send back. */
  private deliverInstant(): void {
    if (this.drainingInstant || this.firingTimers) return; // an outer flush is draining already, or timers are firing
    this.drainingInstant = true;
    try {
      for (let n = 0; this.instant.length > 0; n++) {
        // A ping-pong that never ends would be a stack bug; stop it rather than hang the run.
        if (n > 100_000) throw new RunBudgetError('segments on a zero-latency link in one instant', 100_000);
        this.dispatch(this.instant.shift()!);
      }
    } finally {
      this.drainingInstant = false;
    }
  }

  /** Sends a raw segment from an address no socket owns (a spoofed SYN, a crafted RST). */
  inject(src: string, dst: string, segment: Segment, note?: string): void {
    const from = this.byAddress.get(src);
    this.transmitTcp(from, { src, dst, segment, retransmit: false, ...(note ? { note } : {}) }, true);
  }

  /** Sends a UDP datagram from a host. */
  sendUdp(from: Host, src: string, srcPort: number, dst: string, dstPort: number, payload: Uint8Array): void {
    const to = this.route(from, dst);
    const id = this.recorder.segmentId();
    const srcText = this.recorder.endpoint(src, srcPort);
    const dstText = this.recorder.endpoint(dst, dstPort);
    if (!to) {
      this.recorder.datagram(this.now, id, srcText, dstText, payload, 'dropped', undefined, 'no route to host');
      return;
    }
    const effect = this.faults.empty
      ? undefined
      : this.faults.apply({ proto: 'udp', fromHost: from.name, toHost: to.name, src: srcText, dst: dstText, flags: [], seq: 0, payloadLength: payload.length });
    for (const copy of this.plan(from, to, 28 + payload.length, effect)) {
      if (copy.arrival === undefined) {
        this.recorder.datagram(this.now, id, srcText, dstText, payload, 'dropped', undefined, copy.reason ?? 'loss');
        continue;
      }
      this.recorder.datagram(this.now, id, srcText, dstText, payload, copy.duplicate ? 'duplicated' : 'delivered', copy.arrival, undefined);
      this.queue.push(copy.arrival, { kind: 'deliverUdp', host: to, src, srcPort, dst, dstPort, payload });
    }
  }

  /** Runs until nothing is left to happen or the time limit; returns the trace. */
  async run(): Promise<Trace> {
    for (;;) {
      const next = this.queue.pop();
      if (!next || next.time > this.until) break;
      if (++this.dispatched > this.maxEvents) throw new RunBudgetError('simulator events', this.maxEvents);
      this.now = next.time;
      // Timers due at the same instant all fire before any segment they send is received: Linux runs the
      // whole expired timer bucket (timer softirq) before the receive path (NET_RX). Seen on lo: the client's
      // SYN retransmission and the server's SYN-ACK retransmission both go out (test/conformance, lost-syn-ack).
      this.firingTimers = next.item.kind === 'timer';
      this.dispatch(next.item);
      const peeked = this.queue.peek();
      if (this.firingTimers && peeked && peeked.time === this.now && peeked.item.kind === 'timer') continue;
      this.firingTimers = false;
      this.deliverInstant();
      // Packets arriving at this same instant are received before any program they woke runs: the
      // kernel's receive path (softirq) works through its backlog before the woken process is scheduled.
      // Seen on lo: a client woken by a SYN-ACK answered a second SYN-ACK that came with it (its challenge
      // ACK) before its data went out (test/conformance, lost-syn-ack).
      const following = this.queue.peek();
      if (following && following.time === this.now && (following.item.kind === 'deliver' || following.item.kind === 'deliverUdp')) continue;
      // Let programs whose calls just completed run (at this same virtual time) before moving on.
      while (this.settledSinceDrain > 0) {
        this.settledSinceDrain = 0;
        await nextMacrotask();
        this.visitHosts();
      }
    }
    return this.trace();
  }

  private markToVisit(host: Host): void {
    if (host.toVisit) return;
    host.toVisit = true;
    if (!host.listed) {
      host.listed = true;
      this.toVisit.push(host);
    }
    if (this.visitCursor >= 0 && host.position > this.visitCursor) this.visitQueue.push(host.position, host);
  }

  /**
   * Flushes the hosts marked to visit, in host order: the same flushes, in the same order, as flushing every
   * host in turn (which made a run quadratic in hosts), without the no-ops. A host flushed during the pass is
   * visited again in it if it comes later in host order, else at the next drain, as that scan would.
   */
  private visitHosts(): void {
    for (const host of this.toVisit) {
      host.listed = false;
      if (host.toVisit) this.visitQueue.push(host.position, host);
    }
    this.toVisit.length = 0;
    try {
      for (let next = this.visitQueue.pop(); next; next = this.visitQueue.pop()) {
        this.visitCursor = next.time;
        next.item.toVisit = false;
        this.visiting = next.item;
        this.flushHost(next.item);
        this.visiting = undefined;
      }
    } finally {
      this.visitCursor = -1;
      this.visiting = undefined;
    }
  }

  trace(): Trace {
    return this.recorder.toTrace({
      scenario: this.scenario,
      profile: this.profile.name,
      seed: this.seed,
      hosts: [...this.hosts.values()].map((h) => ({ name: h.name, address: h.address })),
    });
  }

  /** Per scripted fault, in order: how many packets it matched and acted on (a fault that never fired is worth a warning). */
  faultStats(): FaultStats[] {
    return this.faults.stats();
  }

  outcomes(): ProgramOutcome[] {
    return this.programs.map((p) => {
      if (p.state === 'running') return { host: p.host, name: p.name, status: 'blocked', detail: p.blockedIn !== undefined ? `${p.blockedIn}()` : 'unknown call' };
      return { host: p.host, name: p.name, status: p.state, ...(p.detail ? { detail: p.detail } : {}) };
    });
  }

  // ------------------------------------------------------------------ internals

  private dispatch(item: Scheduled): void {
    switch (item.kind) {
      case 'deliver': {
        item.host.tcp.receive(this.now, item.src, item.dst, item.segment);
        const why = item.host.tcp.takeDropReason();
        if (why) {
          const ev = item.event;
          if (ev) {
            ev.discarded = why;
            if (!ev.note) {
              // A note that comes with the drop follows `discarded` in the JSON form: the recorder's
              // placeholder for it (undefined, earlier in the object) goes, and the note is added last.
              delete ev.note;
              ev.note = why;
            }
          }
        }
        this.flushHost(item.host);
        return;
      }
      case 'deliverUdp': {
        const port = item.host.udp.get(item.dstPort);
        if (port && port.queue.length < port.limit) port.queue.push({ from: { ip: item.src, port: item.srcPort }, payload: item.payload });
        this.flushHost(item.host);
        return;
      }
      case 'timer':
        item.host.timerHandle = undefined;
        item.host.timerAt = undefined;
        item.host.tcp.handleTimeout(this.now);
        this.flushHost(item.host);
        return;
      case 'wake':
        item.run();
        this.settledSinceDrain++;
        return;
    }
  }

  private route(from: Host | undefined, dst: string): Host | undefined {
    if (isLoopback(dst)) return from;
    return this.byAddress.get(dst);
  }

  private linkBetween(from: Host, to: Host): Link {
    let fromHere = this.linksFrom.get(from);
    if (fromHere === undefined) {
      fromHere = new Map();
      this.linksFrom.set(from, fromHere);
    }
    let known = fromHere.get(to);
    if (known === undefined) {
      known = this.makeLink(from, to);
      fromHere.set(to, known);
    }
    return known;
  }

  private makeLink(from: Host, to: Host): Link {
    const id = `${from.name}>${to.name}`;
    let link = this.links.get(id);
    if (!link) {
      const override = this.linkOverrides.find(
        (o) => (o.between[0] === from.name && o.between[1] === to.name) || (o.between[0] === to.name && o.between[1] === from.name),
      );
      const rng = override?.seed !== undefined ? new Prng(override.seed).fork(`link:${id}`) : this.rng.fork(`link:${id}`);
      link = new Link({ ...this.defaultLink, ...(override?.config ?? {}) }, rng);
      this.links.set(id, link);
    }
    return link;
  }

  private plan(
    from: Host | undefined,
    to: Host,
    size: number,
    effect: { action: string; delay?: number; description: string } | undefined,
  ): Array<{ arrival?: number; reason?: string; duplicate: boolean }> {
    // The link draws its random numbers even for a packet a fault drops, so adding a fault does not
    // change the fate of the packets after it.
    const copies: Array<{ arrival?: number; reason?: string; duplicate: boolean }> =
      from === to || !from
        ? [{ arrival: this.now + (from === to ? LOOPBACK_LATENCY : this.defaultLink.latency), duplicate: false }]
        : this.linkBetween(from, to).plan(this.now, size);
    if (effect?.action === 'drop') return [{ reason: effect.description, duplicate: false }];
    if (effect?.action === 'delay') for (const c of copies) if (c.arrival !== undefined) c.arrival += effect.delay ?? 0;
    if (effect?.action === 'duplicate' && copies[0]?.arrival !== undefined) copies.push({ arrival: copies[0].arrival, duplicate: true });
    return copies;
  }

  private transmitTcp(from: Host | undefined, out: StackOutput, injected = false): void {
    const seg = out.segment;
    const to = this.route(from, out.dst);
    const id = this.recorder.segmentId();
    const retransmit = out.retransmit;
    if (!to) {
      this.recorder.segment(this.now, id, out.src, out.dst, seg, 'dropped', undefined, 'no route to host', retransmit, out.note, injected);
      return;
    }
    // The fault matcher reads endpoints and flags as text: made only when there are faults to match.
    const effect = this.faults.empty
      ? undefined
      : this.faults.apply({
          proto: 'tcp',
          fromHost: from?.name ?? out.src,
          toHost: to.name,
          src: this.recorder.endpoint(out.src, seg.srcPort),
          dst: this.recorder.endpoint(out.dst, seg.dstPort),
          flags: flagNames(seg.flags),
          seq: seg.seq,
          payloadLength: seg.payload.length,
        });
    const size = 40 + seg.payload.length;
    for (const copy of this.plan(from, to, size, effect)) {
      if (copy.arrival === undefined) {
        this.recorder.segment(this.now, id, out.src, out.dst, seg, 'dropped', undefined, copy.reason ?? 'loss', retransmit, out.note, injected);
        continue;
      }
      const fate = copy.duplicate ? 'duplicated' : 'delivered';
      const note = effect && effect.action !== 'drop' ? effect.description : out.note;
      const event = this.recorder.segment(this.now, id, out.src, out.dst, seg, fate, copy.arrival, undefined, retransmit, note, injected);
      const item = { kind: 'deliver' as const, host: to, src: out.src, dst: out.dst, segment: seg, event };
      if (copy.arrival === this.now) this.instant.push(item);
      else this.queue.push(copy.arrival, item);
    }
  }
}
