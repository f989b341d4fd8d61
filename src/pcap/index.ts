// The public API of the capture-file layer: reading pcap/pcapng, decoding frames, writing captures.
export { CaptureError } from './errors.js';
export * from './types.js';
export { openCapture, detectCapture, type CaptureReader, type OpenOptions } from './read.js';
export { decodeFrame, type DecodedFrame } from './decode-frame.js';
export * from './write.js';
