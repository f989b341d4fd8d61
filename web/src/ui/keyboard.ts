// Keyboard shortcuts: Space play/pause, ←/→ one row, Home/End first/last row, ? the help. Keys typed into a
// form field stay with the field.
import type { Playback } from './playback.js';

export function keyboard(player: Playback, toggleHelp: () => void): void {
  document.addEventListener('keydown', (ev) => {
    if (ev.ctrlKey || ev.metaKey || ev.altKey) return;
    const target = ev.target as HTMLElement | null;
    if (target && (target.closest('input, select, textarea') || target.isContentEditable)) return;
    const onButton = target?.closest('button') !== null && target?.closest('button') !== undefined;
    switch (ev.key) {
      case ' ':
        // Space on a focused button presses it; elsewhere it plays or pauses.
        if (onButton) return;
        player.toggle();
        break;
      case 'ArrowRight':
        player.step(1);
        break;
      case 'ArrowLeft':
        player.step(-1);
        break;
      case 'Home':
        player.go(0);
        break;
      case 'End':
        player.go(Number.MAX_SAFE_INTEGER);
        break;
      case '?':
        toggleHelp();
        break;
      default:
        return;
    }
    ev.preventDefault();
  });
}
