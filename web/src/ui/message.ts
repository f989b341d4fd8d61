// The page's one-line message: errors (a bad setting, a file that is not a capture, a damaged link) and
// notes (a replay's warnings). Always text, never markup.
import { oneLine } from '../app/one-line.js';

export interface MessageLine {
  error(err: unknown): void;
  note(text: string): void;
  clear(): void;
}

export function messageLine(node: HTMLElement): MessageLine {
  const show = (text: string, kind: 'error' | 'note') => {
    node.textContent = text;
    node.className = `message ${kind}`;
    node.setAttribute('role', kind === 'error' ? 'alert' : 'status');
    node.hidden = false;
  };
  return {
    error: (err) => show(oneLine(err), 'error'),
    note: (text) => show(oneLine(text), 'note'),
    clear: () => {
      node.textContent = '';
      node.hidden = true;
    },
  };
}
