#!/usr/bin/env python3
"""Fact 5: close sequences on loopback, seen by tcpdump.

a) client closes first, server close()s as soon as recv() returns b''
b) client closes first, server close()s 200 ms after recv() returned b''
b2) as b), but after a 10-byte request/response exchange (so the delayed-ACK engine has been started)
c) server closes first, client close()s as soon as recv() returns b''
d) half-close: client shutdown(SHUT_WR), server keeps sending, then closes
Then which side holds TIME_WAIT, the `ss -tan -o` timer, and how long the TIME_WAIT really lasts.
Takes about 70 s. Run as root: python3 scripts/kernel/close_sequences.py
"""
import socket
import sys
import threading
import time

sys.path.insert(0, __file__.rsplit('/', 1)[0])
from kernlib import Capture, enter_fresh_netns, header, pair, ss_lines, tcp_state, wait_gone  # noqa: E402

enter_fresh_netns('synack-kc-5')


def closer(sock: socket.socket, delay: float) -> threading.Thread:
    """A thread that blocks in recv() until EOF, waits `delay`, then close()s."""
    def run() -> None:
        while sock.recv(100):
            pass
        time.sleep(delay)
        sock.close()
    t = threading.Thread(target=run)
    t.start()
    return t


def show(cap: Capture, names: dict[int, str]) -> None:
    pk = cap.packets
    t0 = pk[0].t
    for p in pk:
        print(f'    {p.t - t0:+.3f}s {names.get(p.sport, p.sport)}->{names.get(p.dport, p.dport)} [{p.flags}] '
              f'seq={p.seq}{":" + str(p.end) if p.end else ""} ack={p.ack} len={p.length}')


header('close sequences on loopback')

for port, label, first, delay, exchange in (
        (7101, 'a) client closes first, server closes immediately', 'client', 0.0, False),
        (7102, 'b) client closes first, server closes after 200 ms', 'client', 0.2, False),
        (7106, 'b2) as b, after a 10-byte request/response', 'client', 0.2, True),
        (7103, 'c) server closes first, client closes immediately', 'server', 0.0, False)):
    print(f'\n## {label}')
    lst, c, a = pair(port)
    names = {port: 'server', c.getsockname()[1]: 'client'}
    with Capture(f'tcp port {port}') as cap:
        if exchange:
            c.send(b'0123456789')
            a.send(a.recv(10))
            c.recv(10)
        time.sleep(0.05)
        if first == 'client':
            t = closer(a, delay)
            time.sleep(0.05)
            c.close()
        else:
            t = closer(c, delay)
            time.sleep(0.05)
            a.close()
        t.join()
        time.sleep(0.3)
    show(cap, names)
    print('    ss -tan -o:', ss_lines('-tan', '-o', f'( sport = :{port} or dport = :{port} )'))
    lst.close()

print('\n## d) half-close: client shutdown(SHUT_WR), server sends two replies 100 ms apart, then closes')
port = 7104
lst, c, a = pair(port)
names = {port: 'server', c.getsockname()[1]: 'client'}
with Capture(f'tcp port {port}') as cap:
    time.sleep(0.05)
    c.shutdown(socket.SHUT_WR)
    time.sleep(0.1)
    print(f'    after shutdown: client {tcp_state(c)}, server {tcp_state(a)}; server recv() -> {a.recv(10)!r}')
    a.send(b'reply-1')
    time.sleep(0.1)
    a.send(b'reply-2')
    time.sleep(0.1)
    print(f'    client (half-closed) recv() -> {c.recv(100)!r}; client state {tcp_state(c)}')
    print(f'    client send() after its own shutdown(SHUT_WR) -> ', end='')
    try:
        c.send(b'x')
        print('ok')
    except OSError as e:
        print(e.__class__.__name__, e.errno)
    a.close()
    time.sleep(0.1)
    print(f'    after server close: client state {tcp_state(c)}; client recv() -> {c.recv(100)!r}')
    c.close()
    time.sleep(0.3)
show(cap, names)
print('    ss -tan -o:', ss_lines('-tan', '-o', f'( sport = :{port} or dport = :{port} )'))
lst.close()

print('\n## how long TIME_WAIT lasts (case a, polled every 50 ms)')
lst, c, a = pair(7105)
c.close()
assert a.recv(10) == b''
a.close()
t_close = time.time()
time.sleep(0.05)
print('    ss -tan -o right after:', ss_lines('-tan', '-o', 'state', 'time-wait', '( sport = :7105 or dport = :7105 )'))
dur = wait_gone(lambda: bool(ss_lines('-tan', 'state', 'time-wait', '( sport = :7105 or dport = :7105 )')),
               poll=0.05, limit=200)
print(f'    TIME_WAIT gone from ss {dur + 0.05:.3f} s after the last close()')
lst.close()
