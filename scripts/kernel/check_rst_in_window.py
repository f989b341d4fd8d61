#!/usr/bin/env python3
"""Scenario rst-in-window: RFC 5961 3.2 on an ESTABLISHED connection, with forged segments.

Over a 1 ms link (delaylink.py): the client 10.0.0.1 connects to 10.0.0.2:9500, sends b'hello', the server
answers b'world' and the client reads it. Then segments forged as coming from the server (a raw socket in the
server's namespace, so they cross the link like the server's own) reach the client's socket:
  t=1.0  RST seq = RCV.NXT + 1000 (in the window)
  t=1.1  RST seq = RCV.NXT + 2000 (in the window, 0.1 s after the first challenge ACK)
  t=1.6  RST seq = RCV.NXT + 1000 (0.6 s after the first challenge ACK)
  t=2.6  ACK seq = RCV.NXT + 10^6 (out of window: a duplicate ACK answers it)
  t=2.7  RST seq = RCV.NXT + 1000 (0.1 s after that duplicate ACK)
  t=3.7  RST seq = RCV.NXT + the window the client last advertised (the right edge itself)
  t=4.7  RST seq = right edge + 1
  t=5.7  RST seq = RCV.NXT - 1
  t=6.7  SYN seq = RCV.NXT + 5
  t=7.7  RST seq = RCV.NXT (exact)
then the client recv()s and send()s, and the server (which saw none of this) sends b'late'.
Reported: the sysctls involved, every packet after the exchange, the client's state after each forged segment,
the errnos, and the nstat counters.
Takes about 10 s. Run as root: python3 scripts/kernel/check_rst_in_window.py
"""
import socket
import sys
import time

sys.path.insert(0, __file__.rsplit('/', 1)[0])
from kernlib import Capture, counters, enter_fresh_netns, errname, header, sysctl, tcp_state, _csum  # noqa: E402

enter_fresh_netns('synack-kc-16')
from delaylink import CLIENT_ADDR, SERVER_ADDR, DelayLink  # noqa: E402

PORT = 9500
M = 2**32
BITS = {'F': 0x01, 'S': 0x02, 'R': 0x04, 'P': 0x08, 'A': 0x10}


def forge(raw: socket.socket, sport: int, dport: int, seq: int, ack: int, flags: str, window: int = 1024) -> None:
    """A hand-made segment from the server's address to the client (no options, no payload)."""
    bits = sum(BITS[f] for f in flags)
    hdr = (sport.to_bytes(2, 'big') + dport.to_bytes(2, 'big') + (seq % M).to_bytes(4, 'big')
           + (ack % M).to_bytes(4, 'big') + bytes([5 << 4, bits]) + window.to_bytes(2, 'big') + b'\0\0\0\0')
    pseudo = socket.inet_aton(SERVER_ADDR) + socket.inet_aton(CLIENT_ADDR) + bytes([0, 6]) + len(hdr).to_bytes(2, 'big')
    seg = hdr[:16] + _csum(pseudo + hdr).to_bytes(2, 'big') + hdr[18:]
    raw.sendto(seg, (CLIENT_ADDR, 0))


header('RFC 5961: RST and SYN inside the window of an ESTABLISHED connection')
for k in ('tcp_challenge_ack_limit', 'tcp_invalid_ratelimit', 'tcp_rfc1337'):
    print(f'  net.ipv4.{k} = {sysctl("net.ipv4." + k)}')

with DelayLink('synack-kc-16-srv', latency=0.001) as link:
    lst = link.server_socket()
    lst.bind(('0.0.0.0', PORT))
    lst.listen(8)
    raw = link.server_socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_TCP)
    raw.bind((SERVER_ADDR, 0))
    with Capture(f'tcp port {PORT}', iface='tun0') as cap:
        c = socket.socket()
        c.connect((SERVER_ADDR, PORT))
        a, _ = lst.accept()
        cport = c.getsockname()[1]
        c.sendall(b'hello')
        a.recv(100)
        a.sendall(b'world')
        c.recv(100)
        time.sleep(0.3)
        t0 = time.time()
        pk = cap.packets
        last_srv = [p for p in pk if p.sport == PORT][-1]
        last_cli = [p for p in pk if p.sport == cport][-1]
        rcv_nxt = (last_srv.end if last_srv.end is not None else last_srv.seq or 0) % M
        snd_nxt = last_srv.ack
        wnd = last_cli.win * 1024
        print(f'\n  client port {cport}; client RCV.NXT = {rcv_nxt}, SND.NXT = {snd_nxt}; '
              f'window last advertised by the client: win={last_cli.win} (x1024 = {wnd})')
        plan = [
            (1.0, 'RST seq=RCV.NXT+1000', 1000, 'R'),
            (1.1, 'RST seq=RCV.NXT+2000', 2000, 'R'),
            (1.6, 'RST seq=RCV.NXT+1000', 1000, 'R'),
            (2.6, 'ACK seq=RCV.NXT+10^6 (out of window)', 10**6, 'A'),
            (2.7, 'RST seq=RCV.NXT+1000', 1000, 'R'),
            (3.7, f'RST seq=RCV.NXT+{wnd} (right edge)', wnd, 'R'),
            (4.7, f'RST seq=RCV.NXT+{wnd + 1} (right edge + 1)', wnd + 1, 'R'),
            (5.7, 'RST seq=RCV.NXT-1', -1, 'R'),
            (6.7, 'SYN seq=RCV.NXT+5', 5, 'S'),
            (7.7, 'RST seq=RCV.NXT (exact)', 0, 'R'),
        ]
        before = counters('TcpExtTCPChallengeACK', 'TcpExtTCPACKSkippedChallenge', 'TcpExtTCPACKSkippedSeq')
        results = []
        for at, label, off, flags in plan:
            time.sleep(max(0.0, t0 + at - time.time()))
            forge(raw, PORT, cport, rcv_nxt + off, snd_nxt, flags)
            time.sleep(0.05)
            answer = [p for p in cap.packets if p.sport == cport and p.t >= t0 + at - 0.001]
            results.append((at, label, '; '.join(f'[{p.flags}] seq={p.seq} ack={p.ack}' for p in answer) or 'no answer',
                            tcp_state(c)))
        after = counters('TcpExtTCPChallengeACK', 'TcpExtTCPACKSkippedChallenge', 'TcpExtTCPACKSkippedSeq')
        time.sleep(max(0.0, t0 + 8.0 - time.time()))
        calls = []
        for what in ('recv', 'send', 'recv'):
            try:
                r = repr(c.recv(100)) if what == 'recv' else str(c.send(b'x'))
            except OSError as e:
                r = errname(e)
            calls.append(f'{what} -> {r}')
        a.sendall(b'late')
        time.sleep(0.1)
        try:
            srv = repr(a.recv(100))
        except OSError as e:
            srv = errname(e)
        time.sleep(0.1)

    for at, label, answer, state in results:
        print(f'  t={at:.1f}s {label:40s} -> client answers: {answer}; client state {state}')
    print('  after the exact RST, client:', ', '.join(calls))
    print(f'  the server sends b"late" at 8 s; then its recv -> {srv}')
    print('  nstat deltas:', {k: after[k] - before.get(k, 0) for k in after})
    print()
    cap.show(t0, 't0 = 0.3 s after the exchange')
    c.close()
    a.close()
    lst.close()
