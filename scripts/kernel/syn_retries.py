#!/usr/bin/env python3
"""Fact 3: SYN and SYN-ACK retransmission schedules.

SYN: an nft rule in the namespace drops incoming SYNs to port 7001 (after tcpdump on lo has seen them), so the
client's connect() retransmits until it gives up; reported: the time of every SYN and of connect()'s failure.
SYN-ACK: an nft rule drops the client's pure ACKs to port 7002, so the server's request socket never completes
and it retransmits its SYN-ACK; reported: their times, when the request disappears from `ss`, and what
happens when the client finally speaks.
Takes about 5 minutes. Run as root: python3 scripts/kernel/syn_retries.py
"""
import socket
import sys
import time

sys.path.insert(0, __file__.rsplit('/', 1)[0])
from kernlib import (Capture, enter_fresh_netns, errname, header, nft, nft_flush, ss_lines,  # noqa: E402
                     sysctl)

enter_fresh_netns('synack-kc-3')

DROP_SYN = '''table inet kc {
  chain in {
    type filter hook input priority 0;
    tcp dport 7001 tcp flags & (syn|ack) == syn drop
  }
}'''
DROP_ACK = '''table inet kc {
  chain in {
    type filter hook input priority 0;
    tcp dport 7002 tcp flags & (syn|ack|fin|rst) == ack drop
  }
}'''


def syn_blackhole(syn_retries: int, linear: int) -> None:
    sysctl('net.ipv4.tcp_syn_retries', syn_retries)
    sysctl('net.ipv4.tcp_syn_linear_timeouts', linear)
    print(f'\n## SYN to a blackhole: tcp_syn_retries={syn_retries} tcp_syn_linear_timeouts={linear}')
    nft(DROP_SYN)
    with Capture('tcp port 7001') as cap:
        s = socket.socket()
        t_call = time.time()
        try:
            s.connect(('127.0.0.1', 7001))
            result = 'connected?!'
        except OSError as e:
            result = errname(e)
        t_fail = time.time()
        s.close()
    nft_flush()
    syns = [p for p in cap.packets if p.flags == 'S']
    t0 = syns[0].t
    print(f'  SYN times (s, from the first SYN): {", ".join(f"{p.t - t0:.3f}" for p in syns)}')
    print(f'  gaps: {", ".join(f"{b.t - a.t:.3f}" for a, b in zip(syns, syns[1:]))}')
    print(f'  connect() -> {result} at {t_fail - t0:.3f} s after the first SYN '
          f'({t_fail - t_call:.3f} s after the call); SYNs sent: {len(syns)} (1 + {len(syns) - 1} retransmissions)')
    print(f'  all SYNs carry the same seq: {len({p.seq for p in syns}) == 1}; '
          f'options of the last one: [{syns[-1].options}]')


def synack_blackhole(synack_retries: int, watch: float) -> None:
    sysctl('net.ipv4.tcp_synack_retries', synack_retries)
    print(f'\n## final ACK dropped: tcp_synack_retries={synack_retries}')
    lst = socket.socket()
    lst.bind(('127.0.0.1', 7002))
    lst.listen(8)
    nft(DROP_ACK)
    gone_at: list[float] = []
    with Capture('tcp port 7002') as cap:
        c = socket.socket()
        c.connect(('127.0.0.1', 7002))
        t_conn = time.time()
        print(f'  client connect() returned ok; client state: {ss_lines("-tan", "( dport = :7002 )")}')
        print(f'  server: {ss_lines("-tan", "-o", "state", "syn-recv")}')
        # watch the request socket until it disappears
        while time.time() - t_conn < watch:
            if not gone_at and not ss_lines('-tan', 'state', 'syn-recv'):
                gone_at.append(time.time())
            time.sleep(0.05)
        nft_flush()
        c.send(b'late data')           # the client finally speaks (with the ACK flag)
        t_send = time.time()
        c.settimeout(3)
        try:
            r = repr(c.recv(100))
        except OSError as e:
            r = errname(e)
        print(f'  client send() after {t_send - t_conn:.3f} s -> ok; then recv() -> {r}')
        c.close()
        lst.close()
    pk = cap.packets
    t0 = next(p.t for p in pk if p.flags == 'S')
    sa = [p for p in pk if p.flags == 'S.']
    print(f'  SYN-ACK times (s, from the SYN): {", ".join(f"{p.t - t0:.3f}" for p in sa)}'
          f'  ({len(sa)} = 1 + {len(sa) - 1} retransmissions)')
    acks = [p for p in pk if p.dport == 7002 and p.flags == '.']
    print(f'  client ACKs (dropped by nft) at: {", ".join(f"{p.t - t0:.3f}" for p in acks)}')
    if gone_at:
        print(f'  request socket gone from ss (SYN-RECV) at {gone_at[0] - t0:.3f} s; nothing sent then: '
              f'{[p.fmt(t0) for p in pk if gone_at[0] - 0.5 < p.t < gone_at[0] + 0.5]}')
    print('  segments after the late data:')
    for p in pk:
        if p.t >= t_send - 0.01:
            print('   ', p.fmt(t0))


header('SYN and SYN-ACK retransmission schedules')
print('defaults in a fresh namespace:', {k: sysctl(k) for k in (
    'net.ipv4.tcp_syn_retries', 'net.ipv4.tcp_syn_linear_timeouts', 'net.ipv4.tcp_synack_retries')})
syn_blackhole(2, 4)
syn_blackhole(4, 4)
syn_blackhole(3, 0)
synack_blackhole(2, watch=10)
syn_blackhole(6, 4)
synack_blackhole(5, watch=70)
