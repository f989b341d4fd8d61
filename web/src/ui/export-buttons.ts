// Export: the diagram as SVG (CSS embedded) or PNG (that SVG drawn on a canvas through an <img> of a blob:
// URL, which img-src allows), the run's packets as a pcap, the trace as JSON, and Mermaid text.
import type { Trace } from '../../../src/sim/trace.js';
import { exportSvg } from '../app/export-svg.js';
import { pcapBytes } from '../engine/capture-bytes.js';

export interface ExportSource {
  trace: Trace;
  violations: ReadonlyMap<number, readonly string[]>;
  /** Base of the file names: "three-way-handshake". */
  name: string;
  theme: 'light' | 'dark';
}

/** Canvas limits differ by browser; this many pixels high is safe everywhere. */
const MAX_PNG_SIDE = 16_000;

function download(data: BlobPart, type: string, fileName: string): void {
  const url = URL.createObjectURL(new Blob([data], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

async function png(svgText: string, width: number, height: number): Promise<Blob> {
  const scale = Math.min(2, MAX_PNG_SIDE / Math.max(width, height));
  if (scale < 0.25) throw new Error(`the diagram is too large for a PNG (${width}×${height} px): export SVG instead`);
  const url = URL.createObjectURL(new Blob([svgText], { type: 'image/svg+xml' }));
  try {
    const img = new Image();
    img.decoding = 'async';
    img.src = url;
    await img.decode();
    const canvas = document.createElement('canvas');
    canvas.width = Math.round(width * scale);
    canvas.height = Math.round(height * scale);
    const ctx = canvas.getContext('2d');
    if (!ctx) throw new Error('this browser cannot draw a PNG (no 2D canvas)');
    ctx.scale(scale, scale);
    ctx.drawImage(img, 0, 0, width, height);
    return await new Promise<Blob>((resolve, reject) =>
      canvas.toBlob((b) => (b ? resolve(b) : reject(new Error('the browser could not encode the PNG'))), 'image/png'),
    );
  } finally {
    URL.revokeObjectURL(url);
  }
}

type MermaidModule = { toMermaid(trace: Trace): string };
// src/render/mermaid.ts is optional at build time: a lazy glob finds it when it exists.
const mermaidModules = import.meta.glob<MermaidModule>('../../../src/render/mermaid.ts');

async function mermaid(trace: Trace): Promise<string> {
  const load = Object.values(mermaidModules)[0];
  if (!load) throw new Error('Mermaid export is not in this build');
  return (await load()).toMermaid(trace);
}

export function exportButtons(container: HTMLElement, current: () => ExportSource | undefined, onError: (err: unknown) => void): void {
  container.addEventListener('click', (ev) => {
    const button = (ev.target as Element | null)?.closest<HTMLButtonElement>('button[data-export]');
    const src = current();
    if (!button || !src) return;
    const base = src.name.replace(/\.[^.]*$/, '').replace(/[^A-Za-z0-9._-]+/g, '_') || 'synack';
    const run = async () => {
      switch (button.dataset.export) {
        case 'svg':
          return download(exportSvg(src.trace, src.violations, src.theme).text, 'image/svg+xml', `${base}.svg`);
        case 'png': {
          const svg = exportSvg(src.trace, src.violations, src.theme);
          return download(await png(svg.text, svg.width, svg.height), 'image/png', `${base}.png`);
        }
        case 'pcap':
          return download(pcapBytes(src.trace) as BlobPart, 'application/vnd.tcpdump.pcap', `${base}.pcap`);
        case 'trace':
          return download(`${JSON.stringify(src.trace, null, 2)}\n`, 'application/json', `${base}.trace.json`);
        case 'mermaid':
          return download(await mermaid(src.trace), 'text/plain', `${base}.mmd`);
      }
    };
    run().catch(onError);
  });
}
