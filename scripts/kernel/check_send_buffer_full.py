#!/usr/bin/env python3
"""Scenario send-buffer-full: send() against a peer that does not read.

Over a 1 ms link (delaylink.py; client 10.0.0.1 sends, server 10.0.0.2 accepts and does not read):
 A) SO_SNDBUF unset / 4096 / 16384 / 65536 on the client: getsockopt(SO_SNDBUF); a non-blocking send(1 MB) right
    after connect(); a second one at once; then non-blocking send(1 MB) every 50 ms for 3 s: each count, the total,
    Send-Q (client) and Recv-Q (server) from ss, and the receiver's advertised windows.
 B) the zero window (SO_SNDBUF 16384): when the server's window reaches 0, the client's zero-window probes (times,
    seq), and what happens when the server reads everything at 4 s.
 C) a blocking send(1 MB) (no timeout) while the server reads nothing for 2 s, then everything: when does it
    return, and with what count?
 D) send(1 MB) with settimeout(1.0) once the buffer is full: partial count or timeout?
 E) a blocking send(4 MB) that is waiting for room when the server aborts (SO_LINGER {1, 0} + close() at 1 s):
    what send() returns, and what the next send() and recv() return.
Takes about 30 s. Run as root: python3 scripts/kernel/check_send_buffer_full.py
"""
import socket
import sys
import threading
import time

sys.path.insert(0, __file__.rsplit('/', 1)[0])
from kernlib import Capture, enter_fresh_netns, errname, header, ss_lines, sysctl  # noqa: E402

enter_fresh_netns('synack-kc-13')
from delaylink import SERVER_ADDR, DelayLink  # noqa: E402

PORT = 9200
MB = b'x' * (1 << 20)


def nb_send(c: socket.socket, data: bytes) -> str:
    try:
        return str(c.send(data))
    except BlockingIOError as e:
        return errname(e)


def queues(link: DelayLink, cport: int) -> str:
    cli = ss_lines('-tn', f'( sport = :{cport} )')
    srv = link.server_ss('-tn', f'( dport = :{cport} )')
    return f'client {cli[0].split()[0:3] if cli else "-"} server {srv[0].split()[0:3] if srv else "-"}'


header('send() against a peer that does not read')
print('tcp_wmem:', sysctl('net.ipv4.tcp_wmem'), ' tcp_rmem:', sysctl('net.ipv4.tcp_rmem'))

with DelayLink('synack-kc-13-srv', latency=0.001) as link:
    lst = link.server_socket()
    lst.bind(('0.0.0.0', PORT))
    lst.listen(8)

    print('\n## A) non-blocking send(1 MB) with various SO_SNDBUF (server never reads)')
    for sndbuf in (None, 4096, 16384, 65536):
        c = socket.socket()
        if sndbuf:
            c.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, sndbuf)
        before = c.getsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF)
        c.connect((SERVER_ADDR, PORT))
        a, _ = lst.accept()
        after = c.getsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF)
        c.setblocking(False)
        first = nb_send(c, MB)
        second = nb_send(c, MB)
        counts = []
        total = int(first) if first.isdigit() else 0
        t0 = time.time()
        while time.time() - t0 < 3:
            time.sleep(0.05)
            r = nb_send(c, MB)
            counts.append(r)
            if r.isdigit():
                total += int(r)
        nums = [x for x in counts if x.isdigit()]
        print(f'  SO_SNDBUF set {sndbuf}: getsockopt before connect {before}, after {after}')
        print(f'    first send(1 MB) -> {first}, second at once -> {second}')
        print(f'    then every 50 ms for 3 s: {len(nums)} partial counts {nums[:12]}{" ..." if len(nums) > 12 else ""}, '
              f'{counts.count("EAGAIN")} x EAGAIN; total accepted {total}')
        print(f'    ss (State Recv-Q Send-Q): {queues(link, c.getsockname()[1])}')
        c.close()
        a.close()

    print('\n## B) the zero window and the probes (SO_SNDBUF 16384); the server reads everything at 4 s')
    c = socket.socket()
    c.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, 16384)
    c.connect((SERVER_ADDR, PORT))
    a, _ = lst.accept()
    cport = c.getsockname()[1]
    c.setblocking(False)
    with Capture(f'tcp port {PORT} and port {cport}', iface='tun0') as cap:
        t0 = time.time()
        total = 0
        while time.time() - t0 < 4:
            r = nb_send(c, MB)
            if r.isdigit():
                total += int(r)
            time.sleep(0.02)
        print(f'  total accepted by send() in 4 s: {total}; {queues(link, cport)}')
        a.setblocking(False)
        got = 0
        while True:
            try:
                chunk = a.recv(1 << 20)
            except BlockingIOError:
                break
            got += len(chunk)
        print(f'  server read {got} bytes at 4 s')
        time.sleep(0.5)
    pk = cap.packets
    data = [p for p in pk if p.sport == cport and p.length > 0]
    sent_bytes = sum(p.length for p in data)
    zero = [p for p in pk if p.sport == PORT and p.win == 0]
    print(f'  client data segments before 4 s: {len([p for p in data if p.t - t0 < 4])}, '
          f'bytes on the wire {sent_bytes}; lengths of the first 12: {[p.length for p in data[:12]]}')
    wins = [p.win for p in pk if p.sport == PORT and p.t - t0 < 4]
    print(f'  server ACK windows (scaled by 2^10) before 4 s: {wins[:40]}')
    if zero:
        print(f'  first win=0 ACK at {zero[0].t - t0:.3f} s')
    print('  segments from 0.1 s before the first zero window until 4.3 s:')
    for p in pk:
        if zero and zero[0].t - 0.1 <= p.t <= t0 + 4.3 and (p.length == 0 or p.t - t0 > 3.9):
            print('   ', p.fmt(t0))
    c.close()
    a.close()

    print('\n## C) blocking send(1 MB), the server reads nothing for 2 s, then everything')
    c = socket.socket()
    c.connect((SERVER_ADDR, PORT))
    a, _ = lst.accept()
    res: list[str] = []

    def reader() -> None:
        time.sleep(2)
        res.append(f'{time.time() - t0:.3f} server starts reading')
        got = 0
        while got < (1 << 20):
            got += len(a.recv(1 << 20))
        res.append(f'{time.time() - t0:.3f} server has read {got}')

    t0 = time.time()
    th = threading.Thread(target=reader)
    th.start()
    n = c.send(MB)
    res.append(f'{time.time() - t0:.3f} client send(1 MB) returned {n}')
    th.join()
    for line in sorted(res):
        print('  ' + line)
    c.close()
    a.close()

    print('\n## D) send(1 MB) with settimeout(1.0) when the buffer is already full (server never reads)')
    c = socket.socket()
    c.connect((SERVER_ADDR, PORT))
    a, _ = lst.accept()
    c.setblocking(False)
    while nb_send(c, MB) != 'EAGAIN' or False:
        time.sleep(0.05)
    time.sleep(1)
    while nb_send(c, MB) != 'EAGAIN':
        time.sleep(0.05)
    c.settimeout(1.0)
    t0 = time.time()
    try:
        r = f'returned {c.send(MB)}'
    except OSError as e:
        r = f'raised {type(e).__name__} {errname(e)}'
    print(f'  send -> {r} after {time.time() - t0:.3f} s')
    t0 = time.time()
    try:
        c.sendall(MB)
        r = 'ok'
    except OSError as e:
        r = f'raised {type(e).__name__} {errname(e)}'
    print(f'  sendall -> {r} after {time.time() - t0:.3f} s')
    c.close()
    a.close()

    print('\n## E) blocking send(4 MB), the server aborts (RST) at 1 s without reading')
    c = socket.socket()
    c.connect((SERVER_ADDR, PORT))
    a, _ = lst.accept()
    res = []

    def aborter() -> None:
        time.sleep(1)
        a.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, (1).to_bytes(4, 'little') + (0).to_bytes(4, 'little'))
        a.close()
        res.append(f'{time.time() - t0:.3f} server close() with SO_LINGER {{1, 0}}')

    t0 = time.time()
    th = threading.Thread(target=aborter)
    th.start()
    try:
        r = f'returned {c.send(b"y" * (4 << 20))}'
    except OSError as e:
        r = f'raised {errname(e)}'
    res.append(f'{time.time() - t0:.3f} client send(4 MB) {r}')
    th.join()
    for what in ('send', 'send', 'recv'):
        try:
            r = str(c.send(b'z')) if what == 'send' else repr(c.recv(10))
        except OSError as e:
            r = errname(e)
        res.append(f'{time.time() - t0:.3f} client {what} -> {r}')
    for line in res:  # in the order the calls returned
        print('  ' + line)
    c.close()
    lst.close()
