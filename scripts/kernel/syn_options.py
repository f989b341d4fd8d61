#!/usr/bin/env python3
"""Fact 7: options and windows of the handshake.

On loopback (MTU 65536) with the default sysctls, and with tcp_timestamps / tcp_sack / tcp_window_scaling off;
then over a veth pair (MTU 1500) to a second namespace. Reported: the option list of SYN and SYN-ACK in wire
order, the window of SYN, SYN-ACK, the first ACK and the first data segments (tcpdump prints the raw 16-bit
field; later segments are scaled by the peer's wscale), and what tcpdump -vv says about the checksums.
Run as root: python3 scripts/kernel/syn_options.py
"""
import socket
import subprocess
import sys
import time

sys.path.insert(0, __file__.rsplit('/', 1)[0])
from kernlib import Capture, ExtraNetns, enter_fresh_netns, header, sysctl  # noqa: E402

enter_fresh_netns('synack-kc-7')


def handshake(cap_iface: str, server_addr: str, make_listener) -> None:
    lst = make_listener()
    sport = lst.getsockname()[1]
    with Capture(f'tcp port {sport}', iface=cap_iface) as cap:
        c = socket.create_connection((server_addr, sport))
        a, _ = lst.accept()
        c.send(b'x' * 100)
        a.recv(100)
        time.sleep(0.1)
        a.send(b'y' * 100)
        c.recv(100)
        time.sleep(0.1)
        info = f'client MSS (TCP_MAXSEG) {c.getsockopt(socket.IPPROTO_TCP, socket.TCP_MAXSEG)}'
        c.close()
        a.close()
        lst.close()
    pk = cap.packets
    for p in pk[:7]:
        way = 's->c' if p.sport == sport else 'c->s'
        print(f'    {way} [{p.flags:2s}] len={p.length:<3d} win={p.win:<6d} options=[{p.options}]')
    print(f'    {info}')


def vv_checksums(iface: str, server_addr: str, make_listener) -> None:
    lst = make_listener()
    port = lst.getsockname()[1]
    p = subprocess.Popen(['tcpdump', '-i', iface, '-n', '-vv', '-c', '2', f'tcp port {port}'],
                         stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    time.sleep(0.5)
    c = socket.create_connection((server_addr, port))
    out, _ = p.communicate(timeout=5)
    c.close()
    lst.close()
    for line in out.splitlines():
        if 'cksum' in line:
            print('    tcpdump -vv:', line.strip()[line.strip().find('cksum'):].split(',')[0])


def lo_listener() -> socket.socket:
    s = socket.socket()
    s.bind(('127.0.0.1', 0))
    s.listen(8)
    return s


header('handshake options and windows')
print('sysctls:', {k: sysctl(k) for k in ('net.ipv4.tcp_timestamps', 'net.ipv4.tcp_sack', 'net.ipv4.tcp_window_scaling',
                                         'net.ipv4.tcp_rmem', 'net.ipv4.tcp_wmem', 'net.core.rmem_max')})
print('\n## loopback, defaults (lo mtu %s)' % open('/sys/class/net/lo/mtu').read().strip())
handshake('lo', '127.0.0.1', lo_listener)
vv_checksums('lo', '127.0.0.1', lo_listener)

for knob in ('net.ipv4.tcp_timestamps', 'net.ipv4.tcp_sack', 'net.ipv4.tcp_window_scaling'):
    sysctl(knob, 0)
    print(f'\n## loopback, {knob}=0')
    handshake('lo', '127.0.0.1', lo_listener)
    sysctl(knob, 1)
sysctl('net.ipv4.tcp_timestamps', 0)
sysctl('net.ipv4.tcp_sack', 0)
print('\n## loopback, tcp_timestamps=0 and tcp_sack=0')
handshake('lo', '127.0.0.1', lo_listener)
sysctl('net.ipv4.tcp_timestamps', 1)
sysctl('net.ipv4.tcp_sack', 1)

print('\n## veth pair, MTU 1500: client 10.77.0.1 (this namespace) -> server 10.77.0.2 (namespace synack-kc-7b)')
with ExtraNetns('synack-kc-7b') as b:
    subprocess.run(['ip', 'link', 'add', 'kc7a', 'type', 'veth', 'peer', 'name', 'kc7b', 'netns', b.name], check=True)
    subprocess.run(['ip', 'addr', 'add', '10.77.0.1/24', 'dev', 'kc7a'], check=True)
    subprocess.run(['ip', 'link', 'set', 'kc7a', 'up'], check=True)
    b.run('ip', 'addr', 'add', '10.77.0.2/24', 'dev', 'kc7b')
    b.run('ip', 'link', 'set', 'kc7b', 'up')
    time.sleep(0.5)
    print('    mtu:', open('/sys/class/net/kc7a/mtu').read().strip())

    def veth_listener() -> socket.socket:
        s = b.socket(socket.AF_INET, socket.SOCK_STREAM)
        s.bind(('10.77.0.2', 0))
        s.listen(8)
        return s

    handshake('kc7a', '10.77.0.2', veth_listener)
    vv_checksums('kc7a', '10.77.0.2', veth_listener)
