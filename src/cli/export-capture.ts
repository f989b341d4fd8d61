// `synack run … --pcap FILE` / `--pcapng FILE`: the run's packets as a capture Wireshark and tshark open.
import { writeFileSync } from 'node:fs';
import { captureBytes } from '../replay/to-capture.js';
import type { Trace } from '../sim/trace.js';
import { UsageError } from './errors.js';

export function writeCaptureFile(trace: Trace, path: string, format: 'pcap' | 'pcapng'): void {
  const bytes = captureBytes(trace, format);
  try {
    writeFileSync(path, bytes);
  } catch (err) {
    throw new UsageError(`cannot write ${path}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
}
