// Errno names the socket API reports, as Linux names them.
export type Errno =
  | 'ECONNREFUSED'
  | 'ECONNRESET'
  | 'ETIMEDOUT'
  | 'EADDRINUSE'
  | 'EADDRNOTAVAIL'
  | 'EPIPE'
  | 'EINVAL'
  | 'EISCONN'
  | 'ENOTCONN'
  | 'EALREADY'
  | 'EAGAIN'
  | 'EINPROGRESS'
  | 'EBADF'
  | 'EOPNOTSUPP'
  | 'EAFNOSUPPORT'
  | 'EHOSTUNREACH'
  | 'EMSGSIZE'
  | 'EDESTADDRREQ';

export const ERRNO_TEXT: Record<Errno, string> = {
  ECONNREFUSED: 'Connection refused',
  ECONNRESET: 'Connection reset by peer',
  ETIMEDOUT: 'Connection timed out',
  EADDRINUSE: 'Address already in use',
  EADDRNOTAVAIL: 'Cannot assign requested address',
  EPIPE: 'Broken pipe',
  EINVAL: 'Invalid argument',
  EISCONN: 'Transport endpoint is already connected',
  ENOTCONN: 'Transport endpoint is not connected',
  EALREADY: 'Operation already in progress',
  EAGAIN: 'Resource temporarily unavailable',
  EINPROGRESS: 'Operation now in progress',
  EBADF: 'Bad file descriptor',
  EOPNOTSUPP: 'Operation not supported',
  EAFNOSUPPORT: 'Address family not supported by protocol',
  EHOSTUNREACH: 'No route to host',
  EMSGSIZE: 'Message too long',
  EDESTADDRREQ: 'Destination address required',
};

/** An error carrying an errno name, as the socket API throws it. */
export class SocketError extends Error {
  constructor(
    readonly errno: Errno,
    detail?: string,
  ) {
    super(`[${errno}] ${ERRNO_TEXT[errno]}${detail ? `: ${detail}` : ''}`);
    this.name = 'SocketError';
  }
}
