// The public API of the wire layer: segments, sequence arithmetic, addresses, checksums and codecs.
export * from './seq.js';
export * from './segment.js';
export * from './errors.js';
export * from './address.js';
export * from './checksum.js';
export * from './options.js';
export * from './tcp-codec.js';
export * from './udp-codec.js';
export * from './ip-codec.js';
