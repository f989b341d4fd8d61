// Makes a real capture of one capture program with the loopback harness (a fresh network namespace, tcpdump on lo).
//   npx tsx scripts/captures/make.ts NAME OUT.pcap      (as root)
//   npx tsx scripts/captures/make.ts --list
import { writeFileSync } from 'node:fs';
import { CAPTURES, captureSpec, loopbackRunFor } from './catalog.js';
import { loopbackAvailable, runOnLoopback } from '../../test/support/netns/run.js';

function usage(): never {
  process.stderr.write(
    'usage: npx tsx scripts/captures/make.ts NAME OUT.pcap   (as root)\n' +
      `names: ${CAPTURES.map((c) => c.name).join(', ')}\n`,
  );
  process.exit(2);
}

async function main(argv: string[]): Promise<void> {
  if (argv[0] === '--list') {
    for (const c of CAPTURES) process.stdout.write(`${c.name.padEnd(24)} ${c.summary}\n`);
    return;
  }
  const [name, out] = argv;
  if (argv.length !== 2 || name === undefined || out === undefined) usage();
  let spec;
  try {
    spec = captureSpec(name);
  } catch (e) {
    process.stderr.write(`${(e as Error).message}\n`);
    process.exit(2);
  }
  const available = loopbackAvailable();
  if (!available.ok) {
    process.stderr.write(`cannot make captures here: ${available.why}\n`);
    process.exit(1);
  }
  const started = performance.now();
  const result = await runOnLoopback(loopbackRunFor(spec));
  writeFileSync(out, result.pcap);
  const ms = Math.round(performance.now() - started);
  process.stdout.write(`${out}: ${result.pcap.length} bytes, ${spec.name} on Linux ${result.kernel}, ${ms} ms\n`);
  for (const [mark, sockets] of Object.entries(result.ss)) {
    const lines = sockets.map((s) => `${s.state} ${s.local} ${s.peer}`);
    process.stdout.write(`  ss at ${mark}: ${lines.length ? lines.join('; ') : '(no sockets)'}\n`);
  }
}

main(process.argv.slice(2)).catch((e: unknown) => {
  process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
});
