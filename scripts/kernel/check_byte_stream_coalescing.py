#!/usr/bin/env python3
"""Scenario byte-stream-coalescing: several small send()s, what goes on the wire and what recv() returns.

Over a 1 ms link (delaylink.py; client 10.0.0.1 sends, server 10.0.0.2 receives), each case on a fresh connection,
repeated 3 times to show what is deterministic:
 a) Nagle on (default); the client send()s b'message 1' .. b'message 5' (9 bytes each) back to back;
    the server reads as data arrives (recv(1024) in a loop until it has 45 bytes).
 b) the same with TCP_NODELAY on the client.
 c) Nagle on; the server sleeps 0.2 s before its first recv(1024) (a slow reader).
 d) TCP_NODELAY; the server sleeps 0.2 s.
 e) framing: the client sends each message as a 4-byte big-endian length + the bytes (Nagle on); the server
    reads the 4-byte header, then exactly that many bytes (looping on recv), for 5 messages.
 f) recv(4) on 'message 1' sent alone: the reader gets it in pieces.
 g) Nagle on, the client close()s right after its 5 send()s (the last 36 bytes are still held by Nagle).
 h) the scenario as proposed in notes/new-scenarios.md: connection 1 naive (5 send()s; the server sleeps 0.2 s,
    one recv(1024), replies with the byte count; the client recv()s the reply and closes), connection 2 framed
    (5 length-prefixed messages; the server reads header + body 5 times and replies b'5 messages').
Takes about 6 s. Run as root: python3 scripts/kernel/check_byte_stream_coalescing.py
"""
import socket
import struct
import sys
import time

sys.path.insert(0, __file__.rsplit('/', 1)[0])
from kernlib import Capture, enter_fresh_netns, header  # noqa: E402

enter_fresh_netns('synack-kc-12')
from delaylink import SERVER_ADDR, DelayLink  # noqa: E402

PORT = 9100
MESSAGES = [b'message %d' % k for k in range(1, 6)]


def connection(lst: socket.socket, nodelay: bool) -> tuple[socket.socket, socket.socket]:
    c = socket.socket()
    if nodelay:
        c.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    c.connect((SERVER_ADDR, PORT))
    a, _ = lst.accept()
    time.sleep(0.05)  # let the handshake settle: the final ACK has reached the server
    return c, a


def read_until(a: socket.socket, total: int, bufsize: int = 1024) -> list[bytes]:
    got: list[bytes] = []
    while sum(map(len, got)) < total:
        chunk = a.recv(bufsize)
        if not chunk:
            break
        got.append(chunk)
    return got


def recv_exact(a: socket.socket, n: int) -> bytes:
    out = b''
    while len(out) < n:
        chunk = a.recv(n - len(out))
        if not chunk:
            raise ConnectionError('EOF inside a message')
        out += chunk
    return out


def data_segments(cap: Capture, t0: float) -> list[str]:
    return [f'{p.t - t0:.4f}s len={p.length}' for p in cap.packets if p.sport != PORT and p.length > 0]


def case(lst: socket.socket, title: str, nodelay: bool, sleep: float, runs: int = 3) -> None:
    print(f'\n## {title}')
    for run in range(runs):
        c, a = connection(lst, nodelay)
        with Capture(f'tcp port {PORT} and port {c.getsockname()[1]}', iface='tun0') as cap:
            t0 = time.time()
            for m in MESSAGES:
                c.send(m)
            t_sent = time.time() - t0
            if sleep:
                time.sleep(sleep)
            got = read_until(a, 45)
            time.sleep(0.05)
        print(f'  run {run + 1}: 5 send()s took {t_sent * 1e6:.0f} us; segments (client side of the link): '
              f'{data_segments(cap, t0)}')
        print(f'         recv(1024) returned {[len(g) for g in got]} bytes: {got}')
        if run == 0:
            cap.show(t0, 'first run')
        c.close()
        a.close()


header('byte stream: small sends, segments, recv() boundaries')
with DelayLink('synack-kc-12-srv', latency=0.001) as link:
    lst = link.server_socket()
    lst.bind(('0.0.0.0', PORT))
    lst.listen(8)

    case(lst, 'a) Nagle on, reader reading as data arrives', nodelay=False, sleep=0)
    case(lst, 'b) TCP_NODELAY, reader reading as data arrives', nodelay=True, sleep=0)
    case(lst, 'c) Nagle on, reader sleeps 0.2 s first', nodelay=False, sleep=0.2)
    case(lst, 'd) TCP_NODELAY, reader sleeps 0.2 s first', nodelay=True, sleep=0.2)

    print('\n## e) framing: 4-byte length prefix + message, Nagle on, reader sleeps 0.2 s then reads frames')
    c, a = connection(lst, False)
    with Capture(f'tcp port {PORT} and port {c.getsockname()[1]}', iface='tun0') as cap:
        t0 = time.time()
        for m in MESSAGES:
            c.send(struct.pack('!I', len(m)) + m)
        time.sleep(0.2)
        frames = []
        for _ in MESSAGES:
            (n,) = struct.unpack('!I', recv_exact(a, 4))
            frames.append(recv_exact(a, n))
        time.sleep(0.05)
    print(f'  segments: {data_segments(cap, t0)}')
    print(f'  frames read: {frames}')
    c.close()
    a.close()

    print('\n## f) recv(4) on one 9-byte message')
    c, a = connection(lst, False)
    c.send(MESSAGES[0])
    time.sleep(0.05)
    print(f'  recv(4) x3 -> {[a.recv(4) for _ in range(3)]}')
    c.close()
    a.close()

    print('\n## g) Nagle on, close() right after the 5 send()s')
    c, a = connection(lst, False)
    with Capture(f'tcp port {PORT} and port {c.getsockname()[1]}', iface='tun0') as cap:
        t0 = time.time()
        for m in MESSAGES:
            c.send(m)
        c.close()
        time.sleep(0.2)
        got = read_until(a, 46)
        a.close()
        time.sleep(0.1)
    cap.show(t0)
    print(f'  recv(1024) -> {[len(g) for g in got]}')

    print('\n## h) the proposed scenario: a naive connection, then a framed one')
    log: list[str] = []
    with Capture(f'tcp port {PORT}', iface='tun0') as cap:
        t0 = time.time()

        def srv() -> None:
            a, _ = lst.accept()
            log.append(f'{time.time() - t0:.4f} server accept()')
            time.sleep(0.2)
            data = a.recv(1024)
            log.append(f'{time.time() - t0:.4f} server recv(1024) -> {data!r}')
            a.sendall(b'%d bytes' % len(data))
            eof = a.recv(1024)
            log.append(f'{time.time() - t0:.4f} server recv(1024) -> {eof!r}')
            a.close()
            a, _ = lst.accept()
            log.append(f'{time.time() - t0:.4f} server accept()')
            for _ in MESSAGES:
                (n,) = struct.unpack('!I', recv_exact(a, 4))
                body = recv_exact(a, n)
                log.append(f'{time.time() - t0:.4f} server frame {body!r}')
            a.sendall(b'5 messages')
            eof = a.recv(1024)
            log.append(f'{time.time() - t0:.4f} server recv(1024) -> {eof!r}')
            a.close()

        import threading
        th = threading.Thread(target=srv)
        th.start()
        c = socket.socket()
        c.connect((SERVER_ADDR, PORT))
        for m in MESSAGES:
            c.send(m)
        reply = c.recv(1024)
        log.append(f'{time.time() - t0:.4f} client reply {reply!r}')
        c.close()
        c = socket.socket()
        c.connect((SERVER_ADDR, PORT))
        for m in MESSAGES:
            c.send(struct.pack('!I', len(m)) + m)
        reply = c.recv(1024)
        log.append(f'{time.time() - t0:.4f} client reply {reply!r}')
        c.close()
        th.join()
        time.sleep(0.2)
    for line in sorted(log):
        print('  ' + line)
    cap.show(t0)
    lst.close()
