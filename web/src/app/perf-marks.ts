// Performance marks at the steps of opening a run, read by the web benchmark (bench/web-render.ts) and
// visible in the browser's performance panel: file read, run loaded, diagram drawn.
export type PerfMark = 'synack:file-read' | 'synack:run-loaded' | 'synack:diagram-drawn';

export function perfMark(name: PerfMark): void {
  globalThis.performance?.mark?.(name);
}
