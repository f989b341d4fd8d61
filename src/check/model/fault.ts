// A network fault from now on: drop, duplicate or delay the next segment of a kind from one side. The
// model does not change: faults change when the application sees things, never what it sees.
import type fc from 'fast-check';
import type { Fault } from '../../sim/faults.js';
import type { AppModel, Side } from './model.js';
import { SERVER, type AppSystem } from './system.js';

export class FaultCommand implements fc.AsyncCommand<AppModel, AppSystem> {
  constructor(
    readonly action: 'drop' | 'duplicate' | 'delay',
    readonly from: Side,
    /** Data segments, or pure control (SYN, FIN, ACK). */
    readonly data: boolean,
  ) {}
  check(): boolean {
    return true;
  }
  async run(_m: AppModel, r: AppSystem): Promise<void> {
    const from = this.from === 'server' ? SERVER : '10.0.0.1';
    // The next matching segment: the fault counts matching segments from the start of the run, so its
    // nth is one past those the last run already sent (earlier calls keep what they observed).
    const seen = new Set((r.last?.trace.events ?? []).flatMap((e) => (e.kind === 'segment' && e.src.startsWith(`${from}:`) && (e.len > 0) === this.data ? [e.id] : [])));
    const fault: Fault = { action: this.action, match: { from, payload: this.data }, nth: seen.size + 1, count: 1, ...(this.action === 'delay' ? { delay: 300_000 } : {}) };
    r.faults.push(fault);
  }
  toString(): string {
    return `${this.action} the next ${this.data ? 'data' : 'control'} segment from ${this.from}`;
  }
}
