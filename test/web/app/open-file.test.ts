// Telling opened files apart (web/src/app/open-file.ts): by magic number first, then JSON's "format".
import { describe, expect, it } from 'vitest';
import { classifyFile, OpenFileError } from '../../../web/src/app/open-file.js';

const text = (s: string) => new TextEncoder().encode(s);

describe('classifyFile', () => {
  it('a pcap by its magic number, whatever its name', () => {
    const pcap = new Uint8Array([0xd4, 0xc3, 0xb2, 0xa1, 2, 0, 4, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 0, 0, 1, 0, 0, 0]);
    expect(classifyFile('capture.bin', pcap).kind).toBe('capture');
  });

  it('a pcapng by its section header block type', () => {
    expect(classifyFile('x.pcapng', new Uint8Array([0x0a, 0x0d, 0x0d, 0x0a, 0x1c, 0, 0, 0, 0x4d, 0x3c, 0x2b, 0x1a])).kind).toBe('capture');
  });

  it('a trace JSON by "format": "synack-trace", a scenario JSON or YAML otherwise', () => {
    expect(classifyFile('t.json', text('{"format":"synack-trace","version":1}')).kind).toBe('trace');
    expect(classifyFile('s.json', text('{"summary":"x","hosts":{}}')).kind).toBe('scenario');
    expect(classifyFile('s.yaml', text('summary: x\n')).kind).toBe('scenario');
  });

  it('refuses an empty file, a .pcap that is not one, and bytes that are not text', () => {
    expect(() => classifyFile('e.yaml', new Uint8Array())).toThrow(OpenFileError);
    expect(() => classifyFile('fake.pcap', text('<html>'))).toThrow(/fake.pcap: not a pcap or pcapng/);
    expect(() => classifyFile('bin.yaml', new Uint8Array([0xff, 0xfe, 0x00, 0x80]))).toThrow(/neither text nor a capture/);
  });
});
