// Window sizing: the window scale we announce and the window we offer (RFC 7323, RFC 9293 3.8.6).
import type { Profile } from './profile.js';

/** Linux tcp_select_initial_window: the shift that lets the largest buffer be offered, 0..14. */
export function windowScaleFor(profile: Profile): number {
  const space = Math.max(profile.rmemMax, profile.receiveBuffer);
  return Math.min(14, Math.max(0, Math.floor(Math.log2(space)) - 15));
}

/**
 * The window offered in a SYN or SYN-ACK and kept as the target afterwards: the buffer space
 * capped at 65535, rounded down to a multiple of the MSS we expect to receive
 * (Linux tcp_select_initial_window: "if (space > mss) space = rounddown(space, mss)").
 */
export function initialReceiveWindow(profile: Profile, mss: number): number {
  const space = Math.min(profile.receiveBuffer, 65535);
  return space > mss ? space - (space % mss) : space;
}
