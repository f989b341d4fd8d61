// Capture replay: the public API (docs/reading-captures.md).
export type { ConnectionReport, ObservedPacket, ReplayOptions, ReplayReport, Violation } from './types.js';
export { replayPackets } from './replay.js';
export { packetsFromTrace, traceStatesByConnection, type TraceSocketStates } from './from-trace.js';
export { reportJson } from './to-json.js';
export { packetsFromCapture, type CaptureOptions, type CapturePackets } from './from-capture.js';
export { parseTraceJson, traceJsonSchema, TraceFileError } from './trace-json.js';
export { connectionKey } from './connections.js';
export { RULE_IDS } from './rules/index.js';
