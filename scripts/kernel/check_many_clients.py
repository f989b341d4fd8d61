#!/usr/bin/env python3
"""Scenario many-clients: one iterative server, three clients started close together.

Over a 1 ms link (delaylink.py: client namespace 10.0.0.1, server namespace 10.0.0.2, MTU 1500):
  server: listen(5); 3 times: accept(); recv(1024) until b''; sleep(0.5) ("work"); sendall(upper-cased
          request); close()
  client k (k = 1, 2, 3, started at 0, 10, 20 ms): connect(); sendall(b'request k'); shutdown(SHUT_WR);
          recv(1024) until b''; close()
Reported: every socket call with its time, the packets (captured on the client's side of the link), and `ss` on
both sides while the server works on client 1 (0.3 s) and on client 2 (0.8 s).
Takes about 3 s. Run as root: python3 scripts/kernel/check_many_clients.py
"""
import socket
import sys
import threading
import time

sys.path.insert(0, __file__.rsplit('/', 1)[0])
from kernlib import Capture, enter_fresh_netns, header, ss_lines  # noqa: E402

enter_fresh_netns('synack-kc-11')
from delaylink import SERVER_ADDR, DelayLink  # noqa: E402

PORT = 9000
log: list[tuple[float, str]] = []
t0 = 0.0


def note(who: str, what: str) -> None:
    log.append((time.time(), f'{who:8s} {what}'))


def server(lst: socket.socket) -> None:
    for _ in range(3):
        conn, addr = lst.accept()
        note('server', f'accept() -> from port {addr[1]}')
        request = b''
        while True:
            chunk = conn.recv(1024)
            note('server', f'recv(1024) -> {chunk!r}')
            if not chunk:
                break
            request += chunk
        time.sleep(0.5)
        conn.sendall(request.upper())
        note('server', f'sendall({request.upper()!r}) -> ok')
        conn.close()
        note('server', 'close()')


def client(k: int, start: float) -> None:
    time.sleep(start)
    s = socket.socket()
    note(f'client{k}', 'connect() ...')
    s.connect((SERVER_ADDR, PORT))
    note(f'client{k}', f'connect() -> ok, from port {s.getsockname()[1]}')
    s.sendall(b'request %d' % k)
    s.shutdown(socket.SHUT_WR)
    note(f'client{k}', 'sendall() ok; shutdown(SHUT_WR)')
    reply = b''
    while True:
        chunk = s.recv(1024)
        if not chunk:
            break
        reply += chunk
    note(f'client{k}', f'recv until EOF -> {reply!r}')
    s.close()


header('many clients, one iterative server')
with DelayLink('synack-kc-11-srv', latency=0.001) as link:
    lst = link.server_socket()
    lst.bind(('0.0.0.0', PORT))
    lst.listen(5)
    with Capture(f'tcp port {PORT}', iface='tun0') as cap:
        t0 = time.time()
        threads = [threading.Thread(target=server, args=(lst,))]
        threads += [threading.Thread(target=client, args=(k, 0.010 * (k - 1))) for k in (1, 2, 3)]
        for th in threads:
            th.start()
        snaps = []
        for at in (0.3, 0.8):
            time.sleep(at - (time.time() - t0))
            snaps.append((at, ss_lines('-tan', f'( sport = :{PORT} or dport = :{PORT} )'),
                          link.server_ss('-tan', f'( sport = :{PORT} or dport = :{PORT} )')))
        for th in threads:
            th.join()
        time.sleep(0.2)
        tw = ss_lines('-tan', '-o', 'state', 'time-wait')
        tw_srv = link.server_ss('-tan', '-o', 'state', 'time-wait')
    lst.close()

print('\n## socket calls (s since the first client started)')
for t, line in sorted(log):
    print(f'  {t - t0:7.3f}  {line}')
for at, cli, srv in snaps:
    print(f'\n## ss at {at} s')
    print('  client side (State Recv-Q Send-Q Local Peer):')
    for l in cli:
        print('    ' + l)
    print('  server side:')
    for l in srv:
        print('    ' + l)
print('\n## TIME_WAIT at the end: client side', tw, '; server side', tw_srv)
print()
cap.show(t0, 'client side of the link (t0 = first client started)')
