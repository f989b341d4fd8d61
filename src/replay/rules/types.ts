// What a rule sees and what it may say. Rules are small pure functions over what was SENT before
// the packet (those facts are certain in a capture), never over guesses about what arrived.
import type { Profile } from '../../tcp/profile.js';
import type { EndpointModel } from '../endpoint.js';
import type { ObservedPacket } from '../types.js';

export interface RuleContext {
  packet: ObservedPacket;
  /** The endpoint that sent the packet, as known before it. */
  sender: Readonly<EndpointModel>;
  /** The other endpoint, as known before the packet. */
  receiver: Readonly<EndpointModel>;
  /** The right edge of the window the receiver has offered, if known (window-scale.ts). */
  receiverRightEdge: number | undefined;
  profile: Profile;
  /** The capture started after the handshake. */
  midstream: boolean;
}

export interface Finding {
  rule: string;
  detail: string;
}

/** A check on one packet, made when it is seen. */
export interface PacketRule {
  id: string;
  check(ctx: RuleContext): Finding | undefined;
}

/**
 * Something the packet makes due from the other endpoint (a challenge ACK): if no later packet of
 * that endpoint meets it by the end of the capture, the finding stands against this packet.
 */
export interface Expectation {
  finding: Finding;
  packet: ObservedPacket;
  /** The endpoint whose packet would meet it. */
  from: string;
  met(p: ObservedPacket): boolean;
}

export interface ExpectationRule {
  id: string;
  expect(ctx: RuleContext): Expectation | undefined;
}
