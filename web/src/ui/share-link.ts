// The shareable link: after every change (a run, a step) the page's own URL fragment is rewritten (replaceState,
// no history entry per step) to carry the run and the row, so the address bar is always the link; "Copy link"
// copies it. The fragment is never sent to a server.
import { encodeShare, ShareError, toBase64url, type SharedRun } from '../app/share-codec.js';
import type { Run } from '../app/load-run.js';

export interface ShareLink {
  /** Rewrites the fragment for this run at this row (debounced). */
  update(run: Run, row: number): void;
  /** The fragment last written, so a hashchange the page made itself is not reloaded. */
  written(): string;
}

const DELAY = 250;

function shared(run: Run, row: number): SharedRun {
  const { source, settings } = run;
  const out: SharedRun = { kind: source.kind, name: source.name, settings, row };
  if (source.kind === 'scenario') out.text = source.text ?? '';
  // A run opened from a counterexample's link keeps its planted bugs in the link made from it.
  if (source.kind === 'scenario' && source.plant && source.plant.length > 0) out.plant = [...source.plant];
  if (source.kind === 'trace') out.trace = source.text ?? '';
  if (source.kind === 'capture') out.capture = toBase64url(source.bytes ?? new Uint8Array());
  return out;
}

export function shareLink(copyButton: HTMLButtonElement, onError: (err: unknown) => void, onNote: (text: string) => void): ShareLink {
  let timer: ReturnType<typeof setTimeout> | undefined;
  let last = '';
  let tooBig = '';
  let seq = 0;
  copyButton.addEventListener('click', () => {
    if (tooBig) return onError(tooBig);
    navigator.clipboard?.writeText(location.href).then(
      () => onNote('Link copied: it carries this run and step in its fragment (never sent to a server).'),
      () => onNote('Copy the address bar: it carries this run and step.'),
    );
  });
  return {
    update(run, row) {
      if (timer !== undefined) clearTimeout(timer);
      const mine = ++seq;
      timer = setTimeout(() => {
        encodeShare(shared(run, row)).then(
          (hash) => {
            if (mine !== seq) return;
            tooBig = '';
            last = hash;
            history.replaceState(null, '', hash);
          },
          (err) => {
            if (mine !== seq) return;
            tooBig = err instanceof ShareError ? err.message : String(err);
            last = '';
            history.replaceState(null, '', location.pathname + location.search);
          },
        );
      }, DELAY);
    },
    written: () => last,
  };
}
