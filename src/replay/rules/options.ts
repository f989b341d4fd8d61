// Options that belong in a SYN only.
import { SYN } from '../../wire/segment.js';
import { has } from '../packet-facts.js';
import type { PacketRule } from './types.js';

const SYN_ONLY = new Map<string, string>([
  ['mss', 'MSS (RFC 9293 3.2: only in segments with SYN)'],
  ['windowScale', 'window scale (RFC 7323 2.2: only in a SYN)'],
  ['sackPermitted', 'SACK-permitted (RFC 2018 2: only in a SYN)'],
]);

/** syn-option-outside-syn: MSS, window scale or SACK-permitted in a segment without SYN. */
export const synOptionOutsideSyn: PacketRule = {
  id: 'syn-option-outside-syn',
  check({ packet }) {
    if (has(packet, SYN)) return undefined;
    const found = packet.segment.options.map((o) => SYN_ONLY.get(o.kind)).filter((d): d is string => d !== undefined);
    if (found.length === 0) return undefined;
    return { rule: 'syn-option-outside-syn', detail: `option ${found.join(', ')} in a segment without SYN` };
  },
};
