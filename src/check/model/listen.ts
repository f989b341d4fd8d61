// The server calls socket(), bind(80) and listen(1).
import type fc from 'fast-check';
import type { AppModel } from './model.js';
import type { AppSystem } from './system.js';
import { mismatch } from './expect.js';

export class ListenCommand implements fc.AsyncCommand<AppModel, AppSystem> {
  check(m: Readonly<AppModel>): boolean {
    return !m.listening;
  }
  async run(m: AppModel, r: AppSystem): Promise<void> {
    const got = await r.perform({ side: 'server', op: 'listen' });
    if (got.result !== 'ok') throw mismatch('server listen()', 'ok', got);
    m.listening = true;
  }
  toString(): string {
    return 'server listen()';
  }
}
