// Progress of `synack check`: a bar on a terminal, plain lines otherwise (a pipe, a CI log).
// The one place that draws it, so the bar can be a library's (cli-progress) by changing this file alone.
export interface Progress {
  /** `done` of `total` runs so far; `note` a few words (what is being checked). */
  update(done: number, note?: string): void;
  /** Ends the bar (or says the last line); nothing is written after it by this object. */
  stop(): void;
}

export interface ProgressStream {
  isTTY?: boolean;
  columns?: number;
  write(s: string): unknown;
}

/** Plain lines: one every `every` runs, and at the end. */
function lines(stream: ProgressStream, total: number, label: string): Progress {
  const every = Math.max(1, Math.ceil(total / 10));
  let last = 0;
  return {
    update(done) {
      if (done - last >= every && done < total) {
        last = done;
        stream.write(`${label}: ${done}/${total} runs\n`);
      }
    },
    stop() {},
  };
}

/** A bar redrawn in place with a carriage return, at most every 100 ms; cleared when it stops. */
function bar(stream: ProgressStream, total: number, label: string, clock: () => number): Progress {
  let drawnAt = -Infinity;
  let drawn = false;
  const draw = (done: number, note = '') => {
    const width = Math.max(10, Math.min(40, (stream.columns ?? 80) - label.length - 30));
    const filled = Math.round((done / Math.max(1, total)) * width);
    stream.write(`\r${label} [${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${done}/${total} ${note}`.slice(0, (stream.columns ?? 80) - 1) + '\x1b[K');
    drawn = true;
  };
  return {
    update(done, note) {
      const now = clock();
      if (now - drawnAt < 100 && done < total) return;
      drawnAt = now;
      draw(done, note);
    },
    stop() {
      if (drawn) stream.write('\r\x1b[K');
    },
  };
}

/** A bar when `stream` is a terminal, else plain lines. */
export function createProgress(stream: ProgressStream, total: number, label = 'checking', clock: () => number = () => performance.now()): Progress {
  return stream.isTTY ? bar(stream, total, label, clock) : lines(stream, total, label);
}
