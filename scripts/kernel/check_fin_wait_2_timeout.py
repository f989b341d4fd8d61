#!/usr/bin/env python3
"""Scenario fin-wait-2-timeout: what tcp_fin_timeout controls, and what the peer sees afterwards.

Over a 1 ms link (delaylink.py), tcp_fin_timeout = FT on the client side (argument; default 5, run again with 60):
four clients connect to one server and send b'request'; the server reads until EOF on each and never closes
on its own (CLOSE_WAIT), except as described:
  A: close()s at once (orphaned FIN_WAIT_2); at FT + 5 s the server sends b'late reply'; 0.1 s later it recv()s,
     sends b'more' and close()s.
  B: shutdown(SHUT_WR), then recv()s until EOF (FIN_WAIT_2, socket open); the server does the same as for A.
  C: close()s at once; at FT / 2 (before the timeout) the server close()s: its FIN reaches the orphan.
  D: close()s at once; at FT / 2 the server sends b'early reply' (data reaching the orphan before the timeout).
  E: close()s at once; at FT + 5 s the server close()s (its FIN arrives after the timeout).
Reported: ss on the client (with timers) at 1 s and FT + 1 s, when each FIN_WAIT_2 disappears, every packet of A-E
after the handshakes, and what the server's calls return.
Takes about FT + 10 s. Run as root: python3 scripts/kernel/check_fin_wait_2_timeout.py [FT]

With `lifetime` as second argument (`... 65 lifetime`) it only times one orphan instead: the client close()s,
the server never closes, and `ss -o` is polled every 50 ms until the FIN_WAIT_2 is gone; every change of the
line (state, timer kind) is printed with its time.
"""
import socket
import sys
import threading
import time

sys.path.insert(0, __file__.rsplit('/', 1)[0])
from kernlib import Capture, enter_fresh_netns, errname, header, ss_lines, sysctl  # noqa: E402

FT = int(sys.argv[1]) if len(sys.argv) > 1 else 5
LIFETIME = len(sys.argv) > 2 and sys.argv[2] == 'lifetime'
enter_fresh_netns(f'synack-kc-15-{FT}{"-l" if LIFETIME else ""}')
from delaylink import SERVER_ADDR, DelayLink  # noqa: E402

if LIFETIME:
    import re
    header(f'lifetime of an orphaned FIN_WAIT_2, tcp_fin_timeout={FT}')
    with DelayLink(f'synack-kc-15-{FT}-l-srv', latency=0.001) as link:
        print('client tcp_fin_timeout =', sysctl('net.ipv4.tcp_fin_timeout', FT))
        lst = link.server_socket()
        lst.bind(('0.0.0.0', 9401))
        lst.listen(8)
        c = socket.socket()
        c.connect((SERVER_ADDR, 9401))
        conn, _ = lst.accept()
        t0 = time.time()
        c.close()
        last = None
        while time.time() - t0 < 200:
            lines = ss_lines('-tan', '-o', '( dport = :9401 )')
            shape = re.sub(r'timer:\((\w+),[^,]*,', r'timer:(\1,…,', lines[0]) if lines else 'gone'
            if shape != last:
                print(f'  {time.time() - t0:7.3f} s after close(): {lines[0] if lines else "gone"}')
                last = shape
            if not lines:
                break
            time.sleep(0.05)
        conn.close()
        lst.close()
    sys.exit(0)

PORT = 9400
log: list[tuple[float, str]] = []
t0 = 0.0


def note(what: str) -> None:
    log.append((time.time(), what))


def call(label: str, fn, *args) -> None:
    try:
        r = fn(*args)
        note(f'{label} -> {r!r}')
    except OSError as e:
        note(f'{label} -> {errname(e)}')


header(f'orphaned vs open FIN_WAIT_2, tcp_fin_timeout={FT}')
with DelayLink(f'synack-kc-15-{FT}-srv', latency=0.001) as link:
    print('client tcp_fin_timeout =', sysctl('net.ipv4.tcp_fin_timeout', FT))
    lst = link.server_socket()
    lst.bind(('0.0.0.0', PORT))
    lst.listen(8)
    with Capture(f'tcp port {PORT}', iface='tun0') as cap:
        t0 = time.time()
        clients: dict[str, socket.socket] = {}
        conns: dict[str, socket.socket] = {}
        for name in 'ABCDE':
            c = socket.socket()
            c.connect((SERVER_ADDR, PORT))
            conn, _ = lst.accept()
            c.sendall(b'request')
            clients[name], conns[name] = c, conn
        ports = {n: c.getsockname()[1] for n, c in clients.items()}
        note('ports: ' + ', '.join(f'{n}={p}' for n, p in ports.items()))
        for name in 'ACDE':
            clients[name].close()
            note(f'client {name} close()')
        clients['B'].shutdown(socket.SHUT_WR)
        note('client B shutdown(SHUT_WR)')
        b_reply: list[bytes] = []

        def b_reader() -> None:
            data = b''
            while True:
                try:
                    chunk = clients['B'].recv(1024)
                except OSError as e:
                    note(f'client B recv -> {errname(e)}')
                    return
                if not chunk:
                    break
                data += chunk
            note(f'client B recv until EOF -> {data!r}')
            b_reply.append(data)
            clients['B'].close()

        th = threading.Thread(target=b_reader)
        th.start()
        for name in 'ABCDE':
            data = b''
            while chunk := conns[name].recv(1024):
                data += chunk
            note(f'server recv from {name} until EOF -> {data!r}')
        time.sleep(1 - (time.time() - t0))
        snap1 = ss_lines('-tan', '-o', f'( dport = :{PORT} )')
        time.sleep(FT / 2 - (time.time() - t0))
        call('server close() C', conns['C'].close)
        call('server send(early reply) to D', conns['D'].send, b'early reply')
        time.sleep(0.1)
        call('server recv() from D', conns['D'].recv, 1024)
        call('server send() to D again', conns['D'].send, b'more')
        snap_mid = ss_lines('-tan', '-o', f'( dport = :{PORT} )')
        gone: dict[str, float] = {}
        while time.time() - t0 < FT + 5:
            states = {l.split()[3].rsplit(':', 1)[1]: l.split()[0] for l in ss_lines('-tan', f'( dport = :{PORT} )')}
            for n in 'AE':
                if n not in gone and states.get(str(ports[n])) is None:
                    gone[n] = time.time() - t0
            if abs(time.time() - t0 - (FT + 1)) < 0.06 and 'snap2' not in dir():
                snap2 = ss_lines('-tan', '-o', f'( dport = :{PORT} )')  # noqa: F841
            time.sleep(0.05)
        call('server send(late reply) to A', conns['A'].send, b'late reply')
        call('server send(late reply) to B', conns['B'].send, b'late reply')
        call('server close() E', conns['E'].close)
        time.sleep(0.1)
        for name in 'AB':
            call(f'server recv() from {name}', conns[name].recv, 1024)
            call(f'server send(more) to {name}', conns[name].send, b'more')
            call(f'server close() {name}', conns[name].close)
        time.sleep(0.3)
        th.join(2)
        snap3 = ss_lines('-tan', '-o', f'( dport = :{PORT} )')
        srv = link.server_ss('-tan', f'( sport = :{PORT} )')
    for name in 'DE':
        conns[name].close()
    lst.close()

for t, line in sorted(log):
    print(f'  {t - t0:7.3f}  {line}')
print('\n## client side at 1 s:')
for l in snap1:
    print('    ' + l)
print(f'\n## client side at {FT / 2 + 0.1:.1f} s (after the server closed C and sent to D):')
for l in snap_mid:
    print('    ' + l)
print(f'\n## client side at {FT + 1} s:')
for l in locals().get('snap2', []):
    print('    ' + l)
print(f'\n## FIN_WAIT_2 of A / E gone from ss at: {", ".join(f"{n} {t:.3f} s" for n, t in sorted(gone.items()))}')
print(f'\n## client side at the end ({FT + 5.4:.1f} s):')
for l in snap3:
    print('    ' + l)
print('## server side at the end:')
for l in srv:
    print('    ' + l)
print()
pk = cap.packets
for name in 'ABCDE':
    print(f'  -- connection {name} (port {ports[name]}), from the client close()/shutdown() on:')
    mine = [p for p in pk if ports[name] in (p.sport, p.dport)]
    for p in mine[5:]:
        print('   ', p.fmt(t0))
