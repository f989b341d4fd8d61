// Runs a synack scenario's programs with node:net (TCP) and node:dgram (UDP) on loopback: one async function per
// program, all in one event loop. The contract, shared with scenario_runner.py:
//
// The harness starts this in a fresh network namespace with cwd = a temp dir holding plan.json:
//   {"hosts": {"client": "127.0.0.11", ...}, "programs": [{"host", "name", "start", "steps"}],
//    "marks": [{"name", "t"}], "end": t}
// All times are integer microseconds after t0, the moment the plan has been read and checked. The steps are the
// parsed steps of src/scenarios/file/steps.ts as JSON; each runs as src/scenarios/file/program.ts runs it in the
// simulator (repeat, expect, recvall, recv_message, framing, filler bytes, stored data).
//
// Output, one line each on stdout:
//   CALL {"t":..,"host":..,"program":..,"call":..,"socket":..,"result":"ok"|errno,"value"?:n}
//   MARK <name>      then one line is read from stdin before the mark schedule goes on
//   PROGRAM {"host":..,"program":..,"status":"done"|"failed"|"blocked","detail":..}
//   MARK end         at `end`, after the PROGRAM lines still owed; then one stdin line, then process.exit(0)
// A plan this runner cannot run (a bad plan, a step node:net cannot make): a message on stderr, exit status 3.
//
// How socket calls become node:net calls, so that the kernel sees the same system calls a blocking Python program
// makes (test/conformance/runners/node-support.ts says which programs that cannot be done for):
// - bind + listen -> net.createServer({allowHalfOpen, pauseOnConnect}).listen({host, port, backlog}), made at the
//   bind step (node:net has no bind() of its own; the two must be next to each other). libuv sets SO_REUSEADDR on
//   every TCP bind, whatever setsockopt said.
// - bind + connect -> net.connect({localAddress, localPort}); connect without bind binds (host address, port 0).
// - accept -> the next connection from a queue: node accepts each connection as it arrives; it stays paused (the
//   kernel keeps its data) until the program reads. Closing the listener resets the connections still queued, as
//   the kernel's close() of a listener does (inet_csk_listen_stop).
// - recv(max) -> exactly one read(fd, buf, max) of the kernel: the socket reads into a buffer of `max` bytes
//   (onread with a user buffer) and pauses after every read, so the kernel holds what the program has not read
//   (its window, `ss` Recv-Q, and close() with unread data sending RST are as with Python).
// - send/sendall -> write(), done when the kernel has every byte (at once when the write() system call took them
//   all, else at write()'s callback).
// - shutdown(SHUT_WR) -> end(); close -> destroy() (close(2): FIN, or RST with unread data); with SO_LINGER
//   {onoff: 1, linger: 0} -> resetAndDestroy().
// Errors are the kernel's errno names (err.code); where node:net has closed its handle already (after a reset,
// after both directions ended) the kernel's later answers are given as Linux gives them (EPIPE, end-of-file,
// ENOTCONN).
import dgram from 'node:dgram';
import { readFileSync } from 'node:fs';
import net from 'node:net';
import { performance } from 'node:perf_hooks';
import { createInterface } from 'node:readline';

/** A loop may run this many times at most (program.ts MAX_ITERATIONS). */
const MAX_ITERATIONS = 100_000;
/** recv_message's length prefix: 4 bytes, network byte order. */
const PREFIX_BYTES = 4;
/** recvall's read size (program.ts). */
const RECVALL_CHUNK = 65536;

const ERRNOS = new Set([
  'ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EADDRINUSE', 'EADDRNOTAVAIL', 'EPIPE', 'EINVAL', 'EISCONN', 'ENOTCONN',
  'EALREADY', 'EAGAIN', 'EINPROGRESS', 'EBADF', 'EOPNOTSUPP', 'EAFNOSUPPORT', 'EHOSTUNREACH', 'EMSGSIZE', 'EDESTADDRREQ',
]);
/** Other Linux errno names a call may still give (reported as they are). */
const OTHER_ERRNO = /^E[A-Z0-9]+$/;
const CALLS = new Set([
  'socket', 'setsockopt', 'bind', 'listen', 'accept', 'connect', 'connect_ex', 'send', 'sendall', 'recv', 'recvall',
  'recv_message', 'shutdown', 'close', 'settimeout', 'sendto', 'recvfrom', 'sleep', 'wait_until',
]);
const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const ENDPOINT = /^([^\s:[\]]+):(\d+)$/;
const IPV4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;

/** The plan cannot be run: exit 3. */
class PlanError extends Error {}
/** A call failed with an errno (program.ts SocketError). */
class SockErr extends Error {
  constructor(errno, detail = '') {
    super(errno);
    this.errno = errno;
    this.detail = detail;
  }
}
/** A receive returned end-of-file inside a repeat-until-eof. */
class EndOfFile extends Error {}
/** The program ends here (program.ts StopProgram). */
class StopProgram extends Error {}

// ---------------------------------------------------------------------------------------------------------------
// Small helpers

const asJson = (v) => JSON.stringify(v);

function filler(n) {
  const out = Buffer.alloc(n);
  for (let i = 0; i < n; i++) out[i] = 97 + (i % 26);
  return out;
}

function frame(body) {
  const out = Buffer.alloc(PREFIX_BYTES + body.length);
  out.writeUInt32BE(body.length, 0);
  body.copy(out, PREFIX_BYTES);
  return out;
}

/** The outcome `expect` asks for under the linux profile, or undefined. */
function expected(spec) {
  return spec !== null && typeof spec === 'object' ? spec.linux : spec;
}

/** A call as program.ts describeStep writes it. */
function describe(step) {
  const a = step.args;
  switch (step.call) {
    case 'connect':
    case 'connect_ex':
      return `${step.call}(${a.to})`;
    case 'bind':
      return `bind(${a.address || '*'}:${a.port})`;
    case 'sleep':
    case 'wait_until':
      return `${step.call}(${a / 1e6})`;
    case 'repeat':
      return 'repeat';
    case 'socket':
      return `socket(${a.name})`;
    default:
      return `${step.call}(${a.socket ?? ''})`;
  }
}

function socketOf(step) {
  return step.call === 'socket' ? step.args.name : step.args.socket;
}

/** A node error as the call's SockErr (err.code is a Linux errno name); anything else is this runner's failing. */
function sockErr(err, what) {
  const code = err?.code;
  if (typeof code === 'string' && (ERRNOS.has(code) || OTHER_ERRNO.test(code))) return new SockErr(code, what);
  return new Unsupported(`${what}: node:net failed with ${code ?? err} (${err?.message ?? 'no message'}), which is no errno`);
}

/** Something this runner cannot do, found while running: exit 3. */
class Unsupported extends Error {}

// ---------------------------------------------------------------------------------------------------------------
// Plan checking: everything that can be wrong with a plan is found before t0.

function need(cond, where, message) {
  if (!cond) throw new PlanError(`${where}: ${message}`);
}
const isTime = (v) => typeof v === 'number' && Number.isFinite(v) && v >= 0;
const isInt = (v, lo, hi) => Number.isInteger(v) && (lo === undefined || v >= lo) && (hi === undefined || v <= hi);

function resolveHost(hosts, text, where) {
  if (Object.hasOwn(hosts, text)) return hosts[text];
  if (text === 'localhost') return '127.0.0.1';
  need(IPV4.test(text), where, `expected a host (${Object.keys(hosts).join(', ') || 'none'}) or an IPv4 address, found "${text}"`);
  return text;
}

function resolveEndpoint(hosts, text, where) {
  const m = typeof text === 'string' ? ENDPOINT.exec(text) : null;
  need(m !== null, where, `expected an endpoint "host:port" (IPv4), found ${asJson(text)}`);
  const port = Number(m[2]);
  need(port <= 65535, where, `port ${port} is out of range`);
  return [resolveHost(hosts, m[1], where), port];
}

function checkPayload(a, where) {
  const p = a.payload;
  need(p !== null && typeof p === 'object' && Object.keys(p).length === 1 && ['data', 'bytes', 'from'].includes(Object.keys(p)[0]), where,
    `expected payload {"data": text} | {"bytes": n} | {"from": name}, found ${asJson(p)}`);
  if ('data' in p) need(typeof p.data === 'string', where, 'payload.data must be text');
  else if ('bytes' in p) need(isInt(p.bytes, 0, 64 * 1024 * 1024), where, 'payload.bytes must be an integer 0..67108864');
  else need(typeof p.from === 'string' && NAME.test(p.from), where, 'payload.from must be a name');
}

function checkArgs(call, a, hosts, where) {
  if (call === 'sleep' || call === 'wait_until') {
    need(isTime(a), where, `${call} takes a duration in microseconds, found ${asJson(a)}`);
    return a;
  }
  need(a !== null && typeof a === 'object' && !Array.isArray(a), where, `${call} takes a map of arguments, found ${asJson(a)}`);
  a = { ...a };
  if (call === 'socket') {
    need(typeof a.name === 'string' && NAME.test(a.name), where, 'socket needs a name');
    a.type ??= 'tcp';
    need(a.type === 'tcp' || a.type === 'udp', where, `socket type must be "tcp" or "udp", found ${asJson(a.type)}`);
    return a;
  }
  need(typeof a.socket === 'string' && NAME.test(a.socket), where, `${call} needs "socket": a socket name, found ${asJson(a.socket)}`);
  switch (call) {
    case 'setsockopt':
      need(['SO_REUSEADDR', 'TCP_NODELAY', 'SO_LINGER', 'SO_SNDBUF'].includes(a.option), where,
        `option must be SO_REUSEADDR, TCP_NODELAY, SO_LINGER or SO_SNDBUF, found ${asJson(a.option)}`);
      need('value' in a, where, 'setsockopt needs a value');
      break;
    case 'bind':
      a.address ??= '';
      need(typeof a.address === 'string', where, 'bind address must be text');
      if (a.address !== '') resolveHost(hosts, a.address, where);
      need(isInt(a.port, 0, 65535), where, `bind needs a port 0..65535, found ${asJson(a.port)}`);
      break;
    case 'listen':
      a.backlog ??= 128;
      need(isInt(a.backlog, 0), where, 'listen backlog must be an integer >= 0');
      break;
    case 'accept':
      need(typeof a.as === 'string' && NAME.test(a.as), where, 'accept needs "as": the new socket\'s name');
      break;
    case 'connect':
    case 'connect_ex':
      resolveEndpoint(hosts, a.to, where);
      break;
    case 'send':
    case 'sendall':
      checkPayload(a, where);
      a.framed ??= false;
      need(typeof a.framed === 'boolean', where, 'framed must be true or false');
      break;
    case 'recv':
    case 'recvfrom':
      a.max ??= 65536;
      need(isInt(a.max, 1), where, `${call} max must be an integer >= 1`);
      break;
    case 'shutdown':
      need(['SHUT_RD', 'SHUT_WR', 'SHUT_RDWR'].includes(a.how), where, `shutdown how must be SHUT_RD, SHUT_WR or SHUT_RDWR, found ${asJson(a.how)}`);
      break;
    case 'settimeout':
      need(a.seconds === null || isTime(a.seconds), where, `settimeout seconds must be a number >= 0 or null, found ${asJson(a.seconds)}`);
      break;
    case 'sendto':
      resolveEndpoint(hosts, a.to, where);
      checkPayload(a, where);
      break;
  }
  if (a.as !== undefined && ['recv', 'recvall', 'recv_message', 'recvfrom'].includes(call)) {
    need(typeof a.as === 'string' && NAME.test(a.as), where, '"as" must be a name');
  }
  return a;
}

function checkExpect(spec, where) {
  const one = (o) => o === 'ok' || o === 'any' || (typeof o === 'string' && /^E[A-Z0-9]+$/.test(o));
  if (spec !== null && typeof spec === 'object') {
    need(Object.keys(spec).every((k) => k === 'linux' || k === 'rfc9293') && Object.values(spec).every(one), where,
      `expect {linux, rfc9293} must hold outcomes, found ${asJson(spec)}`);
  } else {
    need(one(spec), where, `expect must be "ok", "any", an errno name or {linux, rfc9293}, found ${asJson(spec)}`);
  }
}

function checkSteps(steps, hosts, where) {
  need(Array.isArray(steps), where, 'steps must be a list');
  return steps.map((step, i) => {
    const at = `${where}[${i}]`;
    need(step !== null && typeof step === 'object' && !Array.isArray(step), at, `expected a step {"call": .., "args": ..}, found ${asJson(step)}`);
    if ('at' in step) need(isTime(step.at), at, `"at" must be a time in microseconds, found ${asJson(step.at)}`);
    if (step.call === 'repeat') {
      need((step.times === undefined) !== (step.until === undefined), at, 'repeat needs exactly one of times or until');
      need(step.times === undefined || isInt(step.times, 1), at, 'repeat times must be an integer >= 1');
      need(step.until === undefined || step.until === 'eof' || step.until === 'error', at, `repeat until must be "eof" or "error", found ${asJson(step.until)}`);
      need(!('expect' in step), at, 'expect belongs on the calls inside a repeat');
      const body = checkSteps(step.steps, hosts, `${at}.steps`);
      need(body.length > 0, at, 'repeat needs at least one step');
      return { ...step, steps: body };
    }
    need(CALLS.has(step.call), at, `unknown call ${asJson(step.call)} (expected one of ${[...CALLS].join(', ')}, repeat)`);
    need('args' in step, at, `${step.call} has no "args"`);
    if ('expect' in step) checkExpect(step.expect, at);
    return { ...step, args: checkArgs(step.call, step.args, hosts, `${at}.${step.call}`) };
  });
}

function checkPlan(plan) {
  need(plan !== null && typeof plan === 'object' && !Array.isArray(plan), 'plan', 'expected a map with hosts, programs, marks and end');
  const hosts = plan.hosts;
  need(hosts !== null && typeof hosts === 'object' && Object.values(hosts).every((v) => typeof v === 'string' && IPV4.test(v)), 'plan.hosts',
    `expected a map of host name -> IPv4 address, found ${asJson(hosts)}`);
  need(isTime(plan.end), 'plan.end', `expected a time in microseconds, found ${asJson(plan.end)}`);
  const rawPrograms = plan.programs ?? [];
  need(Array.isArray(rawPrograms), 'plan.programs', 'expected a list');
  const programs = rawPrograms.map((p, i) => {
    const where = `programs[${i}]`;
    need(p !== null && typeof p === 'object', where, 'expected a map with host, name, start and steps');
    need(Object.hasOwn(hosts, p.host), `${where}.host`, `expected a host of plan.hosts (${Object.keys(hosts).join(', ')}), found ${asJson(p.host)}`);
    const name = p.name ?? p.host;
    need(typeof name === 'string', `${where}.name`, 'expected text');
    const start = p.start ?? 0;
    need(isTime(start), `${where}.start`, `expected a time in microseconds, found ${asJson(start)}`);
    return { host: p.host, name, start, steps: checkSteps(p.steps, hosts, `${where}.steps`) };
  });
  const marks = plan.marks ?? [];
  need(Array.isArray(marks), 'plan.marks', 'expected a list');
  const seen = new Set();
  marks.forEach((m, i) => {
    const where = `marks[${i}]`;
    need(m !== null && typeof m === 'object' && typeof m.name === 'string' && /^\S+$/.test(m.name), where,
      `expected {"name": a name without spaces, "t": µs}, found ${asJson(m)}`);
    need(m.name !== 'end' && !seen.has(m.name), where, `mark name "${m.name}" is "end" or used twice`);
    need(isTime(m.t), where, `mark "${m.name}": t must be a time in microseconds`);
    need(m.t <= plan.end, where, `mark "${m.name}" at ${m.t} is after end (${plan.end})`);
    seen.add(m.name);
  });
  return { hosts: { ...hosts }, programs, marks: [...marks].sort((a, b) => a.t - b.t), end: plan.end };
}

// ---------------------------------------------------------------------------------------------------------------
// What this runner does not do (node-support.ts nodeCannotExpress says the same, and more, for the harness).

/** Calls that may come between a bind and its listen: they take no time and change only the socket's options. */
const QUIET = new Set(['setsockopt', 'settimeout']);

/** What uses a TCP socket next after its bind (list[i]): its listen, its connect, or the reason node:net cannot. */
function bindPartner(list, i) {
  const name = list[i].args.socket;
  for (let j = i + 1; j < list.length; j++) {
    const s = list[j];
    if (QUIET.has(s.call)) continue; // options, not uses: they go with the bind
    const uses = s.call === 'repeat' ? usesSocket(s.steps, name) : s.call === 'socket' ? s.args.name === name : s.args?.socket === name;
    if (!uses) continue;
    if (s.call === 'listen') {
      const between = list.slice(i + 1, j + 1);
      if (between.some((b) => b.at !== undefined || (b !== s && !QUIET.has(b.call) && b.call !== 'socket'))) {
        return { why: `bind(${name}) and listen(${name}) are not next to each other (only setsockopt or settimeout may come between, with no "at"): node:net binds and listens in one call` };
      }
      return { partner: 'listen', backlog: s.args.backlog };
    }
    if (s.call === 'connect' || s.call === 'connect_ex') return { partner: 'connect' };
    return { why: `bind(${name}) is followed by ${describe(s)}, not listen() or connect(): node:net binds a TCP socket only inside listen() or connect()` };
  }
  return { why: `bind(${name}) has no listen() or connect() after it: node:net binds a TCP socket only inside listen() or connect()` };
}

function usesSocket(steps, name) {
  return steps.some((s) => (s.call === 'repeat' ? usesSocket(s.steps, name) : s.call === 'socket' ? s.args.name === name : s.args?.socket === name));
}

/** The first step of the plan this runner does not implement, as a reason; undefined when it can run them all. */
function unsupportedStep(programs) {
  for (const p of programs) {
    const types = new Map();
    const timeouts = new Map();
    const why = walkUnsupported(p.steps, types, timeouts) ?? walkUnsupported(p.steps, types, timeouts);
    if (why) return `${p.name}: ${why}`;
  }
  return undefined;
}

function walkUnsupported(list, types, timeouts) {
  for (let i = 0; i < list.length; i++) {
    const s = list[i];
    if (s.call === 'repeat') {
      // Twice: what one round leaves (a timeout) meets the next round.
      const why = walkUnsupported(s.steps, types, timeouts) ?? walkUnsupported(s.steps, types, timeouts);
      if (why) return why;
      continue;
    }
    const a = s.args;
    const type = types.get(a?.socket) ?? 'tcp';
    switch (s.call) {
      case 'socket':
        types.set(a.name, a.type);
        timeouts.delete(a.name);
        break;
      case 'accept':
        types.set(a.as, 'tcp');
        timeouts.delete(a.as);
        break;
      case 'setsockopt':
        if (type !== 'tcp') break;
        if (a.option === 'SO_SNDBUF') return `${describe(s)} SO_SNDBUF: node:net cannot set a TCP socket's send buffer size`;
        if (a.option === 'SO_LINGER' && a.value !== null && typeof a.value === 'object' && a.value.onoff && a.value.linger > 0) {
          return `${describe(s)} SO_LINGER {onoff: 1, linger: ${a.value.linger}}: node:net can close normally or reset (linger 0), not linger for a while`;
        }
        break;
      case 'shutdown':
        if (type === 'tcp' && a.how !== 'SHUT_WR') return `shutdown(${a.socket}, ${a.how}): node:net has no shutdown of the receiving side`;
        break;
      case 'settimeout':
        if (type === 'tcp' && a.seconds === 0) return `settimeout(${a.socket}, 0): node:net has no non-blocking mode for TCP calls`;
        timeouts.set(a.socket, a.seconds);
        break;
      case 'send':
      case 'sendall':
        if (type === 'tcp' && (timeouts.get(a.socket) ?? null) !== null) {
          return `${describe(s)} with a timeout set: a timed send can return a partial count, node:net's write() cannot`;
        }
        break;
      case 'bind': {
        if (type !== 'tcp') break;
        const e = expected(s.expect);
        if (e !== undefined && e !== 'ok') return `${describe(s)} expecting ${e}: node:net binds a TCP socket only inside listen() or connect(), so a failing bind cannot be reported at bind()`;
        const partner = bindPartner(list, i);
        if (partner.why) return partner.why;
        break;
      }
    }
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------------------------------
// Running

class Clock {
  constructor() {
    this.t0 = performance.now();
  }

  /** Microseconds since t0. */
  now() {
    return Math.round((performance.now() - this.t0) * 1000);
  }

  /** Resolves at t (µs after t0), not before: a timer may fire early against performance.now() (libuv's loop time
   * is in whole milliseconds, taken at the start of the loop iteration), so it is re-armed until t has come. */
  async until(t) {
    for (;;) {
      const ms = this.t0 + t / 1000 - performance.now();
      if (ms <= 0) return;
      // The last 2 ms turn by turn of the event loop (I/O goes on meanwhile): timers have 1 ms steps.
      await new Promise((resolve) => (ms > 2 ? setTimeout(resolve, ms - 1) : setImmediate(resolve)));
    }
  }
}

class Output {
  closed = false;

  write(line) {
    if (!this.closed) process.stdout.write(`${line}\n`);
  }
}

/** Calls onFire after `seconds` (a socket timeout), never when seconds is null; returns the cancel function. */
function timer(seconds, onFire) {
  if (seconds === null) return () => undefined;
  const t = setTimeout(onFire, seconds * 1000);
  return () => clearTimeout(t);
}

/** A TCP socket of a program: node:net objects plus the kernel state the runner has to answer for node. */
class Tcp {
  kind = 'tcp';
  /** fresh | listening | connecting | connected */
  state = 'fresh';
  closed = false;
  bound = null; // {address, port} kept for connect()
  listenDone = false; // the listen() that followed bind() has been made with it
  nodelay = false;
  linger = null;
  timeout = null;
  /** node:net objects */
  server = null;
  sock = null;
  /** listener: connections accepted by node, not yet by the program; programs waiting in accept() */
  queue = [];
  acceptWaiter = null;
  /** receiving */
  buf = Buffer.alloc(RECVALL_CHUNK);
  reader = null;
  stash = [];
  eof = false;
  /** node:net has closed the handle (reset, or both directions ended): the kernel socket is CLOSE / TIME_WAIT. */
  gone = false;
  /** an error node:net saw while no call was waiting (the kernel's sk_err): the next call reports it */
  pendingError = null;
  /** errors already reported to a call */
  reported = new WeakSet();
  shutWr = false;

  constructor(runtime) {
    this.runtime = runtime;
  }

  check(call) {
    if (this.closed) throw new SockErr('EBADF', `${call}() on a closed socket`);
  }

  // -- node:net wiring ------------------------------------------------------------------------------------------

  /** The onread option: every read goes into this.buf, whose size is the pending recv's max. */
  onreadOption() {
    return { buffer: this.buf, callback: (n) => this.onRead(n) };
  }

  attach(sock) {
    this.sock = sock;
    // Events of an earlier attempt's socket (a connect() that failed, then connect() again) change nothing.
    const current = () => this.sock === sock;
    sock.on('end', () => {
      if (!current()) return;
      this.eof = true;
      this.finishRead(Buffer.alloc(0));
    });
    sock.on('error', (err) => {
      if (current()) this.onError(err);
    });
    sock.on('close', () => {
      if (!current()) return;
      this.gone = true;
      this.finishRead(Buffer.alloc(0));
    });
  }

  onRead(n) {
    const data = Buffer.from(this.buf.subarray(0, n));
    if (this.reader) this.finishRead(data);
    else this.stash.push(data); // not expected: reading stops after every read
    return false; // pause: the next read waits for the next recv()
  }

  finishRead(data) {
    const r = this.reader;
    if (!r) return;
    this.reader = null;
    r.cancel();
    r.resolve(data);
  }

  onError(err) {
    this.gone = true;
    if (this.reported.has(err)) return;
    const r = this.reader;
    if (r) {
      this.reader = null;
      r.cancel();
      this.reported.add(err);
      r.reject(err);
      return;
    }
    this.pendingError ??= err;
  }

  /** An error node:net saw earlier, reported now (once), as the kernel reports sk_err to the next call. */
  takePendingError(what) {
    const err = this.pendingError;
    if (!err) return;
    this.pendingError = null;
    this.reported.add(err);
    throw sockErr(err, what);
  }

  // -- calls ----------------------------------------------------------------------------------------------------

  setsockopt(option, value) {
    this.check('setsockopt');
    switch (option) {
      case 'SO_REUSEADDR':
        return; // libuv sets it at every TCP bind anyway (node-support.ts keeps programs for which that matters away)
      case 'TCP_NODELAY':
        this.nodelay = Boolean(value);
        if (this.sock && !this.gone) this.sock.setNoDelay(this.nodelay);
        return;
      case 'SO_LINGER':
        if (value === null || typeof value !== 'object' || !Number.isInteger(value.linger) || value.linger < 0) throw new SockErr('EINVAL', 'SO_LINGER');
        if (value.onoff && value.linger > 0) throw new Unsupported('SO_LINGER with a timeout');
        this.linger = { onoff: Boolean(value.onoff), linger: value.linger };
        return;
      default:
        throw new Unsupported(`setsockopt ${option}`);
    }
  }

  async bind(address, port, partner) {
    this.check('bind');
    if (this.state !== 'fresh' || this.bound) throw new SockErr('EINVAL', 'bind() on a bound socket');
    if (partner.partner === 'connect') {
      this.bound = { address, port };
      return;
    }
    await this.listenOn(address, port, partner.backlog);
    this.bound = { address, port };
    this.listenDone = true;
  }

  async listen(backlog) {
    this.check('listen');
    if (this.state === 'listening' && this.listenDone) {
      this.listenDone = false;
      return;
    }
    if (this.state === 'listening') throw new Unsupported('listen() twice on one socket');
    if (this.state !== 'fresh') throw new SockErr('EINVAL', 'listen() on a connected socket');
    if (this.bound) throw new Unsupported('listen() on a socket bound for connect()');
    await this.listenOn('0.0.0.0', 0, backlog); // the kernel binds an unbound listener to INADDR_ANY, port 0
  }

  listenOn(address, port, backlog) {
    const server = net.createServer({ allowHalfOpen: true, pauseOnConnect: true });
    return new Promise((resolve, reject) => {
      const failed = (err) => reject(sockErr(err, `bind(${address}:${port})`));
      server.once('error', failed);
      server.listen({ host: address, port, backlog }, () => {
        server.off('error', failed);
        server.on('error', (err) => process.stderr.write(`scenario-runner: listener error ${err.code}\n`));
        server.on('connection', (sock) => this.onConnection(sock));
        this.server = server;
        this.state = 'listening';
        resolve();
      });
    });
  }

  /** A connection node accepted for this listener: re-made with a read buffer of our own, and queued. */
  onConnection(accepted) {
    const child = new Tcp(this.runtime);
    child.nodelay = this.nodelay; // accepted sockets inherit TCP_NODELAY (sk_clone_lock copies the listener)
    child.state = 'connected';
    // node:net offers onread to net.connect() only; an accepted socket's handle is moved into a new Socket that
    // has it. The old Socket is paused (pauseOnConnect) and never used again.
    const handle = accepted._handle;
    if (!handle || typeof handle.useUserBuffer !== 'function') {
      this.runtime.unsupported('node:net accepted a socket without a TCP handle (has node:net changed?)');
      return;
    }
    accepted._handle = null;
    const sock = new net.Socket({ handle, allowHalfOpen: true, pauseOnCreate: true, readable: true, writable: true, onread: child.onreadOption() });
    child.attach(sock);
    if (child.nodelay) sock.setNoDelay(true);
    if (this.closed) {
      child.abort();
      return;
    }
    const w = this.acceptWaiter;
    if (w) {
      this.acceptWaiter = null;
      w.cancel();
      w.resolve(child);
    } else {
      this.queue.push(child);
    }
  }

  async accept() {
    this.check('accept');
    if (this.state !== 'listening') throw new SockErr('EINVAL', 'accept() on a socket that is not listening');
    if (this.queue.length > 0) return this.queue.shift();
    if (this.timeout === 0) throw new SockErr('EAGAIN', 'accept');
    return new Promise((resolve, reject) => {
      const cancel = timer(this.timeout, () => {
        this.acceptWaiter = null;
        reject(new SockErr('EAGAIN', 'accept() timed out'));
      });
      this.acceptWaiter = { resolve, cancel };
    });
  }

  async connect(host, port, ownAddress) {
    this.check('connect');
    if (this.state === 'connected') throw new SockErr('EISCONN', 'connect');
    if (this.state === 'connecting') throw new SockErr('EALREADY', 'connect');
    if (this.state === 'listening') throw new SockErr('EISCONN', 'connect() on a listening socket');
    const local = this.bound ?? { address: ownAddress, port: 0 };
    this.stash = [];
    this.eof = false;
    this.gone = false;
    this.pendingError = null;
    this.shutWr = false;
    const sock = net.connect({
      host,
      port,
      localAddress: local.address,
      ...(local.port ? { localPort: local.port } : {}),
      allowHalfOpen: true,
      noDelay: this.nodelay,
      onread: this.onreadOption(),
    });
    sock.pause(); // paused before 'connect', so node:net does not start reading: the kernel keeps the data
    this.state = 'connecting';
    return new Promise((resolve, reject) => {
      let settled = false;
      const cancel = timer(this.timeout, () => {
        // settimeout expired: EINPROGRESS, and the handshake goes on (as the simulator's socket layer says)
        settled = true;
        reject(new SockErr('EINPROGRESS', 'connect() timed out'));
      });
      sock.once('connect', () => {
        if (this.sock !== sock) return;
        this.state = 'connected';
        if (settled) return;
        settled = true;
        cancel();
        resolve();
      });
      sock.once('error', (err) => {
        if (this.sock === sock && this.state === 'connecting') this.state = 'fresh'; // a failed socket may connect() again
        if (settled) return;
        settled = true;
        cancel();
        this.reported.add(err);
        // libuv binds before connect() and keeps a bind's EADDRINUSE for connect: the kernel would have said it
        // at bind(). node-support.ts keeps such programs from this runner; say so if one gets here anyway.
        if (err.syscall === 'bind' || err.code === 'EADDRINUSE') process.stderr.write(`scenario-runner: the bind of ${local.address}:${local.port} failed only at connect(): ${err.code}\n`);
        reject(sockErr(err, `connect(${host}:${port})`));
      });
      this.attach(sock);
    });
  }

  /** recv(max): at most max bytes in one read of the kernel; empty at end-of-file. */
  async recv(max) {
    this.check('recv');
    if (this.state === 'connecting') throw new Unsupported('recv() while connect() is still in progress');
    if (this.state !== 'connected') throw new SockErr('ENOTCONN', 'recv');
    if (this.stash.length > 0) {
      const first = this.stash[0];
      if (first.length <= max) return this.stash.shift();
      this.stash[0] = first.subarray(max);
      return first.subarray(0, max);
    }
    this.takePendingError('recv');
    if (this.eof || this.gone) return Buffer.alloc(0); // after end-of-file or a reported reset: 0, as Linux
    if (this.timeout === 0) throw new Unsupported('a non-blocking recv()');
    if (this.buf.length !== max) {
      this.buf = Buffer.alloc(max);
      this.sock._handle.useUserBuffer(this.buf);
    }
    return new Promise((resolve, reject) => {
      const cancel = timer(this.timeout, () => {
        this.reader = null;
        this.sock.pause();
        reject(new SockErr('EAGAIN', 'recv() timed out'));
      });
      this.reader = {
        resolve,
        reject: (err) => reject(sockErr(err, 'recv')),
        cancel,
      };
      this.sock.resume();
    });
  }

  async send(data) {
    this.check('send');
    if (this.state === 'connecting') throw new Unsupported('send() while connect() is still in progress');
    if (this.state !== 'connected') throw new SockErr('EPIPE', 'send() on a socket that is not connected');
    this.takePendingError('send');
    if (this.gone || this.shutWr) throw new SockErr('EPIPE', 'send'); // tcp_sendmsg: SEND_SHUTDOWN -> EPIPE
    const sock = this.sock;
    const written = new Promise((resolve, reject) => {
      sock.write(data, (err) => {
        if (!err) return resolve();
        if (this.pendingError === err) this.pendingError = null;
        this.reported.add(err);
        reject(sockErr(err, 'send'));
      });
    });
    // Written at once (the kernel took every byte in the write() system call): done now, not a tick later, so
    // that sends in a row follow each other as quickly as a Python program's (Nagle coalesces them the same).
    if (sock.writableLength === 0 && !sock.errored && !sock.destroyed) {
      written.catch(() => undefined);
      return data.length;
    }
    await written;
    return data.length;
  }

  async shutdownWrite() {
    this.check('shutdown');
    if (this.state === 'listening') return; // inet_shutdown: SHUT_WR on a listener does nothing
    if (this.state === 'connecting') throw new Unsupported('shutdown() while connect() is still in progress');
    if (this.state !== 'connected' || this.gone) throw new SockErr('ENOTCONN', 'shutdown');
    if (this.shutWr) return;
    this.shutWr = true;
    await new Promise((resolve, reject) => {
      const sock = this.sock;
      const done = () => {
        sock.off('finish', done);
        sock.off('close', done);
        sock.off('error', failed);
        resolve();
      };
      const failed = (err) => {
        sock.off('finish', done);
        sock.off('close', done);
        if (this.pendingError === err) this.pendingError = null;
        this.reported.add(err);
        reject(sockErr(err, 'shutdown'));
      };
      sock.once('finish', done); // after the shutdown(SHUT_WR) system call
      sock.once('close', done);
      sock.once('error', failed);
      sock.end();
    });
  }

  close() {
    if (this.closed) return; // Python allows close() twice
    this.closed = true;
    if (this.server) {
      this.server.close();
      // The kernel's close() of a listener resets the connections still in its accept queue.
      for (const child of this.queue.splice(0)) child.abort();
      return;
    }
    if (!this.sock || this.gone) return;
    if (this.linger?.onoff && this.linger.linger === 0 && this.state === 'connected') this.sock.resetAndDestroy();
    else this.sock.destroy(); // close(2): FIN, or RST when unread data is left (tcp_close)
  }

  /** close() with SO_LINGER {1, 0}: RST. */
  abort() {
    this.closed = true;
    if (this.sock && !this.gone) this.sock.resetAndDestroy();
  }
}

/** A UDP socket of a program (node:dgram; datagrams are read as they come and queued). */
class Udp {
  kind = 'udp';
  closed = false;
  bound = false;
  sock = null;
  timeout = null;
  queue = [];
  reader = null;

  check(call) {
    if (this.closed) throw new SockErr('EBADF', `${call}() on a closed socket`);
  }

  ensure() {
    if (this.sock) return this.sock;
    this.sock = dgram.createSocket({ type: 'udp4' });
    this.sock.on('message', (msg) => {
      const r = this.reader;
      if (r) {
        this.reader = null;
        r.cancel();
        r.resolve(msg);
      } else this.queue.push(msg);
    });
    this.sock.on('error', (err) => process.stderr.write(`scenario-runner: UDP socket error ${err.code}\n`));
    return this.sock;
  }

  async bind(address, port) {
    this.check('bind');
    if (this.bound) throw new SockErr('EINVAL', 'bind() on a bound socket');
    const sock = this.ensure();
    await new Promise((resolve, reject) => {
      const failed = (err) => reject(sockErr(err, `bind(${address}:${port})`));
      sock.once('error', failed);
      sock.bind({ address, port }, () => {
        sock.off('error', failed);
        resolve();
      });
    });
    this.bound = true;
  }

  async sendto(data, host, port, ownAddress) {
    this.check('sendto');
    if (!this.bound) await this.bind(ownAddress, 0); // so its datagrams come from its host's address
    return new Promise((resolve, reject) => {
      this.sock.send(data, port, host, (err, n) => {
        if (!err) return resolve(n);
        reject(sockErr(err, 'sendto'));
      });
    });
  }

  async recvfrom(max) {
    this.check('recvfrom');
    if (!this.bound) throw new SockErr('EINVAL', 'recvfrom() on an unbound UDP socket'); // as the simulator
    const cut = (msg) => (msg.length > max ? msg.subarray(0, max) : msg); // the rest of the datagram is lost
    if (this.queue.length > 0) return cut(this.queue.shift());
    if (this.timeout === 0) throw new SockErr('EAGAIN', 'recvfrom');
    return new Promise((resolve, reject) => {
      const cancel = timer(this.timeout, () => {
        this.reader = null;
        reject(new SockErr('EAGAIN', 'recvfrom() timed out'));
      });
      this.reader = { resolve: (msg) => resolve(cut(msg)), cancel };
    });
  }

  close() {
    if (this.closed) return;
    this.closed = true;
    this.sock?.close();
  }
}

/** Calls made before t0 when they open a program that starts at 0 (Program.prelude). */
const PRELUDE_CALLS = new Set(['socket', 'setsockopt', 'bind', 'listen', 'settimeout']);

/** One program of the plan, run as program.ts Runner runs it. */
class Program {
  constructor(spec, runtime) {
    this.host = spec.host;
    this.name = spec.name;
    this.start = spec.start;
    this.spec = spec.steps;
    this.runtime = runtime;
    this.hosts = runtime.plan.hosts;
    this.address = runtime.plan.hosts[spec.host];
    this.sockets = new Map();
    this.data = new Map();
    this.doing = 'not started';
    this.reported = false;
  }

  line(status, detail) {
    return `PROGRAM ${asJson({ host: this.host, program: this.name, status, detail })}`;
  }

  finish(status, detail) {
    if (this.reported || this.runtime.out.closed) return;
    this.reported = true;
    this.runtime.out.write(this.line(status, detail));
  }

  /**
   * The leading calls of a program that starts at 0 that need no peer and take no time (socket, setsockopt, bind,
   * listen, settimeout, with no `at`) are made before t0: the simulator makes them at 0 in no time, and a client
   * starting 1 ms later must find the server listening however loaded the machine is.
   */
  async prelude() {
    this.skip = 0;
    if (this.start !== 0) return;
    while (this.skip < this.spec.length && PRELUDE_CALLS.has(this.spec[this.skip].call) && this.spec[this.skip].at === undefined) this.skip++;
    try {
      await this.steps(this.spec.slice(0, this.skip), 0);
    } catch (e) {
      this.preludeError = e;
    }
  }

  async run() {
    try {
      if (this.preludeError) throw this.preludeError;
      this.doing = 'waiting to start';
      await this.runtime.clock.until(this.start);
      await this.steps(this.spec.slice(this.skip ?? 0), 0);
      this.finish('done', '');
    } catch (e) {
      if (e instanceof SockErr) this.finish('failed', `uncaught ${e.errno} in ${e.detail}`);
      else if (e instanceof StopProgram) this.finish('failed', e.message);
      else if (e instanceof Unsupported) this.runtime.unsupported(`${this.name}: ${e.message}`);
      else {
        process.stderr.write(`scenario-runner: ${e?.stack ?? e}\n`);
        this.finish('failed', `runner error: ${e?.message ?? e}`);
      }
    }
  }

  // -- steps (program.ts Runner.steps / repeat / call) -----------------------------------------------------------

  async steps(list, loops) {
    for (let i = 0; i < list.length; i++) {
      const step = list[i];
      if (step.at !== undefined) {
        this.doing = `waiting for at=${step.at / 1e6}s before ${describe(step)}`;
        await this.runtime.clock.until(step.at);
      }
      if (step.call === 'repeat') await this.repeat(step.steps, step.times, step.until, loops + 1);
      else await this.call(step, loops, list, i);
    }
  }

  async repeat(body, times, until, loops) {
    const limit = times ?? MAX_ITERATIONS;
    for (let i = 0; i < limit; i++) {
      try {
        await this.steps(body, until === 'eof' ? loops : 0);
      } catch (e) {
        if (until === 'eof' && e instanceof EndOfFile) return;
        if (until === 'error' && e instanceof SockErr) return;
        throw e;
      }
    }
    if (until !== undefined) throw new StopProgram(`repeat until ${until}: still going after ${MAX_ITERATIONS} rounds; stopped`);
  }

  async call(step, loops, list, i) {
    const spec = expected(step.expect);
    let result = 'ok';
    let eof = false;
    let value;
    let err;
    this.doing = describe(step);
    const made = this.runtime.clock.now(); // when the call was made (t: when it returned), for the harness's align.ts
    try {
      [eof, value] = await this.perform(step, list, i);
    } catch (e) {
      if (!(e instanceof SockErr)) throw e;
      e.detail = describe(step);
      err = e;
      result = e.errno;
    }
    this.doing = 'between calls';
    if (step.call !== 'sleep' && step.call !== 'wait_until') {
      const line = { t: this.runtime.clock.now(), made, host: this.host, program: this.name, call: step.call, socket: socketOf(step), result };
      if (value !== undefined) line.value = value;
      this.runtime.out.write(`CALL ${asJson(line)}`);
    }
    if (err && spec === undefined) throw err; // uncaught: the program ends here
    if (spec !== undefined && spec !== 'any' && spec !== result && result !== 'ok') throw new StopProgram(`${describe(step)} -> ${result}, expected ${spec}`);
    if (eof && loops > 0) throw new EndOfFile();
  }

  // -- the calls (program.ts Runner.perform) -------------------------------------------------------------------

  /** Makes the call; [end-of-file?, value for the CALL line]. */
  async perform(step, list, i) {
    const a = step.args;
    const clock = this.runtime.clock;
    switch (step.call) {
      case 'socket':
        this.sockets.set(a.name, a.type === 'udp' ? new Udp() : new Tcp(this.runtime));
        return [false, undefined];
      case 'sleep':
        await clock.until(clock.now() + a);
        return [false, undefined];
      case 'wait_until':
        await clock.until(a);
        return [false, undefined];
      case 'setsockopt':
        this.tcp(a.socket).setsockopt(a.option, a.value);
        return [false, undefined];
      case 'bind': {
        const h = this.handle(a.socket);
        const address = a.address === '' ? this.address : resolveHost(this.hosts, a.address, 'bind');
        if (h.kind === 'udp') await h.bind(address, a.port);
        else {
          const partner = bindPartner(list, i);
          if (partner.why) throw new Unsupported(partner.why);
          await h.bind(address, a.port, partner);
        }
        return [false, undefined];
      }
      case 'listen':
        await this.tcp(a.socket).listen(a.backlog);
        return [false, undefined];
      case 'accept': {
        const conn = await this.tcp(a.socket).accept();
        this.sockets.set(a.as, conn);
        return [false, undefined];
      }
      case 'connect':
      case 'connect_ex': {
        // connect_ex is connect with the errno returned instead of raised: the same result either way.
        const [host, port] = resolveEndpoint(this.hosts, a.to, step.call);
        await this.tcp(a.socket).connect(host, port, this.address);
        return [false, undefined];
      }
      case 'send':
        return [false, await this.tcp(a.socket).send(this.bytes(a.payload, a.framed))];
      case 'sendall':
        await this.tcp(a.socket).send(this.bytes(a.payload, a.framed));
        return [false, undefined];
      case 'recv': {
        const h = this.handle(a.socket);
        const data = h.kind === 'udp' ? await h.recvfrom(a.max) : await h.recv(a.max);
        return [this.store(a.as, data), data.length];
      }
      case 'recvall': {
        const s = this.tcp(a.socket);
        const parts = [];
        for (let chunk = await s.recv(RECVALL_CHUNK); chunk.length > 0; chunk = await s.recv(RECVALL_CHUNK)) parts.push(chunk);
        const data = Buffer.concat(parts);
        return [this.store(a.as, data), data.length];
      }
      case 'recv_message': {
        const s = this.tcp(a.socket);
        const prefix = await recvExactly(s, PREFIX_BYTES);
        if (prefix.length < PREFIX_BYTES) return [this.store(a.as, prefix), prefix.length];
        const body = await recvExactly(s, prefix.readUInt32BE(0));
        this.store(a.as, body);
        return [false, prefix.length + body.length]; // a whole message, even an empty one, is not end-of-file
      }
      case 'shutdown': {
        const s = this.tcp(a.socket);
        if (a.how !== 'SHUT_WR') throw new Unsupported(`shutdown ${a.how}`);
        await s.shutdownWrite();
        return [false, undefined];
      }
      case 'close':
        this.handle(a.socket).close();
        return [false, undefined];
      case 'settimeout': {
        this.handle(a.socket).timeout = a.seconds; // the simulator's settimeout() does not check for a closed socket
        return [false, undefined];
      }
      case 'sendto': {
        const [host, port] = resolveEndpoint(this.hosts, a.to, 'sendto');
        return [false, await this.udp(a.socket).sendto(this.bytes(a.payload, false), host, port, this.address)];
      }
      case 'recvfrom': {
        const data = await this.udp(a.socket).recvfrom(a.max);
        return [this.store(a.as, data), data.length];
      }
    }
    throw new Unsupported(`call ${step.call}`);
  }

  store(as, data) {
    if (as !== undefined) this.data.set(as, data);
    return data.length === 0;
  }

  bytes(payload, framed) {
    let body;
    if ('data' in payload) body = Buffer.from(payload.data, 'utf8');
    else if ('bytes' in payload) body = filler(payload.bytes);
    else {
      if (!this.data.has(payload.from)) throw new StopProgram(`data "${payload.from}" was never received`);
      body = Buffer.from(this.data.get(payload.from));
    }
    return framed ? frame(body) : body;
  }

  handle(name) {
    const h = this.sockets.get(name);
    if (!h) throw new StopProgram(`socket "${name}" does not exist`);
    return h;
  }

  tcp(name) {
    const h = this.handle(name);
    if (h.kind !== 'tcp') throw new SockErr('EOPNOTSUPP', `${name} is a UDP socket`);
    return h;
  }

  udp(name) {
    const h = this.handle(name);
    if (h.kind !== 'udp') throw new SockErr('EOPNOTSUPP', `${name} is a TCP socket`);
    return h;
  }
}

async function recvExactly(sock, n) {
  const parts = [];
  let have = 0;
  while (have < n) {
    const chunk = await sock.recv(n - have);
    if (chunk.length === 0) break;
    parts.push(chunk);
    have += chunk.length;
  }
  return Buffer.concat(parts);
}

/**
 * The first run of any code path takes a millisecond or more (compiled on first use), which would make the first
 * programs' calls late. A program of the calls that need no peer runs once before t0, printing nothing: a listener
 * on 127.0.0.1 port 0 (no connection comes, no packet is sent), an accept that times out, a UDP socket.
 */
async function warmUp() {
  process.stdout.write(''); // opens the stdout stream
  const runtime = { plan: { hosts: { w: '127.0.0.1' } }, out: { closed: false, write: () => undefined }, clock: new Clock(), unsupported: refuse };
  const step = (call, args, extra = {}) => ({ call, args, ...extra });
  const steps = [
    step('socket', { name: 's', type: 'tcp' }),
    step('setsockopt', { socket: 's', option: 'TCP_NODELAY', value: 1 }),
    step('bind', { socket: 's', address: '127.0.0.1', port: 0 }),
    step('listen', { socket: 's', backlog: 1 }),
    step('settimeout', { socket: 's', seconds: 0.001 }),
    step('accept', { socket: 's', as: 'c' }, { expect: 'EAGAIN' }),
    step('close', { socket: 's' }),
    step('socket', { name: 'u', type: 'udp' }),
    step('bind', { socket: 'u', address: '', port: 0 }),
    step('settimeout', { socket: 'u', seconds: 0 }),
    step('recvfrom', { socket: 'u', max: 10 }, { expect: 'EAGAIN' }),
    step('close', { socket: 'u' }),
    step('sleep', 0),
  ];
  const program = new Program({ host: 'w', name: 'warm-up', start: 0, steps }, runtime);
  program.finish = () => undefined;
  await program.run();
}

function refuse(message) {
  process.stderr.write(`scenario-runner: ${message}\n`);
  process.exit(3);
}

async function main() {
  let plan;
  try {
    let raw;
    try {
      raw = readFileSync('plan.json', 'utf8');
    } catch (e) {
      throw new PlanError(`cannot read plan.json: ${e.message}`);
    }
    let parsed;
    try {
      parsed = JSON.parse(raw);
    } catch (e) {
      throw new PlanError(`plan.json is not JSON: ${e.message}`);
    }
    plan = checkPlan(parsed);
  } catch (e) {
    if (e instanceof PlanError) refuse(`bad plan: ${e.message}`);
    throw e;
  }
  const why = unsupportedStep(plan.programs);
  if (why) refuse(`cannot run this plan with node:net: ${why}`);

  await warmUp();
  const lines = createInterface({ input: process.stdin })[Symbol.asyncIterator]();
  /** The harness's answer to a MARK line (end of input counts as one: never wait forever). */
  const readGo = () => lines.next();
  const runtime = {
    plan,
    out: new Output(),
    clock: new Clock(), // t0 is taken again after the preludes
    unsupported: (message) => refuse(`cannot go on with node:net: ${message}`),
  };
  const programs = plan.programs.map((spec) => new Program(spec, runtime));
  for (const p of programs) await p.prelude();
  runtime.clock.t0 = performance.now(); // t0: the preludes' CALL lines say 0 or a little more
  const marks = (async () => {
    for (const m of plan.marks) {
      await runtime.clock.until(m.t);
      runtime.out.write(`MARK ${m.name}`);
      await readGo();
    }
  })();
  for (const p of programs) void p.run();
  await runtime.clock.until(plan.end);
  await marks; // every mark up to end has been answered
  for (const p of programs) {
    if (!p.reported) {
      p.reported = true;
      runtime.out.write(p.line('blocked', `in ${p.doing}`));
    }
  }
  runtime.out.write('MARK end');
  runtime.out.closed = true;
  await readGo();
  process.exit(0); // no graceful close: the harness has stopped the capture
}

await main();
