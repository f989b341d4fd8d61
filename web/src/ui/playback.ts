// Playback controls: play/pause, one row back/forward, first/last, speed, and a scrubber over every row.
// Playing advances one row per tick (faster with the speed) and stops at the last row.

export interface PlaybackElements {
  first: HTMLButtonElement;
  back: HTMLButtonElement;
  play: HTMLButtonElement;
  forward: HTMLButtonElement;
  last: HTMLButtonElement;
  speed: HTMLSelectElement;
  scrubber: HTMLInputElement;
  position: HTMLOutputElement;
}

export interface Playback {
  /** A new run of `rows` rows, at `row`. */
  reset(rows: number, row: number): void;
  /** Shows `row` as current (called by the app after any change of row). */
  show(row: number): void;
  toggle(): void;
  pause(): void;
  step(delta: number): void;
  go(row: number): void;
  playing(): boolean;
}

/** Milliseconds per row at speed 1×: slow enough to read each arrow's label. */
const BASE_TICK = 900;

export function playback(els: PlaybackElements, setRow: (row: number) => void): Playback {
  let rows = 0;
  let row = 0;
  let timer: ReturnType<typeof setInterval> | undefined;

  const speed = () => Number(els.speed.value) || 1;
  const label = () => {
    els.play.textContent = timer !== undefined ? '⏸ Pause' : row >= rows - 1 && rows > 0 ? '↺ Replay' : '▶ Play';
    els.play.setAttribute('aria-pressed', String(timer !== undefined));
  };
  const stop = () => {
    if (timer !== undefined) clearInterval(timer);
    timer = undefined;
    label();
  };
  const go = (r: number) => {
    if (rows === 0) return;
    setRow(Math.max(0, Math.min(rows - 1, r)));
  };
  const start = () => {
    if (rows === 0) return;
    if (row >= rows - 1) go(0);
    timer = setInterval(() => {
      if (row < rows - 1) go(row + 1);
      if (row >= rows - 1) stop();
    }, BASE_TICK / speed());
    label();
  };
  const api: Playback = {
    reset(n, r) {
      stop();
      rows = n;
      els.scrubber.max = String(Math.max(0, n - 1));
      api.show(r);
    },
    show(r) {
      row = r;
      els.scrubber.value = String(r);
      els.position.textContent = rows > 0 ? `event ${r + 1} of ${rows}` : '';
      label();
    },
    toggle: () => (timer !== undefined ? stop() : start()),
    pause: stop,
    step(delta) {
      stop();
      go(row + delta);
    },
    go(r) {
      stop();
      go(r);
    },
    playing: () => timer !== undefined,
  };
  els.play.addEventListener('click', () => api.toggle());
  els.back.addEventListener('click', () => api.step(-1));
  els.forward.addEventListener('click', () => api.step(1));
  els.first.addEventListener('click', () => api.go(0));
  els.last.addEventListener('click', () => api.go(rows - 1));
  els.scrubber.addEventListener('input', () => api.go(Number(els.scrubber.value)));
  els.speed.addEventListener('change', () => {
    if (timer !== undefined) {
      stop();
      start();
    }
  });
  return api;
}
