// Reading an input file in pieces: a ByteSource over a descriptor, so a 2 GB file costs no more memory
// than the part being read.
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import type { ByteSource } from '../pcap/index.js';
import { UsageError } from './errors.js';

export interface OpenFile extends ByteSource {
  close(): void;
}

export function openInput(path: string): OpenFile {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new UsageError(`${path}: ${code === 'ENOENT' ? 'no such file' : `cannot open (${code ?? (err as Error).message})`}`);
  }
  const stat = fstatSync(fd);
  if (stat.isDirectory()) {
    closeSync(fd);
    throw new UsageError(`${path}: is a directory, not a capture or trace file`);
  }
  return {
    size: stat.size,
    read(offset: number, length: number): Uint8Array {
      const n = Math.max(0, Math.min(length, stat.size - offset));
      const buf = new Uint8Array(n);
      let got = 0;
      while (got < n) {
        const r = readSync(fd, buf, got, n - got, offset + got);
        if (r === 0) break;
        got += r;
      }
      return got === n ? buf : buf.subarray(0, got);
    },
    close: () => closeSync(fd),
  };
}
