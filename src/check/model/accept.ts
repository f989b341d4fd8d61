// The server accepts the client's connection (already completed: connect() returned ok).
import type fc from 'fast-check';
import type { AppModel } from './model.js';
import type { AppSystem } from './system.js';
import { mismatch } from './expect.js';

export class AcceptCommand implements fc.AsyncCommand<AppModel, AppSystem> {
  check(m: Readonly<AppModel>): boolean {
    return m.listening && m.connect === 'ok' && !m.accepted;
  }
  async run(m: AppModel, r: AppSystem): Promise<void> {
    const got = await r.perform({ side: 'server', op: 'accept' });
    if (got.result !== 'ok') throw mismatch('server accept()', 'ok', got);
    m.accepted = true;
  }
  toString(): string {
    return 'server accept()';
  }
}
