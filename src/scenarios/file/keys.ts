// Which keys a map in a scenario file may hold, by where it sits: for "unknown key" messages.
import { CALL_NAMES, CALLS } from './steps.js';

const TOP = ['name', 'summary', 'until', 'lifelines', 'knobs', 'hosts', 'link', 'links', 'faults', 'inject', 'programs', 'expect'];
const LINK = ['latency', 'jitter', 'loss', 'duplicate', 'reorder', 'reorder_delay', 'bandwidth'];
const FIXED: Array<[RegExp, string[]]> = [
  [/^$/, TOP],
  [/^hosts\/[^/]+$/, ['address', 'profile', 'knobs', 'mtu']],
  [/^link$/, LINK],
  [/^links\/\d+$/, ['between', 'seed', ...LINK]],
  [/^faults\/\d+$/, ['action', 'nth', 'count', 'flags', 'has_flags', 'from', 'to', 'seq', 'data', 'proto', 'delay']],
  [/^inject\/\d+$/, ['at', 'from', 'to', 'flags', 'seq', 'ack', 'window', 'options', 'data', 'count', 'note']],
  [/^programs\/\d+$/, ['host', 'name', 'start', 'steps']],
  [/^expect\/\d+$/, ['host', 'program', 'socket', 'state', 'at', 'states', 'received', 'profile']],
  [/steps\/\d+$/, [...CALL_NAMES, 'at', 'expect']],
  [/steps\/\d+\/repeat$/, ['times', 'until', 'steps']],
  [/steps\/\d+\/expect$/, ['linux', 'rfc9293']],
];

/** The keys allowed at `path`, or undefined when the place is not a fixed-shape map. */
export function allowedKeys(path: readonly PropertyKey[]): string[] | undefined {
  const text = path.map(String).join('/');
  const call = /steps\/\d+\/([a-z_]+)$/.exec(text)?.[1];
  if (call && Object.hasOwn(CALLS, call)) return argKeys(call as keyof typeof CALLS);
  return FIXED.find(([re]) => re.test(text))?.[1];
}

function argKeys(call: keyof typeof CALLS): string[] {
  const sock = ['socket'];
  const payload = ['data', 'bytes', 'from'];
  switch (call) {
    case 'socket': return ['name', 'type'];
    case 'setsockopt': return [...sock, 'option', 'value'];
    case 'bind': return [...sock, 'address', 'port'];
    case 'listen': return [...sock, 'backlog'];
    case 'accept': return [...sock, 'as'];
    case 'connect': case 'connect_ex': return [...sock, 'to'];
    case 'send': case 'sendall': return [...sock, ...payload, 'framing'];
    case 'recv': case 'recvfrom': return [...sock, 'max', 'as'];
    case 'recvall': case 'recv_message': return [...sock, 'as'];
    case 'shutdown': return [...sock, 'how'];
    case 'close': return sock;
    case 'settimeout': return [...sock, 'seconds'];
    case 'sendto': return [...sock, 'to', ...payload];
    case 'sleep': case 'wait_until': return [];
  }
}
