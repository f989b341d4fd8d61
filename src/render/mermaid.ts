// A trace as a Mermaid `sequenceDiagram` (it renders inside GitHub markdown): one participant per lane of the
// diagram model, one message per segment (`-x` for a copy that never arrived), state changes and calls as notes,
// long idle stretches as a note over every lane. Deterministic text, no autonumber.
//
// Every word that comes from the trace (host names, notes, call arguments) goes through mermaidText(): Mermaid
// reads `#`, `;` and newlines as syntax, `%%` as a comment, and renders labels as HTML, so anything but plain
// words is written as Mermaid's entity code (`#60;` for `<`), which it turns into an HTML entity, never markup.
import type { Micros, Trace } from '../sim/trace.js';
import { diagramModel } from './diagram/model.js';
import { arrowText, noteText, optionsText } from './diagram/positions.js';
import type { Lane, SegmentItem } from './diagram/types.js';
import { formatIdle } from './format-time.js';

export interface MermaidOptions {
  /** Seq/ack relative to each direction's ISN. Default true. */
  relative?: boolean;
  /** Notes for fired protocol timers. Default false (as the ladder). */
  timers?: boolean;
  /** Idle time (µs) from which a "N s later" note is written. Default 1 s. */
  gap?: Micros;
}

const DEFAULT_GAP = 1_000_000;

/** Characters written as they are; every other one becomes `#code;` (control characters are dropped). */
const PLAIN = /[A-Za-z0-9 .,=()[\]_+\-/@!?:]/;

/**
 * Text safe anywhere Mermaid expects a label: no statement separator (`;`, newline), no comment (`#`, `%%`), no
 * HTML (`<`, `>`, `&`, quotes), no `wrap:` directive at the start, and no "style"/"classDef" word (Mermaid's
 * entity pre-pass strips a `;` from lines holding them).
 */
export function mermaidText(text: string): string {
  let out = '';
  for (const ch of text) {
    const code = ch.codePointAt(0)!;
    if (code < 0x20 || (code >= 0x7f && code < 0xa0)) out += code === 0x0a || code === 0x09 || code === 0x0d ? ' ' : '';
    else if (PLAIN.test(ch)) out += ch;
    else out += `#${code};`;
  }
  out = out.replace(/style/gi, (w) => `${w.slice(0, 2)}#${w.codePointAt(2)};${w.slice(3)}`);
  out = out.replace(/classdef/gi, (w) => `${w.slice(0, 5)}#${w.codePointAt(5)};${w.slice(6)}`);
  // ":wrap:" / "nowrap:" at the start of a label is a directive; so is a leading colon before them.
  if (/^\s*:|^\s*(no)?wrap:/i.test(out)) out = out.replace(/^(\s*)(.)/, (_m, s: string, c: string) => `${s}#${c.codePointAt(0)};`);
  return out;
}

/** A participant id: "L1", "L2"… plus the lane's host and port in letters and digits ("L1_client_53780"). */
function participantIds(lanes: readonly Lane[]): string[] {
  return lanes.map((lane, i) => {
    const words = lane.kind === 'outside' ? 'outside' : lane.key.replace(/[^A-Za-z0-9]+/g, '_').replace(/^_+|_+$/g, '');
    return `L${i + 1}${words ? `_${words.slice(0, 40)}` : ''}`;
  });
}

function participantLabel(lane: Lane): string {
  const title = mermaidText(lane.title);
  return lane.subtitle ? `${title}<br/>${mermaidText(lane.subtitle)}` : title;
}

function lossText(item: SegmentItem): string {
  if (!item.loss) return '';
  return item.loss.where === 'receiver' ? ` (discarded: ${item.loss.reason})` : ` (lost: ${item.loss.reason})`;
}

export function toMermaid(trace: Trace, options: MermaidOptions = {}): string {
  const gap = options.gap ?? DEFAULT_GAP;
  const model = diagramModel(trace, { ...(options.relative === false ? { relative: false } : {}), timers: options.timers === true });
  const ids = participantIds(model.lanes);
  const lines = ['sequenceDiagram'];
  model.lanes.forEach((lane, i) => lines.push(`  participant ${ids[i]} as ${participantLabel(lane)}`));
  const everyone = ids.length > 1 ? `${ids[0]},${ids[ids.length - 1]}` : (ids[0] ?? '');

  let lastActivity: Micros | undefined;
  for (const item of model.items) {
    if (lastActivity !== undefined && item.t - lastActivity >= gap) {
      lines.push(`  Note over ${everyone}: ${mermaidText(`${formatIdle(item.t - lastActivity)} later`)}`);
    }
    lastActivity = Math.max(lastActivity ?? 0, item.t, item.kind === 'segment' ? (item.arrival ?? 0) : 0);
    if (item.kind === 'segment') {
      const words = [arrowText(item), optionsText(item)].filter((w) => w !== '').join(' ') + lossText(item);
      lines.push(`  ${ids[item.from]}${item.loss ? '-x' : '->>'}${ids[item.to]}: ${mermaidText(words)}`);
    } else {
      lines.push(`  Note right of ${ids[item.lane]}: ${mermaidText(noteText(item))}`);
    }
  }
  return `${lines.join('\n')}\n`;
}
