// One side shuts down its sending side (SHUT_WR): its FIN follows its data (RFC 9293 3.6), and the
// peer reads end-of-file once it has read everything.
import type fc from 'fast-check';
import { connected, type AppModel, type Side } from './model.js';
import type { AppSystem } from './system.js';
import { mismatch } from './expect.js';

export class ShutdownCommand implements fc.AsyncCommand<AppModel, AppSystem> {
  constructor(readonly side: Side) {}
  check(m: Readonly<AppModel>): boolean {
    return connected(m, this.side) && !m.stream[this.side].shut;
  }
  async run(m: AppModel, r: AppSystem): Promise<void> {
    const got = await r.perform({ side: this.side, op: 'shutdown' });
    if (got.result !== 'ok') throw mismatch(`${this.side} shutdown(SHUT_WR)`, 'ok', got);
    m.stream[this.side].shut = true;
  }
  toString(): string {
    return `${this.side} shutdown(SHUT_WR)`;
  }
}
