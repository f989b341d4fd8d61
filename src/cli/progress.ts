// Progress of `synack check`: a bar on a terminal (cli-progress), plain lines otherwise (a pipe, a CI log).
// The one place that draws it.
import cliProgress from 'cli-progress';

const { SingleBar, Presets } = cliProgress;
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

/** cli-progress's bar, redrawn in place at most 10 times a second, cleared when it stops. */
function bar(stream: ProgressStream, total: number, label: string): Progress {
  const b = new SingleBar(
    { format: `${label} [{bar}] {value}/{total} runs {note}`, stream: stream as NodeJS.WritableStream, hideCursor: true, clearOnComplete: true, fps: 10, barsize: 30 },
    Presets.shades_classic,
  );
  b.start(total, 0, { note: '' });
  return {
    update(done, note = '') {
      b.update(done, { note });
    },
    stop() {
      b.stop();
    },
  };
}

/** A bar when `stream` is a terminal, else plain lines. */
export function createProgress(stream: ProgressStream, total: number, label = 'checking'): Progress {
  return stream.isTTY ? bar(stream, total, label) : lines(stream, total, label);
}
