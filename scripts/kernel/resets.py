#!/usr/bin/env python3
"""Fact 4: when Linux sends RST, what the RST looks like, and what the application sees.

a) connect() to a closed port; b) hand-made segments (raw socket) to a closed port and to a listener;
c) a connection whose server vanished silently; d) close() with unread data; e) SO_LINGER {1, 0};
f) close() in SYN_SENT, then a late SYN-ACK; g) RSTs arriving in SYN_SENT; h) RFC 5961 checks on an
established connection (in-window / out-of-window / exact RST, SYN).
Takes about 15 s. Run as root: python3 scripts/kernel/resets.py
"""
import socket
import sys
import time

sys.path.insert(0, __file__.rsplit('/', 1)[0])
from kernlib import (Capture, attempt, enter_fresh_netns, errname, header, nft, nft_flush,  # noqa: E402
                     pair, send_segment, set_linger0, ss_lines, tcp_state)

enter_fresh_netns('synack-kc-4')


def after(cap: Capture, t: float) -> list[str]:
    return [p.fmt(t) for p in cap.packets if p.t >= t - 0.001]


def try_io(s: socket.socket, op: str) -> str:
    try:
        r = s.recv(100) if op == 'recv' else s.send(b'data')
        return f'{op} -> {r!r}'
    except OSError as e:
        return f'{op} -> {errname(e)}'


header('resets')

print('\n## a) connect() to a closed port')
with Capture('tcp port 7401') as cap:
    s = socket.socket()
    print(f'    connect -> {attempt(s.connect, ("127.0.0.1", 7401))}; then state {tcp_state(s)}')
    print(f'    second connect on the same socket -> {attempt(s.connect, ("127.0.0.1", 7401))}')
    s.close()
cap.show(title='SYN, RST')

print('\n## b) hand-made segments (raw socket, from port 45000 where nothing listens)')
lst = socket.socket()
lst.bind(('127.0.0.1', 7402))
lst.listen(8)
cases = [('closed port', 7401, 'A', b''), ('closed port', 7401, 'PA', b'0123456789'),
         ('closed port', 7401, 'P', b'0123456789'), ('closed port', 7401, 'F', b''),
         ('closed port', 7401, '', b''), ('closed port', 7401, 'R', b''), ('closed port', 7401, 'RA', b''),
         ('listener', 7402, 'A', b''), ('listener', 7402, 'SA', b''), ('listener', 7402, 'R', b''),
         ('listener', 7402, '', b''), ('listener', 7402, 'PA', b'0123456789')]
with Capture('tcp port 45000') as cap:
    for what, port, flags, data in cases:
        t = time.time()
        send_segment(45000, port, seq=1000, ack=5000, flags=flags, payload=data)
        time.sleep(0.15)
        got = [p for p in cap.packets if p.t >= t and p.dport == 45000]
        reply = '; '.join(f'[{p.flags}] seq={p.seq} ack={p.ack} win={p.win} len={p.length}' for p in got)
        print(f'    to {what:11s} [{flags or "none":2s}] seq=1000 ack=5000 len={len(data):2d} -> {reply or "no answer"}')
lst.close()

print('\n## c) the server vanished silently (its RST dropped by nft), then the client sends')
lst, c, a = pair(7403)
nft('''table inet kc {
  chain out {
    type filter hook output priority 0;
    tcp sport 7403 tcp flags & rst == rst drop
  }
}''')
set_linger0(a)
a.close()
lst.close()
nft_flush()
print(f'    client state: {tcp_state(c)} (it saw nothing)')
with Capture('tcp port 7403') as cap:
    t = time.time()
    print(f'    client {try_io(c, "send")}')
    time.sleep(0.1)
    print(f'    client {try_io(c, "recv")}, then {try_io(c, "send")}, then {try_io(c, "send")}')
cap.show(t)
c.close()

print('\n## d) close() with unread data (server got 5 bytes it never read; it had sent 3 the client read)')
for order in (('recv', 'send', 'send', 'recv'), ('send', 'send', 'recv', 'recv')):
    with Capture('tcp port 7404') as cap:
        lst, c, a = pair(7404)
        a.send(b'abc')
        assert c.recv(3) == b'abc'
        c.send(b'hello')
        time.sleep(0.1)
        t = time.time()
        a.close()
        time.sleep(0.1)
        print(f'    client then: {", ".join(try_io(c, op) for op in order)}')
        print(f'    ss after: {ss_lines("-tan", "state", "connected", "( sport = :7404 or dport = :7404 )")}')
    pk = cap.packets
    syn = next(p for p in pk if p.flags == 'S')
    sa = next(p for p in pk if p.flags == 'S.')
    print(f'    server SND.NXT = ISS+1+3 = {sa.seq + 4}, RCV.NXT = IRS+1+5 = {syn.seq + 6}; RST at t=0:')
    for line in after(cap, t):
        print('     ', line)
    c.close()
    lst.close()

print('\n## e) SO_LINGER {1, 0} then close() (server side, after 3 bytes each way, all read)')
with Capture('tcp port 7405') as cap:
    lst, c, a = pair(7405)
    a.send(b'abc')
    c.recv(3)
    c.send(b'xyz')
    a.recv(3)
    time.sleep(0.1)
    set_linger0(a)
    t = time.time()
    a.close()
    time.sleep(0.1)
    print(f'    ss after (any state, both sides): {ss_lines("-tan", "state", "all", "( sport = :7405 or dport = :7405 )")}')
    print(f'    client: {try_io(c, "recv")}, {try_io(c, "send")}')
for line in after(cap, t):
    print('     ', line)
c.close()
lst.close()

print('\n## f) close() in SYN_SENT (the SYN-ACK is held back by nft), then the server retransmits its SYN-ACK')
lst = socket.socket()
lst.bind(('127.0.0.1', 7406))
lst.listen(8)
nft('''table inet kc {
  chain in {
    type filter hook input priority 0;
    tcp sport 7406 tcp flags & (syn|ack) == syn|ack drop
  }
}''')
with Capture('tcp port 7406') as cap:
    s = socket.socket()
    s.setblocking(False)
    s.connect_ex(('127.0.0.1', 7406))
    time.sleep(0.2)
    print(f'    client state {tcp_state(s)}; close() it')
    t = time.time()
    s.close()
    nft_flush()
    time.sleep(1.5)
for line in after(cap, t - 0.3):
    print('     ', line)
lst.close()

print('\n## g) RSTs arriving in SYN_SENT (the client\'s SYN is dropped by nft, segments made by hand)')
nft('''table inet kc {
  chain in {
    type filter hook input priority 0;
    tcp dport 7407 tcp flags & (syn|ack) == syn drop
  }
}''')
with Capture('tcp port 7407') as cap:
    s = socket.socket()
    s.bind(('127.0.0.1', 45007))
    s.setblocking(False)
    s.connect_ex(('127.0.0.1', 7407))
    time.sleep(0.1)
    iss = next(p.seq for p in cap.packets if p.flags == 'S')
    for label, flags, seq, ack in (('RST, no ACK', 'R', 0, 0), ('RST+ACK, ack = ISS', 'RA', 0, iss),
                                   ('RST+ACK, ack = ISS+2', 'RA', 0, iss + 2), ('RST+ACK, ack = ISS+1', 'RA', 0, iss + 1)):
        send_segment(7407, 45007, seq=seq, ack=ack, flags=flags)
        time.sleep(0.1)
        err = s.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR)
        print(f'    {label:22s} -> client state {tcp_state(s)}, SO_ERROR {err and errname(OSError(err, ""))}')
    s.close()
nft_flush()

print('\n## h) RFC 5961 on an established connection (client idle; segments made by hand "from the server")')
lst, c, a = pair(7408)
cport = c.getsockname()[1]
with Capture('tcp port 7408') as cap:
    a.send(b'abc')
    c.recv(3)
    time.sleep(0.1)
    last = [p for p in cap.packets if p.sport == 7408][-1]
    rcv_nxt = last.end or last.seq
    snd_nxt = last.ack
    print(f'    client RCV.NXT={rcv_nxt} SND.NXT={snd_nxt}')
    tests = (('RST seq=RCV.NXT+100 (in window)', 'R', 100, 0), ('same again 0.1 s later', 'R', 100, 0),
             ('RST seq=RCV.NXT+2^30 (outside)', 'R', 2**30, 0.6), ('SYN seq=RCV.NXT+5', 'S', 5, 0.6),
             ('RST seq=RCV.NXT-1', 'R', -1, 0.6), ('RST+ACK seq=RCV.NXT (exact)', 'RA', 0, 0.6))
    for label, flags, off, pause in tests:
        time.sleep(pause)
        t = time.time()
        send_segment(7408, cport, seq=rcv_nxt + off, ack=snd_nxt, flags=flags, window=512)
        time.sleep(0.1)
        got = [f'[{p.flags}] seq={p.seq} ack={p.ack}' for p in cap.packets if p.t >= t and p.sport == cport]
        print(f'    {label:34s} -> client answers {got or "nothing"}; client state {tcp_state(c)}')
    print(f'    client {try_io(c, "recv")}, then {try_io(c, "send")}')
c.close()
a.close()
lst.close()
