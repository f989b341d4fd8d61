#!/usr/bin/env python3
"""Fact 10: delayed ACKs on loopback.

A) one-way: the client sends 20 messages of 10 bytes, 100 ms apart; the server recv()s each at once.
B) the same, but the server reads nothing until the end.
C) request/response: the client sends 10 bytes, the server echoes them at once; 20 rounds, 100 ms apart.
D) the same with 10 ms between rounds.
For every data segment: how long until the peer acknowledged it, and whether that ACK was a pure ACK or rode on
data. Takes about 10 s. Run as root: python3 scripts/kernel/delayed_ack.py
"""
import socket
import sys
import threading
import time

sys.path.insert(0, __file__.rsplit('/', 1)[0])
from kernlib import Capture, client, enter_fresh_netns, header  # noqa: E402

enter_fresh_netns('synack-kc-10')

M = 2**32


def ack_delays(cap: Capture, sender_port: int) -> list[str]:
    """For each data segment sent from sender_port: '<ms>' (pure ACK) or '<ms>+data' (ACK on a data segment)."""
    pk = cap.packets
    out = []
    for i, p in enumerate(pk):
        if p.sport != sender_port or not p.length:
            continue
        for q in pk[i + 1:]:
            if q.dport == sender_port and q.ack is not None and (q.ack - p.end) % M < M // 2:
                out.append(f'{(q.t - p.t) * 1000:.0f}' + ('+data' if q.length else ''))
                break
        else:
            out.append('none')
    return out


def one_way(port: int, server_reads: bool, n: int = 20, gap: float = 0.1) -> None:
    lst = socket.socket()
    lst.bind(('127.0.0.1', port))
    lst.listen(1)
    with Capture(f'tcp port {port}') as cap:
        c = client(port)
        a, _ = lst.accept()
        got = bytearray()

        def reader() -> None:
            while len(got) < 10 * n:
                got.extend(a.recv(1000))

        t = threading.Thread(target=reader, daemon=True)
        if server_reads:
            t.start()
        time.sleep(0.1)
        for k in range(n):
            c.send(b'%010d' % k)
            time.sleep(gap)
        if not server_reads:
            t.start()
        t.join(2)
        time.sleep(0.3)
    print('    ACK delay (ms) per data segment:', ' '.join(ack_delays(cap, c.getsockname()[1])))
    c.close()
    a.close()
    lst.close()


def echo(port: int, n: int = 20, gap: float = 0.1) -> None:
    lst = socket.socket()
    lst.bind(('127.0.0.1', port))
    lst.listen(1)
    with Capture(f'tcp port {port}') as cap:
        c = client(port)
        a, _ = lst.accept()

        def server() -> None:
            while data := a.recv(1000):
                a.send(data)

        t = threading.Thread(target=server, daemon=True)
        t.start()
        time.sleep(0.1)
        for k in range(n):
            c.send(b'%010d' % k)
            assert len(c.recv(100)) == 10
            time.sleep(gap)
        time.sleep(0.3)
    print('    requests  (client->server), ACK delay ms:', ' '.join(ack_delays(cap, c.getsockname()[1])))
    print('    responses (server->client), ACK delay ms:', ' '.join(ack_delays(cap, port)))
    c.close()
    a.close()
    t.join(1)
    lst.close()


header('delayed ACK on loopback ("N" = pure ACK after N ms, "N+data" = ACK carried by a data segment)')
print('\n## A) one-way, 20 x 10 bytes, 100 ms apart, server reads at once')
one_way(7701, server_reads=True)
print('\n## B) one-way, 20 x 10 bytes, 100 ms apart, server does not read')
one_way(7702, server_reads=False)
print('\n## C) echo, 20 rounds, 100 ms apart')
echo(7703)
print('\n## D) echo, 20 rounds, 10 ms apart')
echo(7704, gap=0.01)
