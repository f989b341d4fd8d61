// A segment's TCP options as one comparable string: every option in order, with its value only where
// two correct runs agree on it. Timestamps carry a clock that starts at a random offset (Linux:
// tcp_ts_off, per connection), so only their presence is kept; SACK blocks are sequence numbers, made
// relative like ack (to the ISN of the data's sender).
import type { TcpOption } from '../wire/segment.js';

/** "mss=1460,sackOK,ts,nop,ws=7"; "" for none. `relative` turns a peer sequence number into its offset. */
export function optionsText(options: readonly TcpOption[], relative: (seq: number) => number): string {
  return options.map((o) => optionText(o, relative)).join(',');
}

function optionText(o: TcpOption, relative: (seq: number) => number): string {
  switch (o.kind) {
    case 'eol':
      return 'eol';
    case 'nop':
      return 'nop';
    case 'mss':
      return `mss=${o.mss}`;
    case 'windowScale':
      return `ws=${o.shift}`;
    case 'sackPermitted':
      return 'sackOK';
    case 'sack':
      return `sack=${o.blocks.map(([left, right]) => `${relative(left)}-${relative(right)}`).join(':')}`;
    case 'timestamps':
      return 'ts';
    case 'unknown':
      return `opt${o.code}`;
  }
}
