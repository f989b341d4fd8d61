// The client connects to port 80: ok when the server listens (the handshake completes into its accept
// queue, RFC 9293 3.5), ECONNREFUSED when nothing listens (a RST answers the SYN, 3.10.7.1).
import type fc from 'fast-check';
import type { AppModel } from './model.js';
import type { AppSystem } from './system.js';
import { mismatch } from './expect.js';

export class ConnectCommand implements fc.AsyncCommand<AppModel, AppSystem> {
  check(m: Readonly<AppModel>): boolean {
    return m.connect === 'not yet';
  }
  async run(m: AppModel, r: AppSystem): Promise<void> {
    const expected = m.listening ? 'ok' : 'ECONNREFUSED';
    const got = await r.perform({ side: 'client', op: 'connect' });
    if (got.result !== expected) throw mismatch('client connect()', expected, got);
    m.connect = m.listening ? 'ok' : 'refused';
  }
  toString(): string {
    return 'client connect()';
  }
}
