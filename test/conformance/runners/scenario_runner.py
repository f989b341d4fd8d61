#!/usr/bin/env python3
"""Runs a synack scenario's programs with real blocking sockets: one thread per program, on loopback.

The conformance harness starts this in a fresh network namespace with cwd = a temp dir holding plan.json:
  {"hosts": {"client": "127.0.0.11", ...}, "programs": [{"host", "name", "start", "steps"}],
   "marks": [{"name", "t"}], "end": t}
All times are integer microseconds after t0, the moment the plan has been read and checked. The steps are the
parsed steps of src/scenarios/file/steps.ts as JSON; each is run as src/scenarios/file/program.ts runs it in
the simulator (repeat, expect, recvall, recv_message, framing, filler bytes, stored data).

Output, one line each on stdout:
  CALL {"t":..,"host":..,"program":..,"call":..,"socket":..,"result":"ok"|errno,"value"?:n}
  MARK <name>      then one line is read from stdin before the mark schedule goes on
  PROGRAM {"host":..,"program":..,"status":"done"|"failed"|"blocked","detail":..}
  MARK end         at `end`, after the PROGRAM lines still owed; then one stdin line, then os._exit(0)
A plan this runner cannot run: a message on stderr, exit status 3.

Python 3 standard library only.
"""
import errno
import ipaddress
import json
import os
import re
import socket
import struct
import sys
import threading
import time
import traceback

# A loop may run this many times at most (program.ts MAX_ITERATIONS).
MAX_ITERATIONS = 100_000
# recv_message's length prefix: 4 bytes, network byte order.
PREFIX_BYTES = 4
# Linux IP_BIND_ADDRESS_NO_PORT (include/uapi/linux/in.h): bind the address now, pick the port at connect().
IP_BIND_ADDRESS_NO_PORT = 24
FILLER = b'abcdefghijklmnopqrstuvwxyz'

# The errno names of src/tcp/errno.ts, preferred where Linux has two names for one number (EAGAIN/EWOULDBLOCK,
# EOPNOTSUPP/ENOTSUP).
ERRNO_NAMES = ['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EADDRINUSE', 'EADDRNOTAVAIL', 'EPIPE', 'EINVAL', 'EISCONN',
               'ENOTCONN', 'EALREADY', 'EAGAIN', 'EINPROGRESS', 'EBADF', 'EOPNOTSUPP', 'EAFNOSUPPORT', 'EHOSTUNREACH',
               'EMSGSIZE', 'EDESTADDRREQ']
_PREFERRED = {getattr(errno, n): n for n in ERRNO_NAMES if hasattr(errno, n)}

SOCKET_ARG = ('socket',)
CALLS = {
    'socket', 'setsockopt', 'bind', 'listen', 'accept', 'connect', 'connect_ex', 'send', 'sendall', 'recv', 'recvall',
    'recv_message', 'shutdown', 'close', 'settimeout', 'sendto', 'recvfrom', 'sleep', 'wait_until',
}
OUTCOME_WORDS = ('ok', 'any')
NAME = re.compile(r'^[A-Za-z_][A-Za-z0-9_]*$')
ENDPOINT = re.compile(r'^([^\s:\[\]]+):(\d+)$')


class PlanError(Exception):
    """The plan cannot be run: exit 3."""


class SockErr(Exception):
    """A call failed with an errno (program.ts SocketError)."""

    def __init__(self, name, detail=''):
        super().__init__(name)
        self.errno_name = name
        self.detail = detail


class EndOfFile(Exception):
    """A receive returned end-of-file inside a repeat-until-eof."""


class StopProgram(Exception):
    """The program ends here (program.ts StopProgram): a mismatching expectation, or a loop that never ended."""


# ---------------------------------------------------------------------------------------------------------------
# Pure helpers


def errno_name(num):
    """An errno number as its Linux name, preferring the names synack uses."""
    if num in _PREFERRED:
        return _PREFERRED[num]
    return errno.errorcode.get(num, 'E%d' % num if isinstance(num, int) else 'EUNKNOWN')


def filler(n):
    """N bytes of readable filler: "abcdefghijklmnopqrstuvwxyz" over and over."""
    return (FILLER * (n // len(FILLER) + 1))[:n]


def frame(body):
    """A length-prefixed message: 4 bytes big-endian length, then the body (struct.pack("!I", n))."""
    return struct.pack('!I', len(body)) + body


def expected(spec):
    """The outcome `expect` asks for under the linux profile, or None when it asks nothing."""
    if isinstance(spec, dict):
        return spec.get('linux')
    return spec


def describe(step):
    """A call as program.ts describeStep writes it: connect(server:80), bind(*:80), close(s), sleep(0.5)."""
    call, a = step['call'], step.get('args')
    if call in ('connect', 'connect_ex'):
        return '%s(%s)' % (call, a['to'])
    if call == 'bind':
        return 'bind(%s:%s)' % (a.get('address') or '*', a['port'])
    if call in ('sleep', 'wait_until'):
        return '%s(%g)' % (call, a / 1e6)
    if call == 'repeat':
        return 'repeat'
    if call == 'socket':
        return 'socket(%s)' % a['name']
    return '%s(%s)' % (call, a.get('socket', ''))


def socket_of(step):
    """The socket name a CALL line reports: the new socket's for `socket`, the argument's otherwise."""
    a = step['args']
    return a['name'] if step['call'] == 'socket' else a['socket']


def is_ipv4(text):
    try:
        ipaddress.IPv4Address(text)
        return True
    except ValueError:
        return False


# ---------------------------------------------------------------------------------------------------------------
# Plan checking: everything that can be wrong with a plan is found before t0.


def _is_time(v):
    return isinstance(v, (int, float)) and not isinstance(v, bool) and v >= 0


def _is_int(v, low=None, high=None):
    if isinstance(v, bool) or not isinstance(v, int):
        return False
    return (low is None or v >= low) and (high is None or v <= high)


def _need(cond, where, message):
    if not cond:
        raise PlanError('%s: %s' % (where, message))


def resolve_host(hosts, text, where):
    """A host name of the plan, "localhost" or an IPv4 literal, as an IPv4 address."""
    if text in hosts:
        return hosts[text]
    if text == 'localhost':
        return '127.0.0.1'
    _need(is_ipv4(text), where, 'expected a host (%s) or an IPv4 address, found "%s"' % (', '.join(hosts) or 'none', text))
    return text


def resolve_endpoint(hosts, text, where):
    """ "host:port" -> (address, port)."""
    m = ENDPOINT.match(text) if isinstance(text, str) else None
    _need(m is not None, where, 'expected an endpoint "host:port" (IPv4), found %s' % json.dumps(text))
    port = int(m.group(2))
    _need(port <= 65535, where, 'port %d is out of range' % port)
    return (resolve_host(hosts, m.group(1), where), port)


def _check_payload(a, where):
    p = a.get('payload')
    _need(isinstance(p, dict) and len(p) == 1 and next(iter(p)) in ('data', 'bytes', 'from'), where,
          'expected payload {"data": text} | {"bytes": n} | {"from": name}, found %s' % json.dumps(p))
    if 'data' in p:
        _need(isinstance(p['data'], str), where, 'payload.data must be text')
    elif 'bytes' in p:
        _need(_is_int(p['bytes'], 0, 64 * 1024 * 1024), where, 'payload.bytes must be an integer 0..67108864')
    else:
        _need(isinstance(p['from'], str) and NAME.match(p['from']), where, 'payload.from must be a name')


def _check_args(call, a, hosts, where):
    """Checks one call's arguments (the JSON of steps.ts CALLS) and fills the defaults the schema has."""
    if call in ('sleep', 'wait_until'):
        _need(_is_time(a), where, '%s takes a duration in microseconds, found %s' % (call, json.dumps(a)))
        return a
    _need(isinstance(a, dict), where, '%s takes a map of arguments, found %s' % (call, json.dumps(a)))
    a = dict(a)
    if call == 'socket':
        _need(isinstance(a.get('name'), str) and NAME.match(a['name']), where, 'socket needs a name')
        a.setdefault('type', 'tcp')
        _need(a['type'] in ('tcp', 'udp'), where, 'socket type must be "tcp" or "udp", found %s' % json.dumps(a['type']))
        return a
    _need(isinstance(a.get('socket'), str) and NAME.match(a['socket']), where,
          '%s needs "socket": a socket name, found %s' % (call, json.dumps(a.get('socket'))))
    if call == 'setsockopt':
        _need(a.get('option') in ('SO_REUSEADDR', 'TCP_NODELAY', 'SO_LINGER', 'SO_SNDBUF'), where,
              'option must be SO_REUSEADDR, TCP_NODELAY, SO_LINGER or SO_SNDBUF, found %s' % json.dumps(a.get('option')))
        _need('value' in a, where, 'setsockopt needs a value')
    elif call == 'bind':
        a.setdefault('address', '')
        _need(isinstance(a['address'], str), where, 'bind address must be text')
        if a['address'] != '':
            resolve_host(hosts, a['address'], where)
        _need(_is_int(a.get('port'), 0, 65535), where, 'bind needs a port 0..65535, found %s' % json.dumps(a.get('port')))
    elif call == 'listen':
        a.setdefault('backlog', 128)
        _need(_is_int(a['backlog'], 0), where, 'listen backlog must be an integer >= 0')
    elif call == 'accept':
        _need(isinstance(a.get('as'), str) and NAME.match(a['as']), where, 'accept needs "as": the new socket\'s name')
    elif call in ('connect', 'connect_ex'):
        resolve_endpoint(hosts, a.get('to'), where)
    elif call in ('send', 'sendall'):
        _check_payload(a, where)
        a.setdefault('framed', False)
        _need(isinstance(a['framed'], bool), where, 'framed must be true or false')
    elif call in ('recv', 'recvfrom'):
        a.setdefault('max', 65536)
        _need(_is_int(a['max'], 1), where, '%s max must be an integer >= 1' % call)
    elif call == 'shutdown':
        _need(a.get('how') in ('SHUT_RD', 'SHUT_WR', 'SHUT_RDWR'), where,
              'shutdown how must be SHUT_RD, SHUT_WR or SHUT_RDWR, found %s' % json.dumps(a.get('how')))
    elif call == 'settimeout':
        s = a.get('seconds')
        _need(s is None or _is_time(s), where, 'settimeout seconds must be a number >= 0 or null, found %s' % json.dumps(s))
    elif call == 'sendto':
        resolve_endpoint(hosts, a.get('to'), where)
        _check_payload(a, where)
    if 'as' in a and call in ('recv', 'recvall', 'recv_message', 'recvfrom'):
        _need(isinstance(a['as'], str) and NAME.match(a['as']), where, '"as" must be a name')
    return a


def _check_expect(spec, where):
    def one(o):
        return o in OUTCOME_WORDS or (isinstance(o, str) and re.match(r'^E[A-Z0-9]+$', o) is not None)
    if isinstance(spec, dict):
        _need(set(spec) <= {'linux', 'rfc9293'} and all(one(v) for v in spec.values()), where,
              'expect {linux, rfc9293} must hold outcomes, found %s' % json.dumps(spec))
    else:
        _need(one(spec), where, 'expect must be "ok", "any", an errno name or {linux, rfc9293}, found %s' % json.dumps(spec))


def check_steps(steps, hosts, where):
    """The steps, checked, with defaults filled in. Raises PlanError naming the step."""
    _need(isinstance(steps, list), where, 'steps must be a list')
    out = []
    for i, step in enumerate(steps):
        at = '%s[%d]' % (where, i)
        _need(isinstance(step, dict), at, 'expected a step {"call": .., "args": ..}, found %s' % json.dumps(step))
        call = step.get('call')
        if 'at' in step:
            _need(_is_time(step['at']), at, '"at" must be a time in microseconds, found %s' % json.dumps(step['at']))
        if call == 'repeat':
            times, until = step.get('times'), step.get('until')
            _need((times is None) != (until is None), at, 'repeat needs exactly one of times or until')
            _need(times is None or _is_int(times, 1), at, 'repeat times must be an integer >= 1')
            _need(until in (None, 'eof', 'error'), at, 'repeat until must be "eof" or "error", found %s' % json.dumps(until))
            _need('expect' not in step, at, 'expect belongs on the calls inside a repeat')
            body = check_steps(step.get('steps'), hosts, at + '.steps')
            _need(len(body) > 0, at, 'repeat needs at least one step')
            out.append(dict(step, steps=body))
            continue
        _need(call in CALLS, at, 'unknown call %s (expected one of %s, repeat)' % (json.dumps(call), ', '.join(sorted(CALLS))))
        _need('args' in step, at, '%s has no "args"' % call)
        if 'expect' in step:
            _check_expect(step['expect'], at)
        out.append(dict(step, args=_check_args(call, step['args'], hosts, '%s.%s' % (at, call))))
    return out


def check_plan(plan):
    """The plan, checked; raises PlanError with what is wrong and where."""
    _need(isinstance(plan, dict), 'plan', 'expected a map with hosts, programs, marks and end')
    hosts = plan.get('hosts')
    _need(isinstance(hosts, dict) and all(isinstance(v, str) and is_ipv4(v) for v in hosts.values()), 'plan.hosts',
          'expected a map of host name -> IPv4 address, found %s' % json.dumps(hosts))
    _need(_is_time(plan.get('end')), 'plan.end', 'expected a time in microseconds, found %s' % json.dumps(plan.get('end')))
    programs = []
    raw_programs = plan.get('programs', [])
    _need(isinstance(raw_programs, list), 'plan.programs', 'expected a list')
    for i, p in enumerate(raw_programs):
        where = 'programs[%d]' % i
        _need(isinstance(p, dict), where, 'expected a map with host, name, start and steps')
        _need(p.get('host') in hosts, where + '.host', 'expected a host of plan.hosts (%s), found %s' % (', '.join(hosts), json.dumps(p.get('host'))))
        name = p.get('name', p['host'])
        _need(isinstance(name, str), where + '.name', 'expected text')
        start = p.get('start', 0)
        _need(_is_time(start), where + '.start', 'expected a time in microseconds, found %s' % json.dumps(start))
        programs.append({'host': p['host'], 'name': name, 'start': start, 'steps': check_steps(p.get('steps'), hosts, where + '.steps')})
    marks = plan.get('marks', [])
    _need(isinstance(marks, list), 'plan.marks', 'expected a list')
    seen = set()
    for i, m in enumerate(marks):
        where = 'marks[%d]' % i
        _need(isinstance(m, dict) and isinstance(m.get('name'), str) and re.match(r'^\S+$', m['name']), where,
              'expected {"name": a name without spaces, "t": µs}, found %s' % json.dumps(m))
        _need(m['name'] != 'end' and m['name'] not in seen, where, 'mark name "%s" is "end" or used twice' % m['name'])
        _need(_is_time(m.get('t')), where, 'mark "%s": t must be a time in microseconds' % m['name'])
        _need(m['t'] <= plan['end'], where, 'mark "%s" at %s is after end (%s)' % (m['name'], m['t'], plan['end']))
        seen.add(m['name'])
    return {'hosts': dict(hosts), 'programs': programs, 'marks': sorted(marks, key=lambda m: m['t']), 'end': plan['end']}


# ---------------------------------------------------------------------------------------------------------------
# Running


class Clock:
    def __init__(self):
        self.t0 = time.monotonic()

    def start(self):
        """Takes t0: now."""
        self.t0 = time.monotonic()

    def now(self):
        """Microseconds since t0."""
        return int(round((time.monotonic() - self.t0) * 1e6))

    def sleep_until(self, t):
        delay = self.t0 + t / 1e6 - time.monotonic()
        if delay > 0:
            time.sleep(delay)


class Output:
    """Whole lines on stdout from many threads; nothing more after `end` has been written."""

    def __init__(self, stream):
        self.lock = threading.Lock()
        self.stream = stream
        self.closed = False

    def write(self, line):
        with self.lock:
            if not self.closed:
                self._put(line)

    def call(self, clock, fields):
        """A CALL line; its time is taken under the lock, so CALL lines come out in time order."""
        with self.lock:
            if not self.closed:
                self._put('CALL ' + as_json(dict({'t': clock.now()}, **fields)))

    def _put(self, line):
        self.stream.write(line + '\n')
        self.stream.flush()


def as_json(obj):
    return json.dumps(obj, separators=(',', ':'))


class Sock:
    def __init__(self, sock, kind, bound=False):
        self.sock = sock
        self.kind = kind
        self.bound = bound


# Calls made before t0 when they open a program that starts at 0 (Program.prelude).
PRELUDE_CALLS = ('socket', 'setsockopt', 'bind', 'listen', 'settimeout')


class Program:
    """One program of the plan, run in its own thread, as program.ts Runner runs it."""

    def __init__(self, spec, plan, clock, out):
        self.host = spec['host']
        self.name = spec['name']
        self.start = spec['start']
        self.steps_ = spec['steps']
        self.hosts = plan['hosts']
        self.address = plan['hosts'][self.host]
        self.clock = clock
        self.out = out
        self.sockets = {}
        self.data = {}
        self.doing = 'not started (starts at %gs)' % (self.start / 1e6)
        self.reported = False  # guarded by out.lock
        self.skip = 0  # leading steps made before t0 (prelude)
        self.prelude_error = None

    # -- outcome ------------------------------------------------------------------------------------------------

    def program_line(self, status, detail):
        return 'PROGRAM ' + as_json({'host': self.host, 'program': self.name, 'status': status, 'detail': detail})

    def finish(self, status, detail):
        with self.out.lock:
            if self.reported or self.out.closed:
                return
            self.reported = True
            self.out._put(self.program_line(status, detail))

    def prelude(self):
        """The leading calls of a program that starts at 0 that need no peer and take no time (socket, setsockopt,
        bind, listen, settimeout, with no `at`) are made before t0: the simulator makes them at 0 in no time, and a
        client starting 1 ms later must find the server listening however loaded the machine is."""
        if self.start != 0:
            return
        while (self.skip < len(self.steps_) and self.steps_[self.skip]['call'] in PRELUDE_CALLS
               and 'at' not in self.steps_[self.skip]):
            self.skip += 1
        try:
            self.steps(self.steps_[:self.skip], 0)
        except (SockErr, StopProgram) as e:
            self.prelude_error = e

    def run(self):
        try:
            if self.prelude_error is not None:
                raise self.prelude_error
            self.clock.sleep_until(self.start)
            self.doing = 'between calls'
            self.steps(self.steps_[self.skip:], 0)
            self.finish('done', '')
        except SockErr as e:
            self.finish('failed', 'uncaught %s in %s' % (e.errno_name, e.detail))
        except StopProgram as e:
            self.finish('failed', str(e))
        except Exception as e:  # a runner bug: say so, do not hang
            traceback.print_exc(file=sys.stderr)
            self.finish('failed', 'runner error: %r' % (e,))

    # -- steps (program.ts Runner.steps / repeat / call) -----------------------------------------------------------

    def steps(self, steps, loops):
        for step in steps:
            if 'at' in step:
                self.doing = 'waiting for at=%gs before %s' % (step['at'] / 1e6, describe(step))
                self.clock.sleep_until(step['at'])
            if step['call'] == 'repeat':
                self.repeat(step['steps'], step.get('times'), step.get('until'), loops + 1)
            else:
                self.call(step, loops)

    def repeat(self, body, times, until, loops):
        limit = times if times is not None else MAX_ITERATIONS
        for _ in range(limit):
            try:
                self.steps(body, loops if until == 'eof' else 0)
            except EndOfFile:
                if until == 'eof':
                    return
                raise
            except SockErr:
                if until == 'error':
                    return
                raise
        if until is not None:
            raise StopProgram('repeat until %s: still going after %d rounds; stopped' % (until, MAX_ITERATIONS))

    def call(self, step, loops):
        spec = expected(step.get('expect'))
        result, eof, value, err = 'ok', False, None, None
        self.doing = 'in ' + describe(step)
        made = self.clock.now()  # when the call was made ('t': when it returned), for the harness's align.ts
        try:
            eof, value = self.perform(step)
        except SockErr as e:
            err, result = e, e.errno_name
        self.doing = 'between calls'
        if step['call'] not in ('sleep', 'wait_until'):
            line = {'made': made, 'host': self.host, 'program': self.name, 'call': step['call'], 'socket': socket_of(step), 'result': result}
            if value is not None:
                line['value'] = value
            self.out.call(self.clock, line)
        if err is not None and spec is None:
            raise err  # uncaught: the program ends here
        if spec is not None and spec != 'any' and spec != result and result != 'ok':
            raise StopProgram('%s -> %s, expected %s' % (describe(step), result, spec))
        if eof and loops > 0:
            raise EndOfFile()

    # -- the calls (program.ts Runner.perform) -------------------------------------------------------------------

    def perform(self, step):
        """Makes the call; returns (end-of-file?, value for the CALL line). OSErrors become SockErr."""
        what = describe(step)
        try:
            return self._perform(step['call'], step['args'])
        except SockErr as e:
            e.detail = e.detail or what
            raise
        except socket.timeout as e:
            if e.errno is not None:  # ETIMEDOUT from the kernel is a TimeoutError too
                raise SockErr(errno_name(e.errno), what)
            # settimeout expired: EAGAIN, connect: EINPROGRESS (as the simulator's socket layer says)
            raise SockErr('EINPROGRESS' if step['call'] in ('connect', 'connect_ex') else 'EAGAIN', what)
        except OSError as e:
            if e.errno is None:
                raise
            raise SockErr(errno_name(e.errno), what)

    def _perform(self, call, a):
        if call == 'socket':
            kind = a['type']
            s = socket.socket(socket.AF_INET, socket.SOCK_STREAM if kind == 'tcp' else socket.SOCK_DGRAM)
            self.sockets[a['name']] = Sock(s, kind)
            return False, None
        if call == 'sleep':
            time.sleep(a / 1e6)
            return False, None
        if call == 'wait_until':
            self.clock.sleep_until(a)
            return False, None
        if call == 'setsockopt':
            self.setsockopt(self.tcp(a['socket']).sock, a['option'], a['value'])
            return False, None
        if call == 'bind':
            h = self.handle(a['socket'])
            address = self.address if a['address'] == '' else resolve_host(self.hosts, a['address'], 'bind')
            h.sock.bind((address, a['port']))
            h.bound = True
            return False, None
        if call == 'listen':
            self.tcp(a['socket']).sock.listen(a['backlog'])
            return False, None
        if call == 'accept':
            conn, _peer = self.tcp(a['socket']).sock.accept()
            self.sockets[a['as']] = Sock(conn, 'tcp', bound=True)
            return False, None
        if call in ('connect', 'connect_ex'):
            # connect_ex is connect with the errno returned instead of raised: the same result either way.
            h = self.tcp(a['socket'])
            self.bind_to_host(h, no_port=True)
            h.sock.connect(resolve_endpoint(self.hosts, a['to'], call))
            return False, None
        if call == 'send':
            n = self.tcp(a['socket']).sock.send(self.bytes(a['payload'], a['framed']))
            return False, n
        if call == 'sendall':
            self.tcp(a['socket']).sock.sendall(self.bytes(a['payload'], a['framed']))
            return False, None
        if call == 'recv':
            h = self.handle(a['socket'])
            self.need_bound_udp(h)
            data = h.sock.recv(a['max'])
            return self.store(a.get('as'), data), len(data)
        if call == 'recvall':
            s = self.tcp(a['socket']).sock
            parts = []
            while True:
                chunk = s.recv(65536)
                if not chunk:
                    break
                parts.append(chunk)
            data = b''.join(parts)
            return self.store(a.get('as'), data), len(data)
        if call == 'recv_message':
            s = self.tcp(a['socket']).sock
            prefix = recv_exactly(s, PREFIX_BYTES)
            if len(prefix) < PREFIX_BYTES:
                return self.store(a.get('as'), prefix), len(prefix)
            body = recv_exactly(s, struct.unpack('!I', prefix)[0])
            self.store(a.get('as'), body)
            return False, len(prefix) + len(body)  # a whole message, even an empty one, is not end-of-file
        if call == 'shutdown':
            how = {'SHUT_RD': socket.SHUT_RD, 'SHUT_WR': socket.SHUT_WR, 'SHUT_RDWR': socket.SHUT_RDWR}[a['how']]
            self.tcp(a['socket']).sock.shutdown(how)
            return False, None
        if call == 'close':
            self.handle(a['socket']).sock.close()  # a second close is allowed, as in Python
            return False, None
        if call == 'settimeout':
            self.handle(a['socket']).sock.settimeout(a['seconds'])
            return False, None
        if call == 'sendto':
            h = self.udp(a['socket'])
            self.bind_to_host(h, no_port=False)
            n = h.sock.sendto(self.bytes(a['payload'], False), resolve_endpoint(self.hosts, a['to'], call))
            return False, n
        if call == 'recvfrom':
            h = self.udp(a['socket'])
            self.need_bound_udp(h)
            data, _peer = h.sock.recvfrom(a['max'])
            return self.store(a.get('as'), data), len(data)
        raise PlanError('unsupported call %s' % call)  # check_steps has ruled this out

    def setsockopt(self, s, option, value):
        """The options program.ts knows, with its EINVAL for a value of the wrong shape."""
        if s.fileno() == -1:
            raise SockErr('EBADF')  # the simulator checks for a closed socket first
        if option == 'SO_REUSEADDR':
            s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1 if value else 0)
        elif option == 'TCP_NODELAY':
            s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1 if value else 0)
        elif option == 'SO_SNDBUF':
            if not _is_int(value, 0):
                raise SockErr('EINVAL')
            s.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, value)
        elif option == 'SO_LINGER':
            if not isinstance(value, dict) or not _is_int(value.get('linger'), 0):
                raise SockErr('EINVAL')
            s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack('ii', 1 if value.get('onoff') else 0, value['linger']))

    def bind_to_host(self, h, no_port):
        """A socket used without bind() is bound to this host's address first, so its packets come from it."""
        if h.bound:
            return
        if no_port:
            h.sock.setsockopt(socket.IPPROTO_IP, IP_BIND_ADDRESS_NO_PORT, 1)
        h.sock.bind((self.address, 0))
        h.bound = True

    def need_bound_udp(self, h):
        # The simulator's UDP socket has no port until bind or sendto: receiving then is EINVAL.
        if h.kind == 'udp' and not h.bound and h.sock.fileno() != -1:
            raise SockErr('EINVAL')

    def store(self, as_name, data):
        """Keeps received bytes under `as`; True at end-of-file."""
        if as_name is not None:
            self.data[as_name] = data
        return len(data) == 0

    def bytes(self, payload, framed):
        if 'data' in payload:
            body = payload['data'].encode('utf-8')
        elif 'bytes' in payload:
            body = filler(payload['bytes'])
        else:
            if payload['from'] not in self.data:
                raise StopProgram('data "%s" was never received' % payload['from'])
            body = self.data[payload['from']]
        return frame(body) if framed else body

    def handle(self, name):
        if name not in self.sockets:
            raise StopProgram('socket "%s" does not exist' % name)
        return self.sockets[name]

    def tcp(self, name):
        h = self.handle(name)
        if h.kind != 'tcp':
            raise SockErr('EOPNOTSUPP')  # a TCP call on a UDP socket
        return h

    def udp(self, name):
        h = self.handle(name)
        if h.kind != 'udp':
            raise SockErr('EOPNOTSUPP')  # a UDP call on a TCP socket
        return h


def recv_exactly(s, n):
    parts, have = [], 0
    while have < n:
        chunk = s.recv(n - have)
        if not chunk:
            break
        parts.append(chunk)
        have += len(chunk)
    return b''.join(parts)


def read_go():
    """The harness's answer to a MARK line (EOF counts as an answer: never wait forever)."""
    sys.stdin.readline()


def run_marks(marks, clock, out):
    for m in marks:
        clock.sleep_until(m['t'])
        out.write('MARK ' + m['name'])
        read_go()


def load_plan(path):
    try:
        with open(path, encoding='utf-8') as f:
            raw = json.load(f)
    except OSError as e:
        raise PlanError('cannot read %s: %s' % (path, e.strerror))
    except ValueError as e:
        raise PlanError('%s is not JSON: %s' % (path, e))
    return check_plan(raw)


def main():
    try:
        plan = load_plan('plan.json')
    except PlanError as e:
        sys.stderr.write('scenario_runner: bad plan: %s\n' % e)
        sys.stderr.flush()
        return 3
    # A thread busy in python (building a large payload) hands the GIL over sooner than the default 5 ms.
    sys.setswitchinterval(0.0005)
    out = Output(sys.stdout)
    clock = Clock()
    programs = [Program(spec, plan, clock, out) for spec in plan['programs']]
    # Everything slow happens before t0: the threads are started and wait for the go; a first socket is made.
    go = threading.Event()

    def after_go(body, *args):
        go.wait()
        body(*args)

    marks = threading.Thread(target=after_go, args=(run_marks, plan['marks'], clock, out), name='marks', daemon=True)
    marks.start()
    for p in programs:
        threading.Thread(target=after_go, args=(p.run,), name='program %s' % p.name, daemon=True).start()
    socket.socket(socket.AF_INET, socket.SOCK_STREAM).close()
    clock.start()
    for p in programs:
        p.prelude()
    clock.start()  # t0: the preludes' CALL lines say 0 or a little more
    go.set()
    clock.sleep_until(plan['end'])
    marks.join()  # every mark up to end has been answered
    with out.lock:
        for p in programs:
            if not p.reported:
                p.reported = True
                out._put(p.program_line('blocked', p.doing))
        out._put('MARK end')
        out.closed = True
    read_go()
    os._exit(0)  # no graceful close: the harness has stopped the capture


if __name__ == '__main__':
    sys.exit(main())
