#!/usr/bin/env python3
"""Scenario tw-reuse: a client reconnecting to the same server ip:port while its old connections sit in TIME_WAIT.

Every connection: client connect(); sendall(b'ping'); close() (the client closes first, so the TIME_WAIT is the
client's); the server accept()s, reads until EOF and close()s.
 A) ephemeral ports, over a 1 ms link (delaylink.py, 10.0.0.1 -> 10.0.0.2: not loopback), ip_local_port_range
    narrowed to 3 ports (50000-50002); 7 connect()s 0.3 s apart (t = 0, 0.3, ..., 1.8 s), for tcp_tw_reuse = 0, 1, 2.
    Each connect(): result, local port, and when it took over a TIME_WAIT: the new SYN's seq - the old
    connection's last seq (old SND.NXT) and TSval - the old connection's last TSval.
 B) the same on loopback (127.0.0.1 -> 127.0.0.1) with tcp_tw_reuse = 2 and 0.
 C) a fixed local port: bind(('10.0.0.1', 50100)) with SO_REUSEADDR before every connect(), over the link,
    tcp_tw_reuse=0: 3 connect()s 0.3 s apart; then the same with tcp_timestamps=0; then without SO_REUSEADDR on
    the new sockets.
Takes about 25 s. Run as root: python3 scripts/kernel/check_tw_reuse.py
"""
import socket
import sys
import threading
import time

sys.path.insert(0, __file__.rsplit('/', 1)[0])
from kernlib import Capture, attempt, enter_fresh_netns, header, ss_lines, sysctl  # noqa: E402

enter_fresh_netns('synack-kc-14')
from delaylink import CLIENT_ADDR, SERVER_ADDR, DelayLink  # noqa: E402

M = 2**32


class Server:
    """A listener that serves every connection: read until EOF, close."""

    def __init__(self, sock: socket.socket):
        self.sock = sock
        self.sock.settimeout(0.2)
        self.stop = False
        self.thread = threading.Thread(target=self.run, daemon=True)
        self.thread.start()

    def run(self) -> None:
        while not self.stop:
            try:
                conn, _ = self.sock.accept()
            except (TimeoutError, socket.timeout):
                continue
            conn.settimeout(5)
            try:
                while conn.recv(1024):
                    pass
            finally:
                conn.close()

    def close(self) -> None:
        self.stop = True
        self.thread.join()
        self.sock.close()


def ts_val(options: str) -> int | None:
    if 'TS val' not in options:
        return None
    return int(options.split('TS val ')[1].split()[0])


def storm(dst: str, port: int, iface: str, n: int, gap: float, bind_port: int = 0, reuse: bool = True,
          src: str = '') -> None:
    last: dict[int, tuple[int, int | None]] = {}  # local port -> (old SND.NXT, old last TSval)
    with Capture(f'tcp port {port}', iface=iface) as cap:
        t0 = time.time()
        for i in range(n):
            time.sleep(max(0.0, t0 + i * gap - time.time()))
            t = time.time() - t0
            c = socket.socket()
            rb = ''
            if bind_port:
                if reuse:
                    c.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
                rb = f'bind -> {attempt(c.bind, (src, bind_port))}, '
            seen = len(cap.packets)
            r = attempt(c.connect, (dst, port))
            lport = c.getsockname()[1] if r == 'ok' else None
            extra = ''
            if r == 'ok':
                time.sleep(0.01)
                syn = next((p for p in cap.packets[seen:] if p.flags == 'S' and p.sport == lport), None)
                if syn and lport in last:
                    old_nxt, old_ts = last[lport]
                    tsd = ts_val(syn.options)
                    extra = (f' (over its TIME_WAIT: SYN seq = old SND.NXT + {(syn.seq - old_nxt) % M}'
                             + (f', TSval = old TSval + {tsd - old_ts}' if tsd is not None and old_ts is not None else '')
                             + ')')
                c.sendall(b'ping')
                c.close()
            else:
                c.close()
            print(f'    t={t:.2f}s connect #{i + 1}: {rb}{r}' + (f' from port {lport}' if lport else '') + extra)
            if lport:
                time.sleep(0.05)
                fin = [p for p in cap.packets if p.sport == lport and 'F' in p.flags]
                lastp = [p for p in cap.packets if p.sport == lport][-1]
                if fin:
                    last[lport] = ((fin[-1].seq + 1) % M, ts_val(lastp.options))
    tw = ss_lines('-tan', 'state', 'time-wait', f'( dport = :{port} )')
    print(f'    TIME_WAIT to :{port} at the end: {len(tw)}')


header('tcp_tw_reuse: reconnecting to the same server ip:port')
print('tcp_tw_reuse_delay =', sysctl('net.ipv4.tcp_tw_reuse_delay'), 'ms; default tcp_tw_reuse =',
      sysctl('net.ipv4.tcp_tw_reuse'))

with DelayLink('synack-kc-14-srv', latency=0.001) as link:
    print('ip_local_port_range ->', sysctl('net.ipv4.ip_local_port_range', '50000 50002'))

    print('\n## A) ephemeral ports, 10.0.0.1 -> 10.0.0.2 (not loopback), 3 ports, connect() every 0.3 s')
    for k, reuse in enumerate((0, 1, 2)):
        sysctl('net.ipv4.tcp_tw_reuse', reuse)
        port = 9300 + k
        lst = link.server_socket()
        lst.bind(('0.0.0.0', port))
        lst.listen(16)
        srv = Server(lst)
        print(f'  tcp_tw_reuse={reuse} (server port {port}):')
        storm(SERVER_ADDR, port, 'tun0', 7, 0.3)
        srv.close()

    print('\n## B) the same on loopback (127.0.0.1 -> 127.0.0.1)')
    for k, reuse in enumerate((2, 0)):
        sysctl('net.ipv4.tcp_tw_reuse', reuse)
        port = 9310 + k
        lst = socket.socket()
        lst.bind(('127.0.0.1', port))
        lst.listen(16)
        srv = Server(lst)
        print(f'  tcp_tw_reuse={reuse} (server port {port}):')
        storm('127.0.0.1', port, 'lo', 7, 0.3)
        srv.close()

    sysctl('net.ipv4.tcp_tw_reuse', 0)
    print('\n## C) a fixed local port 50100 (bind with SO_REUSEADDR), tcp_tw_reuse=0, over the link')
    for k, (ts, reuse) in enumerate(((1, True), (0, True), (1, False))):
        sysctl('net.ipv4.tcp_timestamps', ts)
        port = 9320 + k
        lst = link.server_socket()
        lst.bind(('0.0.0.0', port))
        lst.listen(16)
        srv = Server(lst)
        print(f'  tcp_timestamps={ts}, SO_REUSEADDR on the new sockets: {reuse} (server port {port}):')
        storm(SERVER_ADDR, port, 'tun0', 3, 0.3, bind_port=50100 + k, reuse=reuse, src=CLIENT_ADDR)
        srv.close()
    sysctl('net.ipv4.tcp_timestamps', 1)
