// Hand-built captures for the replay tests: a client (10.0.0.1:40000) and a server (10.0.0.2:80)
// exchanging segments, with sequence and acknowledgment numbers filled in the way a correct stack
// would (each side's SND.NXT and RCV.NXT tracked), so a test writes only what matters to it and
// overrides the one field it breaks.
import { ACK, FIN, RST, SYN, flagsFromNames, makeSegment, type TcpOption } from '../../src/wire/segment.js';
import { seqAdd, type Seq } from '../../src/wire/seq.js';
import type { ObservedPacket } from '../../src/replay/types.js';

export const CLIENT = '10.0.0.1:40000';
export const SERVER = '10.0.0.2:80';

type Side = 'c' | 's';

interface SideState {
  ip: string;
  port: number;
  iss: Seq;
  sndNxt: Seq;
  rcvNxt: Seq;
}

export interface SegmentFields {
  seq?: Seq;
  ack?: Seq;
  /** Payload length (bytes are zeros). */
  len?: number;
  /** The raw window field; default 512 (64 KiB with the default window scale 7). */
  win?: number;
  options?: TcpOption[];
  /** Microseconds; default: 1 ms after the previous packet. */
  t?: number;
  /**
   * The packet is lost on the way: the receiver's RCV.NXT does not move (a capture at the sender
   * still shows it).
   */
  lost?: boolean;
}

export interface ConversationOptions {
  clientIss?: Seq;
  serverIss?: Seq;
  /** Window scale each side offers in its SYN; undefined leaves the option out. Default 7. */
  wscale?: number | undefined;
}

export class Conversation {
  readonly packets: ObservedPacket[] = [];
  private readonly sides: Record<Side, SideState>;
  private t = 0;
  private readonly wscale: number | undefined;

  constructor(options: ConversationOptions = {}) {
    const clientIss = options.clientIss ?? 1000;
    const serverIss = options.serverIss ?? 5000;
    this.wscale = 'wscale' in options ? options.wscale : 7;
    this.sides = {
      c: { ip: '10.0.0.1', port: 40000, iss: clientIss, sndNxt: clientIss, rcvNxt: 0 },
      s: { ip: '10.0.0.2', port: 80, iss: serverIss, sndNxt: serverIss, rcvNxt: 0 },
    };
  }

  /** A segment from the client, e.g. c('SYN'), c('ACK', { len: 5 }), c('FIN,ACK'). */
  c(flags: string, fields: SegmentFields = {}): ObservedPacket {
    return this.send('c', flags, fields);
  }

  /** A segment from the server. */
  s(flags: string, fields: SegmentFields = {}): ObservedPacket {
    return this.send('s', flags, fields);
  }

  /** The usual three-way handshake: SYN, SYN-ACK, ACK. */
  handshake(): this {
    this.c('SYN');
    this.s('SYN,ACK');
    this.c('ACK');
    return this;
  }

  /** Where each side's next sequence number is. */
  sndNxt(side: Side): Seq {
    return this.sides[side].sndNxt;
  }

  rcvNxt(side: Side): Seq {
    return this.sides[side].rcvNxt;
  }

  iss(side: Side): Seq {
    return this.sides[side].iss;
  }

  private send(from: Side, flagText: string, f: SegmentFields): ObservedPacket {
    const me = this.sides[from];
    const peer = this.sides[from === 'c' ? 's' : 'c'];
    const flags = flagsFromNames(flagText.split(',').map((x) => x.trim()));
    const len = f.len ?? 0;
    const seq = f.seq ?? (flags & SYN ? me.iss : me.sndNxt);
    const ack = flags & ACK ? (f.ack ?? me.rcvNxt) : 0;
    const options = f.options ?? (flags & SYN ? synOptions(this.wscale) : []);
    this.t = f.t ?? this.t + 1000;
    const packet: ObservedPacket = {
      frame: this.packets.length + 1,
      t: this.t,
      src: me.ip,
      dst: peer.ip,
      segment: makeSegment({
        srcPort: me.port,
        dstPort: peer.port,
        seq,
        ack,
        flags,
        window: f.win ?? (flags & SYN ? 65535 : 512),
        options,
        payload: new Uint8Array(len),
      }),
      payloadLength: len,
    };
    this.packets.push(packet);
    if (!(flags & RST)) {
      const end = seqAdd(seq, len + (flags & SYN ? 1 : 0) + (flags & FIN ? 1 : 0));
      if (((end - me.sndNxt) | 0) > 0 || flags & SYN) me.sndNxt = end;
      if (!f.lost && (((end - peer.rcvNxt) | 0) > 0 || flags & SYN)) {
        if (flags & SYN || seq === peer.rcvNxt) peer.rcvNxt = end;
      }
    }
    return packet;
  }
}

function synOptions(wscale: number | undefined): TcpOption[] {
  const opts: TcpOption[] = [{ kind: 'mss', mss: 1460 }];
  if (wscale !== undefined) opts.push({ kind: 'nop' }, { kind: 'windowScale', shift: wscale });
  return opts;
}

export { ACK, FIN, RST, SYN };
