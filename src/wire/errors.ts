// Errors the wire layer throws for bad input. Every decoder throws a WireError (or a subclass) for malformed,
// truncated or corrupted bytes, so callers can tell "bad packet" apart from a bug.

/** Malformed, truncated or out-of-range wire data. */
export class WireError extends Error {
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/** A TCP option list that cannot be encoded or decoded (RFC 9293 3.2). */
export class TcpOptionError extends WireError {}

/** An IP header or transport checksum that does not verify (RFC 1071). */
export class ChecksumError extends WireError {}

/** An IP address or endpoint string that cannot be parsed. */
export class AddressError extends WireError {}
