// What a scenario file asks of the network, turned into what a real Linux namespace can be told: its knobs as
// sysctls, its faults as an nft ruleset, its MTU as lo's. Anything the kernel cannot be made to do (a knob with no
// sysctl, a delay fault, hosts that disagree) is refused with the reason, so a case never runs half-configured.
import { SYSCTL_OF } from '../../src/scenarios/file/knobs.js';
import type { ScenarioFile } from '../../src/scenarios/file/schema.js';
import type { Fault } from '../../src/sim/faults.js';

/** The scenario cannot be reproduced on the kernel as written. */
export class NotReproducible extends Error {
  override name = 'NotReproducible';
}

type Knobs = Record<string, unknown>;

/** Value of a profile field in the sysctl's own units (seconds, 0/1, "lo hi"). */
function sysctlValue(field: string, value: unknown): string {
  if (field === 'finTimeout') return String(Math.round((value as number) / 1e6));
  if (typeof value === 'boolean') return value ? '1' : '0';
  if (Array.isArray(value)) return value.join(' ');
  return String(value);
}

/**
 * The sysctls that make the namespace's kernel behave as the scenario's knobs say. All hosts share one namespace,
 * so every host must agree on a knob's value; a knob with no sysctl (initialRto, timeWaitLength, ...) cannot be set.
 */
export function sysctlsFor(file: ScenarioFile): Record<string, string> {
  const perHost: Knobs[] = Object.values(file.hosts).map((h) => ({ ...(file.knobs ?? {}), ...(h.knobs ?? {}) }));
  const fields = new Set(perHost.flatMap((k) => Object.keys(k)));
  const out: Record<string, string> = {};
  for (const field of fields) {
    const sysctl = SYSCTL_OF[field as keyof typeof SYSCTL_OF];
    if (sysctl === undefined) throw new NotReproducible(`knob "${field}" has no Linux sysctl, so the kernel cannot be set to match`);
    const values = new Set(perHost.map((k) => (field in k ? sysctlValue(field, k[field]) : 'default')));
    if (values.size > 1) throw new NotReproducible(`hosts disagree on ${sysctl} (${[...values].join(', ')}); on one kernel they share it`);
    out[sysctl] = [...values][0]!;
  }
  for (const [name, h] of Object.entries(file.hosts)) {
    if (h.profile === 'rfc9293') throw new NotReproducible(`host ${name} is pinned to the rfc9293 profile; the kernel is Linux`);
  }
  return out;
}

/** The MTU every host uses (lo's, in the namespace); hosts with different MTUs cannot share one lo. */
export function mtuFor(file: ScenarioFile): number {
  const mtus = new Set(Object.values(file.hosts).map((h) => h.mtu ?? 1500));
  if (mtus.size > 1) throw new NotReproducible(`hosts have different MTUs (${[...mtus].join(', ')}); they share one lo`);
  return [...mtus][0]!;
}

const NFT_FLAG: Record<string, string> = { FIN: 'fin', SYN: 'syn', RST: 'rst', PSH: 'psh', ACK: 'ack', URG: 'urg', ECE: 'ecn', CWR: 'cwr' };
/** numgen's modulus: a counter that does not wrap within any run. */
const NEVER_WRAPS = 4_000_000_000;

function nftFlags(flags: readonly string[]): string {
  const names = flags.map((f) => {
    const n = NFT_FLAG[f];
    if (!n) throw new NotReproducible(`flag ${f} has no nft name`);
    return n;
  });
  return names.length === 1 ? names[0]! : `(${names.join(' | ')})`;
}

/** "client" / "10.0.0.1" / "client:9999" -> nft matches on the real addresses. */
function placeMatch(place: string, side: 'saddr' | 'daddr', addressOf: (host: string) => string | undefined): string {
  const m = /^(.*?)(?::(\d+))?$/.exec(place)!;
  const address = addressOf(m[1]!);
  if (address === undefined) throw new NotReproducible(`fault names "${place}", which is not a host of the scenario`);
  const port = m[2] !== undefined ? ` tcp ${side === 'saddr' ? 'sport' : 'dport'} ${m[2]}` : '';
  return `ip ${side} ${address}${port}`;
}

/**
 * One fault as an nft rule in the input hook. The input hook runs after tcpdump's tap on lo, so the capture shows the
 * dropped packet, as the simulator's trace does. Counting uses `numgen inc`, a counter private to the rule that
 * advances once per packet reaching it, so "the Nth match" means the same as in src/sim/faults.ts.
 */
function faultRule(f: Fault, addressOf: (host: string) => string | undefined): string[] {
  if (f.action !== 'drop') throw new NotReproducible(`a ${f.action} fault needs netem, which this kernel does not have; only drops are reproduced`);
  const m = f.match;
  if (m.seq !== undefined) throw new NotReproducible('a fault on an absolute sequence number cannot match a real run (ISNs are random)');
  const parts: string[] = [];
  if (m.proto === 'udp') parts.push('meta l4proto udp');
  else parts.push('meta l4proto tcp');
  if (m.from !== undefined) parts.push(placeMatch(m.from, 'saddr', addressOf));
  if (m.to !== undefined) parts.push(placeMatch(m.to, 'daddr', addressOf));
  if (m.flags) parts.push(`tcp flags == ${nftFlags(m.flags)}`);
  if (m.hasFlags) parts.push(`tcp flags & ${nftFlags(m.hasFlags)} == ${nftFlags(m.hasFlags)}`);
  // Payload or not: the data-marking rules below set meta mark 1 on TCP segments that carry data.
  if (m.payload !== undefined) parts.push(m.payload ? 'meta mark 1' : 'meta mark != 1');
  const first = (f.nth ?? 1) - 1;
  const count = f.count ?? 1;
  const range = count === Infinity ? `>= ${first}` : count === 1 ? `${first}` : `${first}-${first + count - 1}`;
  return [`${parts.join(' ')} numgen inc mod ${NEVER_WRAPS} ${range} counter drop`];
}

/**
 * Marks TCP segments with data (meta mark 1): IP total length > 20 + the TCP header (data offset x 4). Loopback
 * packets carry no IP options, so the IP header is 20 bytes.
 */
function dataMarkRules(): string[] {
  const rules: string[] = [];
  for (let doff = 5; doff <= 15; doff++) rules.push(`meta l4proto tcp @th,96,4 ${doff} ip length > ${20 + 4 * doff} meta mark set 1`);
  return rules;
}

/** The nft ruleset for the scenario's faults, or undefined when it has none. */
export function nftFor(file: ScenarioFile, addressOf: (host: string) => string | undefined): string | undefined {
  if (file.faults.length === 0) return undefined;
  const needsMarks = file.faults.some((f) => f.match.payload !== undefined);
  const rules = [...(needsMarks ? dataMarkRules() : []), ...file.faults.flatMap((f) => faultRule(f, addressOf))];
  return [
    '# generated from the scenario\'s faults (test/conformance/kernel-setup.ts)',
    'table inet synack_faults {',
    '\tchain input {',
    '\t\ttype filter hook input priority filter; policy accept;',
    ...rules.map((r) => `\t\t${r}`),
    '\t}',
    '}',
    '',
  ].join('\n');
}
