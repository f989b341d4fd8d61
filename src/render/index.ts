// Drawing a trace (docs/diagrams.md): `import { ... } from 'synack/render'` (docs/api.md). The ASCII ladder
// and summary, Mermaid text, and the d3 sequence diagram (a reusable chart, its pure layout, SVG and HTML
// drawn into linkedom's DOM in Node).
export { renderLadder, type LadderOptions } from './ladder.js';
export { summarizeTrace } from './summary.js';
export { toMermaid, type MermaidOptions } from './mermaid.js';
export { sequenceDiagram, type SequenceDiagram, type Theme, type SelectListener } from './svg/sequence-diagram.js';
export { diagramCss } from './svg/style.js';
export { renderSvg, type SvgOptions } from './svg/to-svg.js';
export { renderHtml } from './svg/to-html.js';
export { diagramModel } from './diagram/model.js';
export { diagramPositions, type DiagramSizes, type DiagramPositions, type ArrowPosition, type NotePosition, type BarPosition } from './diagram/positions.js';
export { eventList, type EventLine } from './diagram/event-list.js';
export type { DiagramModel, DiagramOptions, Item, Lane, Loss, SegmentItem, StateItem, CallItem, TimerItem, StateSpan, TimerSpan } from './diagram/types.js';
