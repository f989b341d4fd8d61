// Shared types of the d3 drawing functions.
import type { Selection } from 'd3';
import type { DiagramModel } from '../diagram/types.js';
import type { DiagramPositions } from '../diagram/positions.js';

// biome-ignore lint: d3's selection generics
export type G = Selection<SVGGElement, unknown, null, undefined>;

export interface DrawContext {
  model: DiagramModel;
  pos: DiagramPositions;
  /** Unique prefix for ids (markers), so several diagrams can share a page. */
  id: string;
  /** Only what intersects [top, bottom] is drawn (virtual scrolling of long runs). */
  visible: (y0: number, y1: number) => boolean;
  /** Rule ids of violations per trace event index (a replayed capture). */
  violations: ReadonlyMap<number, readonly string[]>;
}
