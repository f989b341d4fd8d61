// Writing captures of simulated packets: classic pcap and pcapng, Ethernet framing.
export type { PacketRecord, WriteOptions } from './write-common.js';
export { writePcap } from './write-pcap.js';
export { writePcapng, type PcapngWriteOptions } from './write-pcapng.js';
export { ethernetFrame, macFor } from './ethernet.js';
