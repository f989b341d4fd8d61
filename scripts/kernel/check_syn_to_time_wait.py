#!/usr/bin/env python3
"""Scenario syn-to-time-wait: a new SYN for a 4-tuple whose server side is in TIME_WAIT.

Over a 1 ms link (delaylink.py). The old connection: the client binds 10.0.0.1:50300 (SO_REUSEADDR) and connects to
10.0.0.2:9600; it sends N bytes, the server reads them all, sends b'bye' and close()s first (server side ->
TIME_WAIT), the client reads to EOF and close()s. A pause later the client connects again from 10.0.0.1:50300
(new socket, SO_REUSEADDR, bind); the server accept()s and sends b'bye' and closes again.
 A) tcp_timestamps=1 (client namespace), N = 5, pause 0.3 s: the usual case.
 B) tcp_timestamps=1, N = 8 MB sent fast, pause 0.1 s: the new ISN (Linux: a hash of the 4-tuple + a 64 ns
    clock) falls below the old RCV.NXT, but the timestamp is newer.
 C) tcp_timestamps=0, N = 8 MB, pause 0.1 s: lower sequence number and no timestamps.
Reported: the old server SND.NXT / RCV.NXT, the new SYN's seq and TSval relative to them, every packet of the
reconnection, when connect() returns, the server's TIME_WAIT before and after (ss), and accept().
Takes about 10 s. Run as root: python3 scripts/kernel/check_syn_to_time_wait.py
"""
import socket
import sys
import threading
import time

sys.path.insert(0, __file__.rsplit('/', 1)[0])
from kernlib import Capture, attempt, enter_fresh_netns, header, sysctl  # noqa: E402

enter_fresh_netns('synack-kc-17')
from delaylink import CLIENT_ADDR, SERVER_ADDR, DelayLink  # noqa: E402

M = 2**32
CPORT = 50300


def ts_val(options: str) -> int | None:
    return int(options.split('TS val ')[1].split()[0]) if 'TS val' in options else None


def run(link: DelayLink, title: str, port: int, n: int, ts: int, pause: float) -> None:
    print(f'\n## {title}')
    sysctl('net.ipv4.tcp_timestamps', ts)
    lst = link.server_socket()
    lst.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    lst.bind(('0.0.0.0', port))
    lst.listen(8)
    with Capture(f'tcp port {port}', iface='tun0') as cap:
        c = socket.socket()
        c.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        c.bind((CLIENT_ADDR, CPORT))
        c.connect((SERVER_ADDR, port))
        a, _ = lst.accept()

        def server() -> None:
            got = 0
            while got < n:
                got += len(a.recv(1 << 20))
            a.sendall(b'bye')
            a.close()

        th = threading.Thread(target=server)
        th.start()
        t_start = time.time()
        c.sendall(b'x' * n)
        while c.recv(1024):
            pass
        c.close()
        th.join()
        t_old = time.time() - t_start
        time.sleep(pause)
        pk = cap.packets
        fin_s = next(p for p in pk if p.sport == port and 'F' in p.flags)
        last_c = [p for p in pk if p.sport == CPORT][-1]
        snd_nxt = (fin_s.seq + 1) % M
        rcv_nxt = last_c.seq if last_c.seq is not None else None
        fin_c = next(p for p in pk if p.sport == CPORT and 'F' in p.flags)
        rcv_nxt = (fin_c.seq + 1) % M
        old_ts = ts_val(last_c.options)
        tw = link.server_ss('-tan', '-o', 'state', 'time-wait', f'( sport = :{port} )')
        print(f'  old connection ({n} bytes, {t_old:.3f} s): server TIME_WAIT {tw}; '
              f'old server SND.NXT={snd_nxt} RCV.NXT={rcv_nxt}')
        mark = len(cap.packets)
        t0 = time.time()
        c = socket.socket()
        c.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        rb = attempt(c.bind, (CLIENT_ADDR, CPORT))
        rc = attempt(c.connect, (SERVER_ADDR, port))
        t_conn = time.time() - t0
        lst.settimeout(2)
        try:
            a2, peer = lst.accept()
            ra = f'ok: {peer}'
            a2.sendall(b'bye')
            a2.close()
        except OSError as e:
            ra = type(e).__name__
        if rc == 'ok':
            while c.recv(1024):
                pass
        time.sleep(0.1)
        tw_after = link.server_ss('-tan', '-o', 'state', 'time-wait', f'( sport = :{port} )')
        new = cap.packets[mark:]
    syn = next(p for p in new if p.flags == 'S')
    rel = (syn.seq - rcv_nxt) % M
    rel_s = rel if rel < 2**31 else rel - M
    tsd = ts_val(syn.options)
    print(f'  bind -> {rb}; connect -> {rc} after {t_conn:.3f} s; server accept -> {ra}')
    print(f'  new SYN seq = old RCV.NXT {"+" if rel_s >= 0 else "-"} {abs(rel_s)}'
          + (f'; TSval = old client TSval + {tsd - old_ts}' if tsd is not None and old_ts is not None else '; no TS'))
    sa = [p for p in new if p.flags == 'S.']
    if sa:
        print(f'  SYN-ACK seq = old SND.NXT + {(sa[0].seq - snd_nxt) % M}')
    print(f'  server TIME_WAIT afterwards: {tw_after or "gone"}')
    for p in new:
        print('   ', p.fmt(t0))
    c.close()
    lst.close()


header('a SYN meeting the server\'s TIME_WAIT')
with DelayLink('synack-kc-17-srv', latency=0.001) as link:
    run(link, 'A) timestamps on, small old connection, reconnect 0.3 s later', 9600, 5, 1, 0.3)
    run(link, 'B) timestamps on, 8 MB old connection, reconnect 0.1 s later', 9601, 8 << 20, 1, 0.1)
    run(link, 'C) timestamps off, 8 MB old connection, reconnect 0.1 s later', 9602, 8 << 20, 0, 0.1)
sysctl('net.ipv4.tcp_timestamps', 1)
