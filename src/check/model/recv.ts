// One side calls recv(max). The model says what it may return:
// - bytes unread: between 1 and max of them, exactly the next ones the peer sent (in order, once);
// - none unread and the peer shut down: end-of-file (0 bytes);
// - none unread and the peer still open: nothing comes, so a recv() with a 0.5 s timeout gives EAGAIN.
import type fc from 'fast-check';
import { connected, peerOf, type AppModel, type Side } from './model.js';
import type { AppSystem } from './system.js';
import { mismatch } from './expect.js';

export class RecvCommand implements fc.AsyncCommand<AppModel, AppSystem> {
  constructor(
    readonly side: Side,
    readonly max: number,
  ) {}
  check(m: Readonly<AppModel>): boolean {
    return connected(m, this.side);
  }
  async run(m: AppModel, r: AppSystem): Promise<void> {
    const stream = m.stream[peerOf(this.side)];
    const unread = stream.sent.length - stream.read;
    const what = `${this.side} recv(${this.max})`;
    if (unread === 0 && !stream.shut) {
      const got = await r.perform({ side: this.side, op: 'recv', max: this.max, timeout: 0.5 });
      if (got.result !== 'EAGAIN') throw mismatch(what, 'EAGAIN (nothing was sent)', got);
      return;
    }
    const got = await r.perform({ side: this.side, op: 'recv', max: this.max });
    if (got.result !== 'ok' || !got.bytes) throw mismatch(what, unread === 0 ? 'end-of-file' : 'bytes', got);
    if (unread === 0) {
      if (got.bytes.length !== 0) throw mismatch(what, 'end-of-file (the peer shut down and everything was read)', got);
      return;
    }
    const next = stream.sent.slice(stream.read, stream.read + got.bytes.length);
    if (got.bytes.length === 0 || got.bytes.length > Math.min(this.max, unread) || got.bytes.some((b, i) => b !== next[i])) {
      throw mismatch(what, `1 to ${Math.min(this.max, unread)} bytes, the next ones sent from byte ${stream.read}`, got);
    }
    stream.read += got.bytes.length;
  }
  toString(): string {
    return `${this.side} recv(${this.max})`;
  }
}
