// `synack run … --svg FILE` / `--html FILE`: the run drawn as a sequence diagram (src/render/svg), written to a file.
import { writeFileSync } from 'node:fs';
import type { Trace } from '../sim/trace.js';
import type { Theme } from '../render/svg/sequence-diagram.js';
import { renderHtml } from '../render/svg/to-html.js';
import { renderSvg } from '../render/svg/to-svg.js';
import { UsageError } from './errors.js';

const THEMES: readonly Theme[] = ['light', 'dark', 'auto'];

export function parseTheme(text: string | undefined, fallback: Theme): Theme {
  if (text === undefined) return fallback;
  if ((THEMES as readonly string[]).includes(text)) return text as Theme;
  throw new UsageError(`unknown theme "${text}"; the themes are: ${THEMES.join(', ')}`);
}

export function writeDiagramFile(trace: Trace, path: string, format: 'svg' | 'html', options: { theme: Theme; relative: boolean; timers: boolean }): void {
  const text = format === 'svg' ? renderSvg(trace, options) : renderHtml(trace, options);
  try {
    writeFileSync(path, text);
  } catch (err) {
    throw new UsageError(`cannot write ${path}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
}
