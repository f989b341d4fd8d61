// One side sendall()s some bytes: they join its stream; nothing the peer can see yet.
import type fc from 'fast-check';
import { connected, type AppModel, type Side } from './model.js';
import type { AppSystem } from './system.js';
import { mismatch } from './expect.js';

export class SendCommand implements fc.AsyncCommand<AppModel, AppSystem> {
  constructor(
    readonly side: Side,
    readonly bytes: number[],
  ) {}
  check(m: Readonly<AppModel>): boolean {
    return connected(m, this.side) && !m.stream[this.side].shut;
  }
  async run(m: AppModel, r: AppSystem): Promise<void> {
    const got = await r.perform({ side: this.side, op: 'send', bytes: this.bytes });
    if (got.result !== 'ok') throw mismatch(`${this.side} sendall(${this.bytes.length} bytes)`, 'ok', got);
    m.stream[this.side].sent.push(...this.bytes);
  }
  toString(): string {
    return `${this.side} sendall(${this.bytes.length} bytes)`;
  }
}
