// Packet diff: two runs of one scenario (a trace, a capture) normalised and compared (docs/diff.md).
export { normalise, flagsText, type NormalSegment, type Normalised, type NormaliseOptions } from './normalise.js';
export { diffNormalised, DEFAULT_TOLERANCE, type DiffOptions, type Divergence, type DivergenceField } from './diff.js';
export { formatDiff, diffJson, type DiffJson, type FormatOptions, type SideSummary } from './format.js';
export { foldFinAcks, type Folded } from './fold.js';
