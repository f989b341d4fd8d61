#!/usr/bin/env python3
"""Fact 1: can a server bind() its port again while a TIME_WAIT socket on that port exists?

Server-side TIME_WAIT: listener L accepts A; A closes first (FIN), the client closes after, so A ends in
TIME_WAIT. L is closed, then a new socket binds the same address and port (then listen()). All four
combinations of SO_REUSEADDR on L (inherited by A and its TIME_WAIT) and on the new socket, for a bind to
127.0.0.1 and to 0.0.0.0. Then: client-side TIME_WAIT only; and a bind while L is still listening.
Run as root: python3 scripts/kernel/timewait_rebind.py
"""
import socket
import sys
import time

sys.path.insert(0, __file__.rsplit('/', 1)[0])
from kernlib import attempt, client, enter_fresh_netns, header, ss_port  # noqa: E402

enter_fresh_netns('synack-kc-1')


def server_side_timewait(port: int, old_reuse: bool, accepted_reuse: bool = False) -> None:
    """Leave a TIME_WAIT on 127.0.0.1:port (the server's side), listener closed."""
    lst = socket.socket()
    if old_reuse:
        lst.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    lst.bind(('127.0.0.1', port))
    lst.listen(8)
    c = client(port)
    a, _ = lst.accept()
    if accepted_reuse:             # set on the accepted socket only (it inherits the listener's value)
        a.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    a.close()                      # server closes first -> FIN_WAIT_1/2
    assert c.recv(10) == b''       # client sees the FIN
    c.close()                      # client's FIN -> server side TIME_WAIT, client side CLOSED
    time.sleep(0.1)
    lst.close()


def try_rebind(port: int, new_reuse: bool, addr: str) -> str:
    s = socket.socket()
    if new_reuse:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    r = attempt(s.bind, (addr, port))
    if r == 'ok':
        r = 'bind ok, listen ' + attempt(s.listen, 8)
    else:
        r = 'bind ' + r
    s.close()
    return r


header('bind() over TIME_WAIT')
port = 6000
for addr in ('127.0.0.1', '0.0.0.0'):
    for old_reuse in (False, True):
        for new_reuse in (False, True):
            port += 1
            server_side_timewait(port, old_reuse)
            tw = ss_port(port)
            assert any(l.startswith('TIME-WAIT') and f':{port} ' in l.split(' ', 3)[3] + ' ' for l in tw), tw
            print(f'server TIME_WAIT [{tw[0]}]  old SO_REUSEADDR={int(old_reuse)} '
                  f'new SO_REUSEADDR={int(new_reuse)} bind {addr}:{port} -> {try_rebind(port, new_reuse, addr)}')

print()
print('listener without SO_REUSEADDR, but SO_REUSEADDR set on the accepted socket before its close():')
port += 1
server_side_timewait(port, False, accepted_reuse=True)
print(f'  ss: {ss_port(port)}')
print(f'  new SO_REUSEADDR=1 bind 127.0.0.1:{port} -> {try_rebind(port, True, "127.0.0.1")}')

print()
print('client-side TIME_WAIT (client closed first), listener closed, server rebinds its port:')
for new_reuse in (False, True):
    port += 1
    lst = socket.socket()
    lst.bind(('127.0.0.1', port))
    lst.listen(8)
    c = client(port)
    a, _ = lst.accept()
    c.close()                      # client first
    assert a.recv(10) == b''
    a.close()
    time.sleep(0.1)
    lst.close()
    print(f'  ss: {ss_port(port)}')
    print(f'  new SO_REUSEADDR={int(new_reuse)} bind 127.0.0.1:{port} -> {try_rebind(port, new_reuse, "127.0.0.1")}')

print()
print('old listener still open (SO_REUSEADDR on both), second socket binds the same port:')
port += 1
lst = socket.socket()
lst.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
lst.bind(('127.0.0.1', port))
lst.listen(8)
for addr in ('127.0.0.1', '0.0.0.0'):
    print(f'  bind {addr}:{port} with SO_REUSEADDR -> {try_rebind(port, True, addr)}')
lst.close()
