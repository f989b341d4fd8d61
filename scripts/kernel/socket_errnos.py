#!/usr/bin/env python3
"""Fact 8: the errno of each misuse of the socket API (TCP over IPv4, loopback).

Python's socket module passes the kernel's errno through unchanged for these calls (checked against libc for
the ones marked "libc"); Python ignores SIGPIPE, so send() on a broken connection raises EPIPE instead of
killing the process, as MSG_NOSIGNAL would. Connections are made with a plain blocking connect() unless the line
says "non-blocking": a connect() that returned EINPROGRESS leaves the socket layer in SS_CONNECTING even after
the handshake, which changes the answer of a later connect() (Python's settimeout() connects that way too).
Run as root: python3 scripts/kernel/socket_errnos.py
"""
import ctypes
import errno
import socket
import sys
import time

sys.path.insert(0, __file__.rsplit('/', 1)[0])
from kernlib import attempt, client, enter_fresh_netns, header, libc, set_linger0, tcp_state  # noqa: E402

enter_fresh_netns('synack-kc-8')

PORT = 7500


def new(reuse: bool = False) -> socket.socket:
    s = socket.socket()
    if reuse:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    return s


def listening(port: int, reuse: bool = False) -> socket.socket:
    s = new(reuse)
    s.bind(('127.0.0.1', port))
    s.listen(8)
    return s


def connected(port: int, blocking: bool = True) -> tuple[socket.socket, socket.socket, socket.socket]:
    lst = listening(port)
    if blocking:
        c = new()
        c.connect(('127.0.0.1', port))
    else:
        c = client(port, timeout=5.0)      # Python: O_NONBLOCK connect() + poll(), never a second connect()
    a, _ = lst.accept()
    return lst, c, a


def c_call(name: str, *args) -> str:
    """A libc call returning -1/errno, for comparison with Python's result."""
    r = getattr(libc, name)(*args)
    return 'ok' if r >= 0 else errno.errorcode[ctypes.get_errno()]


def row(what: str, result: str) -> None:
    print(f'  {what:66s} {result}')


header('errnos of socket misuse')

s = new()
s.bind(('127.0.0.1', PORT))
row('bind() twice on the same socket', attempt(s.bind, ('127.0.0.1', PORT + 1)))
row('bind() twice, same address again', attempt(s.bind, ('127.0.0.1', PORT)))
s.close()

lst = listening(PORT + 2, reuse=True)
row('bind() to a port held by a LISTEN socket, no SO_REUSEADDR', attempt(new().bind, ('127.0.0.1', PORT + 2)))
row('bind() to a port held by a LISTEN socket, SO_REUSEADDR on both', attempt(new(True).bind, ('127.0.0.1', PORT + 2)))
row('bind() 0.0.0.0 to a port held by a LISTEN socket on 127.0.0.1', attempt(new(True).bind, ('0.0.0.0', PORT + 2)))
row('connect() on a listening socket', attempt(lst.connect, ('127.0.0.1', PORT + 2)))
row('connect() on a listening socket (libc)',
    c_call('connect', lst.fileno(), ctypes.c_char_p(b'\x02\x00' + (PORT + 2).to_bytes(2, 'big') + bytes([127, 0, 0, 1])
                                                    + b'\0' * 8), 16))
row('listen() again on a listening socket (new backlog 3)', attempt(lst.listen, 3))
lst.close()

s = new()
row('listen(0) on a bound socket', attempt(s.bind, ('127.0.0.1', PORT + 3)) + ' / ' + attempt(s.listen, 0))
s.close()
s = new()
row('listen() on an unbound socket (autobind)', attempt(s.listen, 1) + f', bound to {s.getsockname()}')
s.close()

lst, c, a = connected(PORT + 4)
row('listen() on a connected socket', attempt(c.listen, 1))
row('connect() again after a successful connect (same peer)', attempt(c.connect, ('127.0.0.1', PORT + 4)))
row('connect() again after a successful connect (other peer)', attempt(c.connect, ('127.0.0.1', PORT + 99)))
row('bind() on a connected socket', attempt(c.bind, ('127.0.0.1', 0)))
row('accept() on a connected (non-listening) socket', attempt(c.accept))
row('accept() on a connected socket (libc)', c_call('accept', c.fileno(), None, None))
row('shutdown(SHUT_WR) then send()', attempt(c.shutdown, socket.SHUT_WR) + ' / ' + attempt(c.send, b'x'))
row('recv() after the peer\'s FIN (peer did close())', (a.close(), attempt(c.recv, 10))[1])
row('recv() again', attempt(c.recv, 10))
row('shutdown(SHUT_RDWR) after both sides finished', attempt(c.shutdown, socket.SHUT_RDWR))
c.close()
lst.close()

s = new()
row('accept() on a fresh unbound socket', attempt(s.accept))
row('recv() on a never-connected socket', attempt(s.recv, 10))
row('send() on a never-connected socket', attempt(s.send, b'x'))
row('send() on a never-connected socket (libc, MSG_NOSIGNAL)', c_call('send', s.fileno(), b'x', 1, socket.MSG_NOSIGNAL))
row('getpeername() on a never-connected socket', attempt(s.getpeername))
row('shutdown(SHUT_WR) on a never-connected socket', attempt(s.shutdown, socket.SHUT_WR))
row('shutdown(SHUT_RDWR) on a never-connected socket', attempt(s.shutdown, socket.SHUT_RDWR))
s.close()

s = new()
s.bind(('127.0.0.1', PORT + 5))
row('connect() to a closed port', attempt(s.connect, ('127.0.0.1', PORT + 6)))
row('  then connect() again on the same socket (still closed)', attempt(s.connect, ('127.0.0.1', PORT + 6)))
lst = listening(PORT + 6)
row('  then connect() again after a listener appeared', attempt(s.connect, ('127.0.0.1', PORT + 6))
    + f'; local port kept: {s.getsockname()[1] == PORT + 5}')
s.close()
lst.close()

s = new()
s.setblocking(False)
row('non-blocking connect() to a closed port', attempt(s.connect, ('127.0.0.1', PORT + 7)))
time.sleep(0.05)
row('  then SO_ERROR', errno.errorcode.get(s.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR), 'ok (0)'))
row('  then SO_ERROR again', errno.errorcode.get(s.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR), 'ok (0)'))
s.close()
s = new()
s.setblocking(False)
s.connect_ex(('127.0.0.1', PORT + 7))
time.sleep(0.05)
row('non-blocking connect() to a closed port; connect() again later', attempt(s.connect, ('127.0.0.1', PORT + 7)))
s.close()
lst = listening(PORT + 7)
s = new()
s.setblocking(False)
row('non-blocking connect()', attempt(s.connect, ('127.0.0.1', PORT + 7)))
row('  connect() again at once (loopback: handshake already complete)', attempt(s.connect, ('127.0.0.1', PORT + 7)))
time.sleep(0.05)
row('  connect() again after it completed', attempt(s.connect, ('127.0.0.1', PORT + 7)))
s.close()
lst.close()

lst, c, a = connected(PORT + 9, blocking=False)
row('non-blocking (Python timeout) connect; connect() again, same peer', attempt(c.connect, ('127.0.0.1', PORT + 9)))
row('  and once more', attempt(c.connect, ('127.0.0.1', PORT + 9)))
c.close()
a.close()
lst.close()
lst, c, a = connected(PORT + 10, blocking=False)
set_linger0(a)
a.close()
time.sleep(0.05)
lst.close()
row('non-blocking (Python timeout) connect, peer RST, then connect() again',
    attempt(c.connect, ('127.0.0.1', PORT + 10)))
row('  and once more (a new attempt: no listener now)', attempt(c.connect, ('127.0.0.1', PORT + 10)))
c.close()
lst, c, a = connected(PORT + 11, blocking=False)
set_linger0(a)
a.close()
time.sleep(0.05)
lst.close()
row('non-blocking (Python timeout) connect, peer RST, recv(), then connect()',
    attempt(c.recv, 10) + ' / ' + attempt(c.connect, ('127.0.0.1', PORT + 11)))
c.close()

for first in ('recv', 'send'):
    lst, c, a = connected(PORT + 8)
    set_linger0(a)
    a.close()                              # RST to the client
    time.sleep(0.05)
    ops = ['recv', 'send', 'send', 'recv'] if first == 'recv' else ['send', 'send', 'recv', 'recv']
    res = [f'{op} {attempt(c.recv, 10) if op == "recv" else attempt(c.send, b"x")}' for op in ops]
    row(f'after the peer\'s RST: {", ".join(ops)}', ' / '.join(r.split(' ', 1)[1] for r in res))
    if first == 'recv':
        row('  state after the RST; connect() on it again (no listener)',
            tcp_state(c) + ' / ' + (lst.close(), attempt(c.connect, ('127.0.0.1', PORT + 8)))[1])
    c.close()
    lst.close()
