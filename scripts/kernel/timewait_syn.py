#!/usr/bin/env python3
"""Fact 9: TIME_WAIT 4-tuples and new connections.

A) the server's side of 127.0.0.1:7601 <-> 127.0.0.1:46001 is in TIME_WAIT; a new client binds 46001 and
   connects again (timestamps on, then off): accepted? the server's new ISN compared with the old connection's
   SND.NXT; then hand-made SYNs (no timestamp) with seq above / below the old RCV.NXT.
B) what else a TIME_WAIT answers: a retransmitted FIN (is the 60 s timer restarted?) and RSTs.
C) tcp_tw_reuse = 0 / 1 / 2: the client's own side is in TIME_WAIT and it connects again from the same port
   (bind() with SO_REUSEADDR), at once and after 1.5 s; tcp_tw_reuse=2 with timestamps off; and the same with
   ip_local_port_range reduced to a single port and no bind().
Takes about 40 s. Run as root: python3 scripts/kernel/timewait_syn.py
"""
import socket
import sys
import time

sys.path.insert(0, __file__.rsplit('/', 1)[0])
from kernlib import (Capture, attempt, client, enter_fresh_netns, header, nft, nft_flush, send_segment,  # noqa: E402
                     ss_lines, sysctl)

enter_fresh_netns('synack-kc-9')

M = 2**32


def tw_lines(port: int) -> list[str]:
    return ss_lines('-tan', '-o', 'state', 'time-wait', f'( sport = :{port} or dport = :{port} )')


def server_timewait(lst: socket.socket, cport: int) -> tuple[int, int]:
    """Connect from cport, exchange data, server closes first. Returns the server's (SND.NXT, RCV.NXT)."""
    port = lst.getsockname()[1]
    with Capture(f'tcp port {port} and port {cport}') as cap:
        c = client(port, sport=cport, reuse=True)
        a, _ = lst.accept()
        c.send(b'hello')
        a.recv(5)
        a.send(b'world!')
        c.recv(6)
        a.close()
        assert c.recv(1) == b''
        c.close()
        time.sleep(0.1)
    fin_s = next(p for p in cap.packets if p.sport == port and 'F' in p.flags)
    fin_c = next(p for p in cap.packets if p.sport == cport and 'F' in p.flags)
    return (fin_s.seq + 1) % M, (fin_c.seq + 1) % M


header('SYN to a TIME_WAIT 4-tuple; tcp_tw_reuse')

print('\n## A) server side in TIME_WAIT, client reconnects from the same port')
lst = socket.socket()
lst.bind(('127.0.0.1', 7601))
lst.listen(8)
for ts in (1, 0):
    sysctl('net.ipv4.tcp_timestamps', ts)
    cport = 46001 + ts
    snd_nxt, rcv_nxt = server_timewait(lst, cport)
    print(f' tcp_timestamps={ts}: {tw_lines(cport)}; old server SND.NXT={snd_nxt} RCV.NXT={rcv_nxt}')
    with Capture(f'tcp port 7601 and port {cport}') as cap:
        c = socket.socket()
        c.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        r = attempt(c.bind, ('127.0.0.1', cport))
        r2 = attempt(c.connect, ('127.0.0.1', 7601))
        time.sleep(0.1)
    syn = next(p for p in cap.packets if p.flags == 'S')
    sa = [p for p in cap.packets if p.flags == 'S.']
    print(f'   bind -> {r}, connect -> {r2}; new SYN seq={syn.seq} (old RCV.NXT + {(syn.seq - rcv_nxt) % M})')
    if sa:
        print(f'   SYN-ACK seq={sa[0].seq} = old SND.NXT + {(sa[0].seq - snd_nxt) % M}')
    print(f'   TIME_WAIT left for the 4-tuple: {tw_lines(cport)}')
    a, _ = lst.accept()
    a.close()
    c.close()
    time.sleep(0.1)
sysctl('net.ipv4.tcp_timestamps', 1)

print('\n hand-made SYNs (no timestamp option) from the TIME_WAIT 4-tuple; the RSTs our own kernel would send')
print(' from the socketless client ports 46010-46030 (window 0) are dropped by nft, so they cannot kill the TIME_WAIT:')
nft('''table inet kc {
  chain out {
    type filter hook output priority 0;
    tcp sport 46010-46030 tcp flags & rst == rst tcp window 0 drop
  }
}''')
for label, off in (('seq = old RCV.NXT + 1000', 1000), ('seq = old RCV.NXT - 1000', -1000),
                   ('seq = old RCV.NXT', 0)):
    cport = 46010 + (off // 1000) + 1
    snd_nxt, rcv_nxt = server_timewait(lst, cport)
    time.sleep(1.1)
    with Capture(f'tcp port 7601 and port {cport}') as cap:
        send_segment(cport, 7601, seq=rcv_nxt + off, ack=0, flags='S')
        time.sleep(0.2)
    got = [p for p in cap.packets if p.sport == 7601]
    desc = '; '.join(f'[{p.flags}] seq={p.seq} ack={p.ack}' for p in got) or 'nothing'
    rel = f' (SYN-ACK seq = old SND.NXT + {(got[0].seq - snd_nxt) % M})' if got and got[0].flags == 'S.' else ''
    print(f'   {label:26s} -> {desc}{rel}')
    print(f'     TIME_WAIT: {tw_lines(cport) or "gone"}')

print('\n## B) a retransmitted FIN and an in-window RST reaching the TIME_WAIT')
cport = 46020
snd_nxt, rcv_nxt = server_timewait(lst, cport)
time.sleep(3)
print(f'   after 3 s: {tw_lines(cport)}')
with Capture(f'tcp port 7601 and port {cport}') as cap:
    send_segment(cport, 7601, seq=rcv_nxt - 1, ack=snd_nxt, flags='FA')
    time.sleep(0.2)
print(f'   FIN (seq = RCV.NXT-1) -> {[f"[{p.flags}] seq={p.seq} ack={p.ack}" for p in cap.packets if p.sport == 7601]}; '
      f'then: {tw_lines(cport)}')
for label, off in (('RST seq = RCV.NXT+10 (in window)', 10), ('RST seq = RCV.NXT (exact)', 0)):
    with Capture(f'tcp port 7601 and port {cport}') as cap:
        send_segment(cport, 7601, seq=rcv_nxt + off, ack=snd_nxt, flags='R')
        time.sleep(0.2)
    answer = [f'[{p.flags}] seq={p.seq} ack={p.ack}' for p in cap.packets if p.sport == 7601] or 'nothing'
    print(f'   {label} -> answer {answer}; TIME_WAIT: {tw_lines(cport) or "gone"}')
print(f'   (tcp_rfc1337={sysctl("net.ipv4.tcp_rfc1337")})')
lst.close()
nft_flush()

print('\n## C) tcp_tw_reuse: the client\'s own side is in TIME_WAIT, it connects again from the same port')
print('   tcp_tw_reuse_delay =', sysctl('net.ipv4.tcp_tw_reuse_delay'), 'ms')
lst = socket.socket()
lst.bind(('127.0.0.1', 7602))
lst.listen(64)
cport = 46100


def client_timewait(cport: int) -> tuple[int, float]:
    """Client closes first; returns the client's old SND.NXT and the time of its TIME_WAIT."""
    with Capture(f'tcp port 7602 and port {cport}') as cap:
        c = client(7602, sport=cport, reuse=True)
        a, _ = lst.accept()
        c.close()
        assert a.recv(1) == b''
        a.close()
        time.sleep(0.05)
    fin_c = next(p for p in cap.packets if p.sport == cport and 'F' in p.flags)
    return (fin_c.seq + 1) % M, time.time()


for reuse, ts in ((0, 1), (1, 1), (2, 1), (2, 0)):
    sysctl('net.ipv4.tcp_tw_reuse', reuse)
    sysctl('net.ipv4.tcp_timestamps', ts)
    for wait in (0.0, 1.5):
        cport += 1
        old_snd_nxt, t_tw = client_timewait(cport)
        time.sleep(wait)
        with Capture(f'tcp port 7602 and port {cport}') as cap:
            c = socket.socket()
            c.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            rb = attempt(c.bind, ('127.0.0.1', cport))
            rc = attempt(c.connect, ('127.0.0.1', 7602))
            time.sleep(0.05)
        syn = [p for p in cap.packets if p.flags == 'S']
        isn = f'; new SYN seq = old SND.NXT + {(syn[0].seq - old_snd_nxt) % M}' if syn else ''
        print(f'   tcp_tw_reuse={reuse} timestamps={ts}, TIME_WAIT age {time.time() - t_tw:.1f} s: '
              f'bind -> {rb}, connect -> {rc}{isn}')
        if rc == 'ok':
            lst.accept()[0].close()
        c.close()
sysctl('net.ipv4.tcp_timestamps', 1)

print('\n   ip_local_port_range reduced to one port, connect() without bind():')
print('   ip_local_port_range ->', sysctl('net.ipv4.ip_local_port_range', '47000 47000'))
for reuse in (0, 2):
    sysctl('net.ipv4.tcp_tw_reuse', reuse)
    c = client(7602)
    a, _ = lst.accept()
    c.close()
    a.recv(1)
    a.close()
    time.sleep(0.05)
    for wait in (0.0, 1.5):
        time.sleep(wait)
        c = socket.socket()
        r = attempt(c.connect, ('127.0.0.1', 7602))
        extra = ''
        if r == 'ok':
            extra = f' from port {c.getsockname()[1]}'
            lst.accept()[0].close()
        print(f'   tcp_tw_reuse={reuse}, after {wait} s: connect -> {r}{extra}; TIME_WAIT on port 47000: '
              f'{len(tw_lines(47000))}')
        if r == 'ok':
            c.close()
            break
        c.close()
    time.sleep(0.1)
lst.close()
