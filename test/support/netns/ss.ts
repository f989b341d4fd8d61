// `ss -tan` output as data, with states named as synack's engine names them (src/tcp/states.ts).
export interface SsSocket {
  /** ESTABLISHED, TIME_WAIT, SYN_SENT, LISTEN, ... (ss prints ESTAB, TIME-WAIT, SYN-SENT, ...). */
  state: string;
  /** "127.0.0.1:5000", "[::1]:5000", "0.0.0.0:*" as ss prints them. */
  local: string;
  peer: string;
  recvQ: number;
  sendQ: number;
}

/** ss's state names (iproute2 misc/ss.c sstate_name) to the engine's. UNCONN is a TCP socket in TCP_CLOSE. */
const STATE_NAMES: Record<string, string> = {
  ESTAB: 'ESTABLISHED',
  'SYN-SENT': 'SYN_SENT',
  'SYN-RECV': 'SYN_RECEIVED',
  'FIN-WAIT-1': 'FIN_WAIT_1',
  'FIN-WAIT-2': 'FIN_WAIT_2',
  'TIME-WAIT': 'TIME_WAIT',
  UNCONN: 'CLOSED',
  'CLOSE-WAIT': 'CLOSE_WAIT',
  'LAST-ACK': 'LAST_ACK',
  LISTEN: 'LISTEN',
  CLOSING: 'CLOSING',
};

export function engineStateName(ssState: string): string {
  const name = STATE_NAMES[ssState];
  if (name === undefined) throw new Error(`ss printed an unknown TCP state "${ssState}"`);
  return name;
}

/** Parses `ss -tan` output (the header line is skipped; a trailing Process column is ignored). */
export function parseSs(text: string): SsSocket[] {
  const sockets: SsSocket[] = [];
  for (const line of text.split('\n')) {
    const f = line.trim().split(/\s+/);
    if (f.length < 5 || f[0] === 'State') continue;
    const [state, recvQ, sendQ, local, peer] = f as [string, string, string, string, string];
    if (!/^\d+$/.test(recvQ) || !/^\d+$/.test(sendQ)) throw new Error(`cannot parse ss line "${line.trim()}"`);
    sockets.push({ state: engineStateName(state), local, peer, recvQ: Number(recvQ), sendQ: Number(sendQ) });
  }
  return sockets;
}
