// The words on a segment's arrow, and every field of it for hover text and the text alternative.
import type { DatagramEvent, SegmentEvent, TraceOption } from '../../sim/trace.js';
import type { RelativeNumbers } from '../relative-numbers.js';

/** A SYN's options as short words: "mss=1460", "sackOK", "TS", "wscale=7" (RFC 9293 3.2, RFC 2018, RFC 7323). */
export function optionWords(options: readonly TraceOption[]): string[] {
  const words: string[] = [];
  for (const o of options) {
    switch (o.kind) {
      case 'mss':
        words.push(`mss=${o.mss}`);
        break;
      case 'sackPermitted':
        words.push('sackOK');
        break;
      case 'timestamps':
        words.push('TS');
        break;
      case 'windowScale':
        words.push(`wscale=${o.shift}`);
        break;
      case 'sack':
        words.push(`sack ${o.blocks.length}`);
        break;
      case 'unknown':
        words.push(`opt${o.code}`);
        break;
      default:
        break; // nop and eol are padding
    }
  }
  return words;
}

/** tcpdump's spelling of one option, with its values: "TS val 4000 ecr 0". */
export function optionDetail(o: TraceOption): string | undefined {
  switch (o.kind) {
    case 'mss':
      return `mss ${o.mss}`;
    case 'sackPermitted':
      return 'sackOK';
    case 'timestamps':
      return `TS val ${o.tsVal} ecr ${o.tsEcr}`;
    case 'windowScale':
      return `wscale ${o.shift}`;
    case 'sack':
      return `sack ${o.blocks.map(([l, r]) => `{${l}:${r}}`).join('')}`;
    case 'unknown':
      return `option ${o.code} ${o.data}`;
    case 'nop':
      return 'nop';
    case 'eol':
      return 'eol';
  }
}

/** ["seq=0", "ack=1", "len=5", "win=64256"]: relative numbers, the window scaled when the scale is known. */
export function numberWords(ev: SegmentEvent, numbers: RelativeNumbers, window: number | undefined): string[] {
  const words = [`seq=${numbers.seq}`];
  if (ev.flags.includes('ACK')) words.push(`ack=${numbers.ack}`);
  if (ev.len > 0) words.push(`len=${ev.len}`);
  words.push(`win=${window ?? ev.win}`);
  return words;
}

/** Every header field with absolute numbers: what a hover or the packet inspector shows. */
export function segmentDetail(ev: SegmentEvent, window: number | undefined): string[] {
  const lines = [
    `${ev.src} > ${ev.dst}`,
    `flags: ${ev.flags.join(', ') || 'none'}`,
    `seq: ${ev.seq}`,
    `ack: ${ev.flags.includes('ACK') ? ev.ack : `${ev.ack} (not meaningful: no ACK flag)`}`,
    `len: ${ev.len}`,
    `window: ${ev.win}${window !== undefined && window !== ev.win ? ` (scaled: ${window})` : ''}`,
  ];
  const options = ev.options.map(optionDetail).filter((o): o is string => o !== undefined);
  if (options.length > 0) lines.push(`options: ${options.join(', ')}`);
  return lines;
}

export function datagramDetail(ev: DatagramEvent): string[] {
  return [`${ev.src} > ${ev.dst}`, 'UDP', `len: ${ev.len}`];
}
