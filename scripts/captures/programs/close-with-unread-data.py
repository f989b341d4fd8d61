"""close-with-unread-data: the client sends "Hello, world"; the server close()s without reading it, so the kernel
sends RST instead of FIN (RFC 2525 2.17, tcp_close() in net/ipv4/tcp.c); the client's recv() fails with
ECONNRESET.
  client: SYN_SENT ESTABLISHED CLOSED
  server: SYN_RECEIVED ESTABLISHED CLOSED
Run: python3 close-with-unread-data.py (in a network namespace, with tcpdump on lo; see ../README.md).
"""
import select
import socket
import sys
import time

PORT = 5000


def mark(name: str) -> None:
    """Prints `MARK name` and, unless stdin is a terminal, waits for a line (or EOF) before going on."""
    print(f'MARK {name}', flush=True)
    if not sys.stdin.isatty():
        sys.stdin.readline()


listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
listener.bind(('127.0.0.1', PORT))
listener.listen(1)
client = socket.create_connection(('127.0.0.1', PORT))
server, _ = listener.accept()
listener.close()
client.sendall(b'Hello, world')
select.select([server], [], [], 5)  # the data has arrived; it stays unread
time.sleep(0.05)
mark('unread')
server.close()
try:
    data = client.recv(100)
    sys.exit(f'expected ECONNRESET, recv() returned {data!r}')
except ConnectionResetError:
    print('client: ECONNRESET')
client.close()
time.sleep(0.02)
mark('end')
