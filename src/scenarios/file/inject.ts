// Segments no socket sends: spoofed SYNs of a flood, a forged RST. A sequence number may be relative to
// the receiving connection ("rcv.nxt+1000"), found on the `to` host by the `from` endpoint as its peer.
import type { World } from '../../sim/world.js';
import { seqAdd } from '../../wire/seq.js';
import { flagsFromNames, type Segment, type TcpOption } from '../../wire/segment.js';
import { formatIPv4, parseIPv4 } from '../../wire/address.js';
import type { Injection, SeqSpec } from './schema.js';
import { splitEndpoint } from './semantics.js';

/** Seq step between copies of a multi-copy injection, so spoofed SYNs do not share an ISN. */
const SEQ_STRIDE = 7919;

/** `problem` is told (and the copy skipped) when a relative number has no connection to be relative to. */
export function scheduleInjection(world: World, inj: Injection, hostAddress: (nameOrAddress: string) => string, problem: (message: string) => void): void {
  const [fromPlace, fromPort] = splitEndpoint(inj.from);
  const [toPlace, toPort] = splitEndpoint(inj.to);
  const fromIp = hostAddress(fromPlace);
  const toIp = hostAddress(toPlace);
  let copy = 0;
  for (const at of inj.at) {
    world.at(at, () => {
      const to = world.host(hostName(world, toIp));
      for (let k = 0; k < inj.count; k++, copy++) {
        const src = inj.count > 1 || inj.at.length > 1 ? nthAddress(fromIp, copy) : fromIp;
        const srcPort = ((fromPort ?? 0) + (inj.count > 1 || inj.at.length > 1 ? copy : 0)) % 65536;
        // The connection a relative number is relative to: looked for only when one is (a flood of spoofed SYNs
        // with numeric seq/ack would otherwise list every socket of the host for every copy).
        const relativeSpecs = typeof inj.seq !== 'number' || typeof inj.ack !== 'number' || toPort === undefined;
        const conn = relativeSpecs
          ? to.tcp.allSockets()
              .map((s) => s.conn)
              .find((c) => c !== undefined && c.remote.ip === src && c.remote.port === srcPort && (toPort === undefined || c.local.port === toPort))
          : undefined;
        const relative = (spec: SeqSpec): number | undefined => {
          if (typeof spec === 'number') return (spec + copy * SEQ_STRIDE) >>> 0;
          const m = /^(rcv|snd)\.(nxt|una)([+-]\d+)?$/.exec(spec)!;
          if (!conn) return undefined;
          const base = m[1] === 'rcv' ? conn.rcvNxt : m[2] === 'una' ? conn.sndUna : conn.sndNxt;
          return seqAdd(base, Number(m[3] ?? 0));
        };
        const seq = relative(inj.seq);
        const ack = relative(inj.ack);
        if (seq === undefined || ack === undefined) {
          problem(`inject at ${at / 1e6} s: no connection from ${inj.from} on ${inj.to} for a relative seq/ack; not sent`);
          continue;
        }
        const dstPort = toPort ?? conn?.local.port ?? 0;
        const payload = new TextEncoder().encode(inj.data ?? '');
        const segment: Segment = {
          srcPort,
          dstPort,
          seq,
          ack,
          flags: flagsFromNames(inj.flags),
          window: inj.window,
          urgentPointer: 0,
          options: inj.options.map(option),
          payload,
        };
        world.inject(src, toIp, segment, inj.note ?? 'injected');
      }
    });
  }
}

function option(o: Injection['options'][number]): TcpOption {
  if ('mss' in o) return { kind: 'mss', mss: o.mss };
  if ('wscale' in o) return { kind: 'windowScale', shift: o.wscale };
  if ('sack_permitted' in o) return { kind: 'sackPermitted' };
  return { kind: 'timestamps', tsVal: o.timestamps[0], tsEcr: o.timestamps[1] };
}

/** The address `n` after `base`, wrapping within its /24 and skipping .0 and .255 (spoofed flood sources). */
function nthAddress(base: string, n: number): string {
  const bytes = parseIPv4(base);
  const start = Math.max(1, bytes[3]!) - 1;
  bytes[3] = 1 + ((start + n) % 254);
  return formatIPv4(bytes);
}

function hostName(world: World, address: string): string {
  const h = world.hostList().find((x) => x.address === address);
  if (!h) throw new Error(`inject: no host has address ${address}`);
  return h.name;
}
