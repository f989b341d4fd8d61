// The BSD-style socket API over simulated hosts.
export { Net, program, type SocketType } from './net.js';
export { TcpSocketHandle, SHUT_RD, SHUT_WR, SHUT_RDWR, type SocketOption } from './tcp-socket.js';
export { UdpSocketHandle } from './udp-socket.js';
export type { Address } from './address.js';
export { SocketError, type Errno } from '../tcp/errno.js';
