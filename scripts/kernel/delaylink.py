"""A point-to-point link with a fixed one-way latency between two network namespaces, like synack's default link
(1 ms, MTU 1500, no loss).

This kernel has no `netem` qdisc, so the delay is made in user space: each namespace gets a TUN device `tun0`
(10.0.0.1 in the namespace the script runs in, 10.0.0.2 in a second one), and a forked forwarder process copies
every IP packet from one TUN to the other `latency` seconds after it read it. A TUN without IFF_VNET_HDR does no
segmentation or checksum offload, so what tcpdump shows on `tun0` is exactly what crossed the link (MTU-sized
segments, real checksums). The forwarder adds some 50-200 µs of scheduling jitter on top of the latency.

Usage (inside a script that already called enter_fresh_netns):
    with DelayLink('synack-kc-N-srv', latency=0.001) as link:
        srv = link.server_socket()            # a socket created in the server's namespace (10.0.0.2)
        cli = socket.socket()                 # sockets of the script's own namespace are 10.0.0.1
        link.server_sysctl('net.ipv4.tcp_fin_timeout', 5)
        Capture('tcp', iface='tun0')          # the client's side of the link
"""

from __future__ import annotations

import ctypes
import fcntl
import heapq
import os
import select
import signal
import socket
import struct
import subprocess
import time

from kernlib import CLONE_NEWNET, ExtraNetns, libc

TUNSETIFF = 0x400454CA
IFF_TUN = 0x0001
IFF_NO_PI = 0x1000

CLIENT_ADDR = '10.0.0.1'
SERVER_ADDR = '10.0.0.2'


def _in_netns(name: str, fn):
    """Run fn() with the calling thread switched into netns `name`, then switch back."""
    home = os.open('/proc/thread-self/ns/net', os.O_RDONLY)
    there = os.open(f'/run/netns/{name}', os.O_RDONLY)
    try:
        if libc.setns(there, CLONE_NEWNET) != 0:
            raise OSError(ctypes.get_errno(), 'setns')
        try:
            return fn()
        finally:
            if libc.setns(home, CLONE_NEWNET) != 0:
                raise OSError(ctypes.get_errno(), 'setns back')
    finally:
        os.close(home)
        os.close(there)


def _open_tun(name: str) -> int:
    fd = os.open('/dev/net/tun', os.O_RDWR)
    fcntl.ioctl(fd, TUNSETIFF, struct.pack('16sH', name.encode(), IFF_TUN | IFF_NO_PI))
    return fd


def _forward(fd_a: int, fd_b: int, latency: float, stop_fd: int) -> None:
    """Copy packets a->b and b->a, each `latency` seconds after it was read."""
    pending: list[tuple[float, int, int, bytes]] = []
    n = 0
    peer = {fd_a: fd_b, fd_b: fd_a}
    while True:
        now = time.monotonic()
        while pending and pending[0][0] <= now:
            _, _, out, pkt = heapq.heappop(pending)
            try:
                os.write(out, pkt)
            except OSError:
                pass
        timeout = max(0.0, pending[0][0] - time.monotonic()) if pending else 1.0
        # select() oversleeps by tens of microseconds: wake a little early and poll the rest.
        ready, _, _ = select.select([fd_a, fd_b, stop_fd], [], [], max(0.0, timeout - 0.0002))
        if not ready and pending:
            continue
        if stop_fd in ready:
            return
        now = time.monotonic()
        for fd in ready:
            try:
                pkt = os.read(fd, 65536)
            except OSError:
                continue
            n += 1
            heapq.heappush(pending, (now + latency, n, peer[fd], pkt))


class DelayLink:
    def __init__(self, server_ns: str, latency: float = 0.001, mtu: int = 1500):
        self.server_ns = server_ns
        self.latency = latency
        self.mtu = mtu
        self.extra = ExtraNetns(server_ns)
        self.pid = 0
        self.stop_w = -1

    def __enter__(self) -> 'DelayLink':
        self.extra.__enter__()
        fd_a = _open_tun('tun0')
        fd_b = _in_netns(self.server_ns, lambda: _open_tun('tun0'))
        _sh('ip', 'link', 'set', 'tun0', 'mtu', str(self.mtu), 'up')
        _sh('ip', 'addr', 'add', CLIENT_ADDR, 'peer', SERVER_ADDR, 'dev', 'tun0')
        self.extra.run('ip', 'link', 'set', 'tun0', 'mtu', str(self.mtu), 'up')
        self.extra.run('ip', 'addr', 'add', SERVER_ADDR, 'peer', CLIENT_ADDR, 'dev', 'tun0')
        stop_r, self.stop_w = os.pipe()
        self.pid = os.fork()
        if self.pid == 0:
            signal.signal(signal.SIGTERM, signal.SIG_DFL)
            try:
                _forward(fd_a, fd_b, self.latency, stop_r)
            finally:
                os._exit(0)
        os.close(stop_r)
        os.close(fd_a)
        os.close(fd_b)
        time.sleep(0.05)
        return self

    def __exit__(self, *exc: object) -> None:
        if self.pid:
            os.write(self.stop_w, b'x')
            os.waitpid(self.pid, 0)
            os.close(self.stop_w)
            self.pid = 0
        self.extra.__exit__()

    def server_socket(self, *args: int) -> socket.socket:
        """A socket created in the server's namespace (its address is 10.0.0.2)."""
        return self.extra.socket(*args)

    def server_sysctl(self, name: str, value: object | None = None) -> str:
        if value is not None:
            self.extra.run('sysctl', '-q', '-w', f'{name}={value}')
        return self.extra.run('sysctl', '-n', name).strip()

    def server_ss(self, *args: str) -> list[str]:
        out = self.extra.run('ss', *args)
        return [' '.join(l.split()) for l in out.splitlines()[1:] if l.strip()]


def _sh(*args: str) -> str:
    return subprocess.run(args, check=True, capture_output=True, text=True).stdout
