#!/usr/bin/env python3
"""Fact 6: what tcp_fin_timeout bounds.

With tcp_fin_timeout=5 in the namespace:
 i)   an orphaned FIN_WAIT_2 (client close()d, the server never closes): how long it stays, what ss shows,
      what is sent when it expires, and what the server's later data gets;
 ii)  a FIN_WAIT_2 socket that only did shutdown(SHUT_WR) and is still open: still there after 15 s? then close()
      it and time the orphan;
 iii) a TIME_WAIT created while tcp_fin_timeout=5: still 60 s?
and with the default tcp_fin_timeout=60: an orphaned FIN_WAIT_2 again.
Takes about 90 s. Run as root: python3 scripts/kernel/fin_timeout.py
"""
import socket
import sys
import threading
import time

sys.path.insert(0, __file__.rsplit('/', 1)[0])
from kernlib import Capture, enter_fresh_netns, errname, header, pair, ss_lines, sysctl, wait_gone  # noqa: E402

enter_fresh_netns('synack-kc-6')


def states(port: int) -> list[str]:
    return ss_lines('-tan', '-o', 'state', 'connected', f'( sport = :{port} or dport = :{port} )')


def lifetime(port: int, state: str) -> float:
    return wait_gone(lambda: bool(ss_lines('-tan', 'state', state, f'( dport = :{port} or sport = :{port} )')),
                     poll=0.05, limit=200)


header('tcp_fin_timeout')
print('default tcp_fin_timeout in a fresh namespace:', sysctl('net.ipv4.tcp_fin_timeout'))
print('set tcp_fin_timeout =', sysctl('net.ipv4.tcp_fin_timeout', 5))

# iii) started first, measured in the background: a TIME_WAIT made while tcp_fin_timeout=5
tw_result: list[str] = []
lst3, c3, a3 = pair(7303)
c3.close()
assert a3.recv(1) == b''
a3.close()
tw_start = time.time()
print(f'\n## iii) TIME_WAIT made while tcp_fin_timeout=5: {states(7303)}')
tw_thread = threading.Thread(target=lambda: tw_result.append(f'{lifetime(7303, "time-wait"):.3f}'))
tw_thread.start()

print('\n## i) orphaned FIN_WAIT_2, tcp_fin_timeout=5')
lst, c, a = pair(7301)
with Capture('tcp port 7301') as cap:
    c.close()
    t_close = time.time()
    time.sleep(0.2)
    print(f'    0.2 s after close(): {states(7301)}')
    d = lifetime(7301, 'fin-wait-2')
    print(f'    FIN_WAIT_2 gone from ss {d + 0.2:.3f} s after close()')
    time.sleep(1)
    print(f'    server (CLOSE_WAIT) sends data 1 s later: send -> ', end='')
    a.send(b'late')
    time.sleep(0.1)
    try:
        r = repr(a.recv(10))
    except OSError as e:
        r = errname(e)
    print(f'ok; recv -> {r}')
    a.close()
cap.show(t_close, 'orphan FIN_WAIT_2 (t0 = close())')
lst.close()

print('\n## ii) shutdown(SHUT_WR) but still open, tcp_fin_timeout=5')
lst, c, a = pair(7302)
c.shutdown(socket.SHUT_WR)
for _ in range(3):
    time.sleep(5)
    print(f'    +{5 * (_ + 1)} s: {states(7302)}')
c.close()
print(f'    close() now: {states(7302)}')
print(f'    orphan FIN_WAIT_2 gone {lifetime(7302, "fin-wait-2"):.3f} s after close()')
a.close()
lst.close()

print('\n## orphaned FIN_WAIT_2 with tcp_fin_timeout =', sysctl('net.ipv4.tcp_fin_timeout', 60))
lst, c, a = pair(7304)
c.close()
time.sleep(0.2)
print(f'    0.2 s after close(): {states(7304)}')
print(f'    FIN_WAIT_2 gone {lifetime(7304, "fin-wait-2") + 0.2:.3f} s after close()')
a.close()
lst.close()

tw_thread.join()
print(f'\n## iii) result: the TIME_WAIT made while tcp_fin_timeout=5 lasted {tw_result[0]} s')
lst3.close()
