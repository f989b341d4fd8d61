// The packet inspector: every header field of the selected segment (absolute numbers), its options decoded,
// what happened to it, the rules it broke (a replayed capture), and a hex dump of its frame exactly as the
// pcap export writes it. Other rows (state changes, calls, timers) are described in a line.
import type { DiagramModel } from '../../../src/render/diagram/types.js';
import type { Trace } from '../../../src/sim/trace.js';
import { frameBytes } from '../engine/capture-bytes.js';
import { eventText, laneNames } from '../app/event-text.js';
import { hexDump } from '../app/hex-dump.js';
import { el } from './dom.js';

export interface Inspector {
  show(trace: Trace, model: DiagramModel, row: number, violations: ReadonlyMap<number, readonly string[]>): void;
  clear(): void;
}

export function inspector(node: HTMLElement): Inspector {
  let shown = 0;
  const hint = () => node.replaceChildren(el('p', 'hint', 'Click an arrow or a packet in the event list.'));
  return {
    show(trace, model, row, violations) {
      const item = model.items[row];
      if (!item) return hint();
      const names = laneNames(model.lanes);
      const text = eventText(model, names, item, violations.get(item.index));
      const parts: Node[] = [el('p', 'inspected-head', `${text.time}  ${text.who}`), el('p', 'inspected-what', text.what)];
      if (item.kind === 'segment') {
        const fields = el('dl', 'fields');
        for (const line of item.detail) {
          // "flags: SYN"; the first line ("10.0.0.1:53780 > 10.0.0.2:8898") has no name.
          const at = line.indexOf(': ');
          fields.append(el('dt', undefined, at < 0 ? 'packet' : line.slice(0, at)), el('dd', undefined, at < 0 ? line : line.slice(at + 2)));
        }
        parts.push(el('h3', undefined, 'Header fields'), fields);
        parts.push(el('h3', undefined, 'Options'), el('p', 'options', item.options.length > 0 ? item.options.join(', ') : 'none'));
        const broke = violations.get(item.index);
        if (broke && broke.length > 0) parts.push(el('p', 'violation', `⚠ broke: ${broke.join(', ')} (docs/reading-captures.md)`));
        const title = el('h3', undefined, 'Bytes');
        const dump = el('pre', 'hexdump', '…');
        parts.push(title, dump);
        // The frames are encoded on first use (all of a run's at once): after this paint, not before it.
        const mine = ++shown;
        setTimeout(() => {
          if (mine !== shown) return;
          const bytes = frameBytes(trace, item.index);
          title.textContent = bytes ? `Bytes (${bytes.length}, as in the pcap export)` : 'Bytes';
          dump.textContent = bytes ? hexDump(bytes).join('\n') : 'not in the capture export';
        }, 0);
      }
      node.replaceChildren(...parts);
    },
    clear: hint,
  };
}
