// `synack run … --pcap FILE` / `--pcapng FILE`: the run's packets as a capture Wireshark and tshark open.
import { writeFileSync } from 'node:fs';
import { writePcap, writePcapng } from '../pcap/index.js';
import type { Trace } from '../sim/trace.js';
import { UsageError } from './errors.js';
import { traceRecords } from './trace-records.js';

export function writeCaptureFile(trace: Trace, path: string, format: 'pcap' | 'pcapng'): void {
  const records = traceRecords(trace);
  const bytes = format === 'pcap'
    ? writePcap(records)
    : writePcapng(records, { comment: `synack ${trace.scenario} --profile ${trace.profile} --seed ${trace.seed}` });
  try {
    writeFileSync(path, bytes);
  } catch (err) {
    throw new UsageError(`cannot write ${path}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
}
