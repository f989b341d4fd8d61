"""Shared helpers for the kernel-observation scripts in scripts/kernel/.

Every script calls `enter_fresh_netns(NAME)` first: it creates the network namespace NAME, re-runs the script
inside it with `ip netns exec`, and deletes the namespace afterwards, so nothing touches the host's own
namespace. Inside, the helpers below set per-namespace sysctls, capture `lo` with tcpdump and read `ss`.
"""

from __future__ import annotations

import ctypes
import errno
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
from dataclasses import dataclass

_INSIDE_ENV = 'SYNACK_KC_NETNS'
CLONE_NEWNET = 0x40000000

libc = ctypes.CDLL(None, use_errno=True)


# ---------------------------------------------------------------- namespaces

def _sh(*args: str, check: bool = True) -> str:
    return subprocess.run(args, check=check, capture_output=True, text=True).stdout


def enter_fresh_netns(name: str) -> None:
    """Re-execute this script inside a new, empty network namespace `name`; delete it afterwards."""
    if os.environ.get(_INSIDE_ENV) == name:
        here = _sh('ip', 'netns', 'identify', str(os.getpid())).strip()
        if here != name:
            sys.exit(f'expected to run inside netns {name!r}, found {here!r}')
        return
    if os.geteuid() != 0:
        sys.exit('run as root: the script creates network namespaces')
    _sh('ip', 'netns', 'del', name, check=False)  # a leftover from an interrupted run
    _sh('ip', 'netns', 'add', name)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # still delete the namespace when killed
    try:
        _sh('ip', '-n', name, 'link', 'set', 'lo', 'up')
        env = {**os.environ, _INSIDE_ENV: name, 'PYTHONUNBUFFERED': '1'}
        rc = subprocess.call(['ip', 'netns', 'exec', name, sys.executable, *sys.argv], env=env)
    finally:
        _sh('ip', 'netns', 'del', name, check=False)
    sys.exit(rc)


class ExtraNetns:
    """A second namespace (for veth experiments), created on enter and deleted on exit."""

    def __init__(self, name: str):
        self.name = name

    def __enter__(self) -> 'ExtraNetns':
        _sh('ip', 'netns', 'del', self.name, check=False)
        _sh('ip', 'netns', 'add', self.name)
        _sh('ip', '-n', self.name, 'link', 'set', 'lo', 'up')
        return self

    def __exit__(self, *exc: object) -> None:
        _sh('ip', 'netns', 'del', self.name, check=False)

    def run(self, *args: str) -> str:
        return _sh('ip', 'netns', 'exec', self.name, *args)

    def socket(self, *args: int) -> socket.socket:
        """A socket created inside this namespace (setns for the calling thread, then back)."""
        home = os.open('/proc/thread-self/ns/net', os.O_RDONLY)
        there = os.open(f'/run/netns/{self.name}', os.O_RDONLY)
        try:
            if libc.setns(there, CLONE_NEWNET) != 0:
                raise OSError(ctypes.get_errno(), 'setns')
            try:
                return socket.socket(*args)
            finally:
                if libc.setns(home, CLONE_NEWNET) != 0:
                    raise OSError(ctypes.get_errno(), 'setns back')
        finally:
            os.close(home)
            os.close(there)


def sysctl(name: str, value: object | None = None) -> str:
    """Read (or set, then read) a sysctl of the current namespace."""
    if value is not None:
        _sh('sysctl', '-q', '-w', f'{name}={value}')
    return _sh('sysctl', '-n', name).strip()


def nft(script: str) -> None:
    """Load an nft ruleset fragment into the current namespace."""
    subprocess.run(['nft', '-f', '-'], input=script, text=True, check=True)


def nft_flush() -> None:
    _sh('nft', 'flush', 'ruleset')


def counters(*names: str) -> dict[str, int]:
    """Absolute SNMP/netstat counters of the current namespace (`nstat -asz`, history untouched)."""
    out: dict[str, int] = {}
    for line in _sh('nstat', '-asz', *names).splitlines():
        f = line.split()
        if len(f) >= 2 and not line.startswith('#'):
            out[f[0].removeprefix('TcpExt')] = int(f[1])
    return out


def kernel() -> str:
    return os.uname().release


def header(title: str) -> None:
    print(f'# {title}')
    print(f'# kernel {kernel()}, netns {os.environ.get(_INSIDE_ENV)}')


# ---------------------------------------------------------------- errors

def errname(e: BaseException) -> str:
    if isinstance(e, OSError) and e.errno is not None:
        return errno.errorcode.get(e.errno, str(e.errno))
    if isinstance(e, socket.timeout):
        return 'timeout'
    return type(e).__name__


def attempt(fn, *args) -> str:
    """'ok' (or 'ok: <result>') when fn(*args) succeeds, else the errno name it raised."""
    try:
        r = fn(*args)
    except Exception as e:  # noqa: BLE001 - we want to report any failure by name
        return errname(e)
    return 'ok' if r is None else f'ok: {r!r}'


def c_listen(sock: socket.socket, backlog: int) -> str:
    """listen(2) through libc, so negative backlogs reach the kernel unclamped."""
    if libc.listen(sock.fileno(), backlog) == 0:
        return 'ok'
    return errno.errorcode[ctypes.get_errno()]


# ---------------------------------------------------------------- sockets

def listener(port: int, backlog: int = 16, reuse: bool = False, addr: str = '127.0.0.1') -> socket.socket:
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    if reuse:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind((addr, port))
    s.listen(backlog)
    return s


def client(port: int, sport: int = 0, reuse: bool = False, addr: str = '127.0.0.1',
           timeout: float | None = 5.0) -> socket.socket:
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    if reuse:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    if sport:
        s.bind(('127.0.0.1', sport))
    s.settimeout(timeout)
    s.connect((addr, port))
    s.settimeout(None)
    return s


def pair(port: int) -> tuple[socket.socket, socket.socket, socket.socket]:
    """A listener on 127.0.0.1:port, a client connected to it, and the accepted socket."""
    lst = listener(port, 8)
    c = client(port)
    a, _ = lst.accept()
    return lst, c, a


def set_linger0(s: socket.socket) -> None:
    s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, (1).to_bytes(4, 'little') + (0).to_bytes(4, 'little'))


def tcp_state(s: socket.socket) -> str:
    """The socket's TCP state from TCP_INFO (first byte of struct tcp_info)."""
    names = ['?', 'ESTABLISHED', 'SYN_SENT', 'SYN_RECV', 'FIN_WAIT1', 'FIN_WAIT2', 'TIME_WAIT', 'CLOSE',
             'CLOSE_WAIT', 'LAST_ACK', 'LISTEN', 'CLOSING', 'NEW_SYN_RECV']
    return names[s.getsockopt(socket.IPPROTO_TCP, socket.TCP_INFO, 1)[0]]


# ---------------------------------------------------------------- ss

def ss(*args: str) -> str:
    return _sh('ss', *args)


def ss_lines(*args: str) -> list[str]:
    """`ss` output without its header line, whitespace squeezed."""
    return [' '.join(l.split()) for l in ss(*args).splitlines()[1:] if l.strip()]


def ss_port(port: int, opts: str = '-tan') -> list[str]:
    return ss_lines(opts, f'( sport = :{port} or dport = :{port} )')


def wait_gone(pred, poll: float = 0.1, limit: float = 300.0) -> float:
    """Poll pred() until it is false; return the seconds that took."""
    t0 = time.time()
    while pred():
        if time.time() - t0 > limit:
            raise TimeoutError('condition still true after %.0f s' % limit)
        time.sleep(poll)
    return time.time() - t0


# ---------------------------------------------------------------- tcpdump

_LINE = re.compile(r'^(\d+\.\d+) IP (\S+)\.(\d+) > (\S+)\.(\d+): Flags \[([^\]]*)\](.*)$')


@dataclass
class Pkt:
    t: float
    src: str
    sport: int
    dst: str
    dport: int
    flags: str  # tcpdump's letters: S=SYN F=FIN R=RST P=PSH .=ACK
    seq: int | None
    end: int | None
    ack: int | None
    win: int | None
    options: str
    length: int

    def fmt(self, t0: float) -> str:
        parts = [f'{self.t - t0:+8.3f}s {self.sport}>{self.dport} [{self.flags}]']
        if self.seq is not None:
            parts.append(f'seq={self.seq}' + (f':{self.end}' if self.end is not None else ''))
        if self.ack is not None:
            parts.append(f'ack={self.ack}')
        if self.win is not None:
            parts.append(f'win={self.win}')
        if self.options:
            parts.append(f'opts=[{self.options}]')
        parts.append(f'len={self.length}')
        return ' '.join(parts)


def _parse(line: str) -> Pkt | None:
    m = _LINE.match(line)
    if not m:
        return None
    rest = m.group(7)

    def num(pat: str) -> int | None:
        mm = re.search(pat, rest)
        return int(mm.group(1)) if mm else None

    sq = re.search(r'seq (\d+)(?::(\d+))?', rest)
    op = re.search(r'options \[([^\]]*)\]', rest)
    return Pkt(t=float(m.group(1)), src=m.group(2), sport=int(m.group(3)), dst=m.group(4), dport=int(m.group(5)),
               flags=m.group(6), seq=int(sq.group(1)) if sq else None,
               end=int(sq.group(2)) if sq and sq.group(2) else None,
               ack=num(r'ack (\d+)'), win=num(r'win (\d+)'), options=op.group(1) if op else '',
               length=num(r'length (\d+)') or 0)


class Capture:
    """tcpdump on an interface of the current namespace; absolute sequence numbers (-S), epoch times (-tt)."""

    def __init__(self, bpf: str = 'tcp', iface: str = 'lo', verbose: bool = False):
        self.cmd = ['tcpdump', '-i', iface, '-n', '-tt', '-S', '-l', '--immediate-mode']
        if verbose:
            self.cmd.append('-vv')
        self.cmd += bpf.split()
        self.lines: list[str] = []
        self.proc: subprocess.Popen[str] | None = None

    def __enter__(self) -> 'Capture':
        self.proc = subprocess.Popen(self.cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        assert self.proc.stderr is not None and self.proc.stdout is not None
        while 'listening on' not in (l := self.proc.stderr.readline()):
            if not l:
                raise RuntimeError('tcpdump failed to start')
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()
        time.sleep(0.05)
        return self

    def _read(self) -> None:
        assert self.proc is not None and self.proc.stdout is not None
        for l in self.proc.stdout:
            self.lines.append(l.rstrip('\n'))

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            time.sleep(0.1)
            self.proc.terminate()
            self.proc.wait()
            self._reader.join(2)

    @property
    def packets(self) -> list[Pkt]:
        return [p for p in map(_parse, list(self.lines)) if p is not None]

    def show(self, t0: float | None = None, title: str | None = None) -> list[Pkt]:
        pk = self.packets
        if t0 is None:
            t0 = pk[0].t if pk else 0.0
        if title:
            print(f'  -- capture: {title} (times relative to {"first packet" if t0 == (pk[0].t if pk else 0) else "t0"})')
        for p in pk:
            print('   ', p.fmt(t0))
        return pk


def times_of(pkts: list[Pkt], t0: float, **match: object) -> list[str]:
    """Relative times (3 decimals) of the packets whose fields equal `match` (flags compared exactly)."""
    out = []
    for p in pkts:
        if all(getattr(p, k) == v for k, v in match.items()):
            out.append(f'{p.t - t0:.3f}')
    return out


# ---------------------------------------------------------------- hand-made segments

_FLAG_BITS = {'F': 0x01, 'S': 0x02, 'R': 0x04, 'P': 0x08, 'A': 0x10}


def _csum(data: bytes) -> int:
    if len(data) % 2:
        data += b'\0'
    s = sum(int.from_bytes(data[i:i + 2], 'big') for i in range(0, len(data), 2))
    while s >> 16:
        s = (s & 0xffff) + (s >> 16)
    return ~s & 0xffff


def send_segment(sport: int, dport: int, seq: int, ack: int, flags: str, payload: bytes = b'',
                 window: int = 1024, src: str = '127.0.0.1', dst: str = '127.0.0.1') -> None:
    """Send one hand-made TCP segment (no options) through a raw socket; the kernel adds the IP header.
    flags: letters from 'FSRPA' ('' for none)."""
    bits = 0
    for f in flags:
        bits |= _FLAG_BITS[f]
    hdr = (sport.to_bytes(2, 'big') + dport.to_bytes(2, 'big') + (seq % 2**32).to_bytes(4, 'big')
           + (ack % 2**32).to_bytes(4, 'big') + bytes([5 << 4, bits]) + window.to_bytes(2, 'big') + b'\0\0\0\0')
    pseudo = socket.inet_aton(src) + socket.inet_aton(dst) + bytes([0, socket.IPPROTO_TCP]) \
        + (len(hdr) + len(payload)).to_bytes(2, 'big')
    c = _csum(pseudo + hdr + payload)
    seg = hdr[:16] + c.to_bytes(2, 'big') + hdr[18:] + payload
    with socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_TCP) as r:
        r.bind((src, 0))
        r.sendto(seg, (dst, 0))
