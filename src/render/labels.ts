// The words written on arrows and against lifelines.
import type { CallEvent, DatagramEvent, SegmentEvent, TimerEvent } from '../sim/trace.js';
import type { RelativeNumbers } from './relative-numbers.js';

/** ["[SYN,ACK]", "seq=0", "ack=1", "win=65483"], plus "len=N", "(rtx)", "(dup)", "(note)" when they apply. */
export function segmentLabel(ev: SegmentEvent, numbers: RelativeNumbers = ev): string[] {
  const words = [`[${ev.flags.join(',')}]`, `seq=${numbers.seq}`];
  if (ev.flags.includes('ACK')) words.push(`ack=${numbers.ack}`);
  if (ev.len > 0) words.push(`len=${ev.len}`);
  words.push(`win=${ev.win}`);
  if (ev.retransmit) words.push('(rtx)');
  if (ev.fate === 'duplicated') words.push('(dup)');
  if (ev.note) words.push(`(${ev.note})`);
  return words;
}

export function datagramLabel(ev: DatagramEvent): string[] {
  const words = ['UDP', `len=${ev.len}`];
  if (ev.fate === 'duplicated') words.push('(dup)');
  return words;
}

/** "connect(10.0.0.2:80) = ok", "accept() = fd 4 from 10.0.0.1:40000", "connect(10.0.0.2:81) = ECONNREFUSED". */
export function callText(ev: CallEvent): string {
  const outcome = ev.result === 'ok' && ev.value ? ev.value : ev.result;
  return `${ev.call}(${(ev.args ?? []).join(', ')}) = ${outcome}`;
}

/** "retransmit timer fired". */
export function timerText(ev: TimerEvent): string {
  return `${ev.timer} timer ${ev.action}`;
}
