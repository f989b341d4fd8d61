// Round-trip time estimation and the retransmission timeout (RFC 6298 section 2).
import type { Connection } from './connection.js';

/**
 * Feeds one RTT measurement (microseconds) into SRTT/RTTVAR and recomputes the RTO.
 * RFC 6298: RTO = SRTT + max(G, 4 * RTTVAR), at least 1 s. Linux (tcp_set_rto) keeps the
 * variance term at least TCP_RTO_MIN (200 ms), so its RTO is about SRTT + 200 ms on a fast path.
 */
export function updateRtt(c: Connection, sample: number): void {
  const r = Math.max(1, sample);
  if (c.srtt === undefined) {
    c.srtt = r;
    c.rttvar = r / 2;
  } else {
    c.rttvar = 0.75 * c.rttvar + 0.25 * Math.abs(c.srtt - r);
    c.srtt = 0.875 * c.srtt + 0.125 * r;
  }
  const p = c.profile;
  const variance = p.name === 'linux' ? Math.max(4 * c.rttvar, p.minRto) : Math.max(1000, 4 * c.rttvar);
  const rto = Math.round(c.srtt + variance);
  c.rto = Math.min(p.maxRto, Math.max(p.minRto, rto));
}
