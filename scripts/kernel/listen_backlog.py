#!/usr/bin/env python3
"""Fact 2: the listen backlog and what happens when the accept queue is full.

A) listen(n), n = 0..3, a listener that does not accept: clients connect one by one (0.3 s apart); reported per
   client: its state 0.3 s after connect() started, its SYN and SYN-ACK times; `ss -ltn` (Recv-Q = accept queue,
   Send-Q = backlog). Then the server accept()s one connection: which client completes, and when.
B) a client X whose final ACK arrives while the accept queue is full: an nft rule drops X's ACK until another
   client A has filled the queue of a listen(0) socket; then the rule goes and X's next ACK (answering the
   retransmitted SYN-ACK) meets a full queue. tcp_abort_on_overflow = 0 and = 1.
C) listen(-1) through libc; net.core.somaxconn lowered to 2.
Takes about 75 s. Run as root: python3 scripts/kernel/listen_backlog.py
"""
import select
import socket
import sys
import time

sys.path.insert(0, __file__.rsplit('/', 1)[0])
from kernlib import (Capture, c_listen, counters, enter_fresh_netns, errname, header, nft, nft_flush, ss_lines,  # noqa: E402
                     sysctl, tcp_state)

enter_fresh_netns('synack-kc-2')


def start_connect(port: int, sport: int = 0) -> socket.socket:
    s = socket.socket()
    if sport:
        s.bind(('127.0.0.1', sport))
    s.setblocking(False)
    assert s.connect_ex(('127.0.0.1', port)) in (0, 115)  # EINPROGRESS
    return s


def listen_line(port: int) -> str:
    return ' '.join(ss_lines('-ltn', f'( sport = :{port} )'))


def per_client(cap: Capture, t0: float, sport: int) -> str:
    pk = cap.packets
    syn = [f'{p.t - t0:.3f}' for p in pk if p.sport == sport and p.flags == 'S']
    sa = [f'{p.t - t0:.3f}' for p in pk if p.dport == sport and p.flags == 'S.']
    rst = [f'{p.t - t0:.3f}' for p in pk if sport in (p.sport, p.dport) and 'R' in p.flags]
    return f'SYN at [{", ".join(syn)}] SYN-ACK at [{", ".join(sa)}]' + (f' RST at [{", ".join(rst)}]' if rst else '')


CTRS = ('TcpExtListenOverflows', 'TcpExtListenDrops', 'TcpExtSyncookiesSent', 'TcpExtSyncookiesRecv',
        'TcpExtTCPReqQFullDoCookies', 'TcpExtTCPReqQFullDrop')

header('listen backlog')
print('defaults:', {k: sysctl(k) for k in ('net.core.somaxconn', 'net.ipv4.tcp_abort_on_overflow',
                                           'net.ipv4.tcp_syncookies', 'net.ipv4.tcp_max_syn_backlog')})

print('\n## A) listen(n) with no accept()')
for n in range(4):
    port = 7200 + n
    lst = socket.socket()
    lst.bind(('127.0.0.1', port))
    lst.listen(n)
    clients = []
    with Capture(f'tcp port {port}') as cap:
        t0 = time.time()
        for k in range(n + 3):
            s = start_connect(port)
            time.sleep(0.3)
            clients.append((s, tcp_state(s)))
        q = listen_line(port)
        time.sleep(2.4 - (time.time() - t0))
        a, peer = lst.accept()
        t_acc = time.time()
        states_at_accept = [tcp_state(s) for s, _ in clients]
        time.sleep(6.0 - (time.time() - t0))
        end = [tcp_state(s) for s, _ in clients]
        q_end = listen_line(port)
    print(f'\n listen({n}):  ss -ltn after {n + 3} connects: {q}')
    print(f'   established after 0.3 s each: {sum(st == "ESTABLISHED" for _, st in clients)} of {n + 3}')
    for k, (s, st) in enumerate(clients):
        print(f'   client {k} :{s.getsockname()[1]} state@0.3s={st} @accept={states_at_accept[k]} @6s={end[k]}; '
              f'{per_client(cap, t0, s.getsockname()[1])}')
    print(f'   accept() at {t_acc - t0:.3f} s returned the connection from :{peer[1]}; ss -ltn at 6 s: {q_end}')
    print(f'   RSTs in the whole capture: {sum("R" in p.flags for p in cap.packets)}; counters so far: {counters(*CTRS)}')
    for s, _ in clients:
        s.close()
    a.close()
    lst.close()

print('\n## B) final ACK arriving while the accept queue is full (listen(0))')
DROP_X = '''table inet kc {
  chain in {
    type filter hook input priority 0;
    tcp sport %d tcp dport 7210 tcp flags & (syn|ack|fin|rst) == ack drop
  }
}'''
for abort in (0, 1):
    sysctl('net.ipv4.tcp_abort_on_overflow', abort)
    port = 7210
    lst = socket.socket()
    lst.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    lst.bind(('127.0.0.1', port))
    lst.listen(0)
    x_port, a_port = 40001 + 10 * abort, 40002 + 10 * abort   # fresh 4-tuples (no TIME_WAIT from the last run)
    nft(DROP_X % x_port)
    with Capture(f'tcp port {port}') as cap:
        t0 = time.time()
        x = start_connect(port, sport=x_port)
        time.sleep(0.2)
        print(f'\n tcp_abort_on_overflow={abort}: X state {tcp_state(x)}; server: '
              f'{ss_lines("-tan", "state", "syn-recv")} (SYN-RECV for X)')
        a_cl = start_connect(port, sport=a_port)
        time.sleep(0.2)
        print(f'   A state {tcp_state(a_cl)}; {listen_line(port)}; counters after A: {counters(*CTRS)}')
        nft_flush()                 # X's next ACK gets through, and meets a full queue
        watch_until = 9.5 if abort == 0 else 3.0
        x_err = None
        while time.time() - t0 < watch_until:
            r, _, _ = select.select([x], [], [], 0.05)
            if r and x_err is None:
                try:
                    x_err = repr(x.recv(10))
                except OSError as e:
                    x_err = f'{errname(e)} at {time.time() - t0:.3f} s'
        print(f'   X state at {watch_until} s: {tcp_state(x)}; X recv: {x_err}; '
              f'server SYN-RECV: {ss_lines("-tan", "-o", "state", "syn-recv")}')
        if abort == 0:
            conn, peer = lst.accept()
            t_acc = time.time()
            print(f'   accept() at {t_acc - t0:.3f} s -> :{peer[1]} (A)')
            done = None
            while time.time() - t0 < 17:
                if done is None and ss_lines('-tan', 'state', 'established', f'( sport = :7210 and dport = :{x_port} )'):
                    done = time.time() - t0
                time.sleep(0.02)
            print(f'   server-side ESTABLISHED for X appeared at {done:.3f} s; {listen_line(port)}')
            conn.close()
    pk = cap.packets
    print(f'   counters so far: {counters(*CTRS)}')
    print('   capture (t0 = X connect):')
    for p in pk:
        print('    ', p.fmt(t0))
    x.close()
    a_cl.close()
    lst.close()
sysctl('net.ipv4.tcp_abort_on_overflow', 0)

print('\n## C) listen(-1) and somaxconn')
s = socket.socket()
s.bind(('127.0.0.1', 7220))
print(f'   libc listen(fd, -1) -> {c_listen(s, -1)}; ss -ltn: {listen_line(7220)}')
s.close()
print(f'   net.core.somaxconn -> {sysctl("net.core.somaxconn", 2)}')
for backlog in (10, -1, 1):
    port = 7221 + (backlog % 7)
    s = socket.socket()
    s.bind(('127.0.0.1', port))
    r = c_listen(s, backlog)
    cl = []
    for _ in range(6):
        cl.append(start_connect(port))
        time.sleep(0.1)
    time.sleep(0.3)
    print(f'   listen({backlog}) -> {r}; ss -ltn: {listen_line(port)}; '
          f'{sum(tcp_state(c) == "ESTABLISHED" for c in cl)} of 6 clients established')
    for c in cl:
        c.close()
    s.close()
