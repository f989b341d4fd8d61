// The benchmark's table, docs/benchmarks.md, the targets of issue 11 judged met or missed, and the
// README's headline line (between <!-- bench:headline --> and <!-- /bench:headline -->).
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fmtInt, fmtMs, fmtRate, fmtRatio, perSecond, type Measured } from './measure.js';
import type { SelfTime } from './profile-summary.js';
import type { CliRun } from './cli-run.js';

export interface LifecycleRow {
  concurrency: number;
  size: number;
  real: Measured;
  on: Measured;
  off: Measured;
}

/** The CLI target: `synack run FILE --json` of N sequential lifecycles, against node:net doing the largest N. */
export interface CliBench {
  rows: Array<{ size: number; m: CliRun }>;
  real: Measured;
  /** Top functions by self time of the largest run under --cpu-prof, or why there is none. */
  profile?: SelfTime[] | string;
}

export interface BenchRun {
  date: string;
  machine: { cpu: string; cores: number; memoryGiB: number; node: string; engine?: string; loadAtStart: [number, number, number] };
  loadAtEnd?: [number, number, number];
  capS: number;
  traceOff: boolean;
  lifecycle: LifecycleRow[];
  bulk: Array<{ side: string; m: Measured }>;
  idle: Array<{ size: number; m: Measured }>;
  flood: Measured;
  floodSyns?: number;
  bulkBytes: number;
  check: string;
  profiles: Array<{ what: string; top: SelfTime[] | string }>;
  web: Array<{ name: string; value: string }> | string;
  /** (8) `synack run --json` through the CLI; absent: not run. */
  cli?: CliBench;
  /** Sizes or caps changed through BENCH_* variables: not the issue's benchmark. */
  customised: boolean;
}

export interface Target {
  workload: 'lifecycle' | 'bulk' | 'idle' | 'flood' | 'cli';
  text: string;
  measured: string;
  /** undefined: not measured by this bench. */
  met: boolean | undefined;
}

const mode = (c: number) => (c === 1 ? 'sequential' : `${c} at a time`);
const cost = (m: Measured) => (m.status === 'ok' && m.ms !== undefined && m.done ? m.ms / m.done : undefined);
const ratio = (sim: Measured, real: Measured) => {
  const a = perSecond(sim, sim.done);
  const b = perSecond(real, real.done);
  return a !== undefined && b !== undefined ? a / b : undefined;
};
const status = (m: Measured) => m.note ?? m.status;
const KIB = 1024;

function ratioTarget(run: BenchRun, trace: 'on' | 'off', want: number): Target {
  const text = `lifecycles at least ${want}× faster than real node:net with the trace ${trace}`;
  if (trace === 'off' && !run.traceOff) return { workload: 'lifecycle', text, measured: 'World({ trace: false }) not available', met: false };
  const parts = run.lifecycle.map((r) => ({ r, x: ratio(r[trace], r.real) }));
  const measured = parts.map(({ r, x }) => `${fmtInt(r.size)} ${mode(r.concurrency)}: ${x === undefined ? status(r[trace].status === 'ok' ? r.real : r[trace]) : fmtRatio(x)}`).join('; ');
  return { workload: 'lifecycle', text, measured, met: parts.length > 0 && parts.every(({ x }) => x !== undefined && x >= want) };
}

function flatTarget(run: BenchRun): Target {
  const text = 'lifecycles flat: the cost per lifecycle at 100,000 within 1.5× of the cost at 1,000';
  const out: string[] = [];
  let met = true;
  for (const c of [...new Set(run.lifecycle.map((r) => r.concurrency))]) {
    for (const trace of run.traceOff ? (['on', 'off'] as const) : (['on'] as const)) {
      const small = run.lifecycle.find((r) => r.concurrency === c && r.size === 1000)?.[trace];
      const big = run.lifecycle.find((r) => r.concurrency === c && r.size === 100_000)?.[trace];
      const a = small && cost(small);
      const b = big && cost(big);
      if (a === undefined || b === undefined) {
        met = false;
        out.push(`${mode(c)}, trace ${trace}: ${big ? status(big) : '100,000 not measured'}`);
      } else {
        met &&= b / a <= 1.5;
        out.push(`${mode(c)}, trace ${trace}: ${(b / a).toFixed(2)}×`);
      }
    }
  }
  if (!run.traceOff) out.push('trace off: not available');
  return { workload: 'lifecycle', text, measured: out.join('; '), met: met && run.traceOff };
}

function bulkTarget(run: BenchRun, trace: 'on' | 'off', want: number): Target {
  const m = run.bulk.find((b) => b.side === `synack, trace ${trace}`)?.m;
  const rate = m && perSecond(m, m.segments);
  return {
    workload: 'bulk',
    text: `at least ${fmtInt(want)} simulated segments per second on the bulk transfer, trace ${trace}`,
    measured: rate !== undefined ? fmtRate(rate) : m ? status(m) : 'not measured',
    met: rate !== undefined && rate >= want,
  };
}

export function targets(run: BenchRun): Target[] {
  const heap = run.idle.map((i) => ({ size: i.size, per: i.m.heapBytes !== undefined ? i.m.heapBytes / i.size : undefined, m: i.m }));
  const million = run.idle.find((i) => i.size === 1_000_000)?.m;
  const f = run.flood;
  const allIn = f.status === 'ok' && f.done === 1000;
  return [
    ratioTarget(run, 'off', 10),
    ratioTarget(run, 'on', 3),
    flatTarget(run),
    bulkTarget(run, 'off', 1_000_000),
    bulkTarget(run, 'on', 300_000),
    {
      workload: 'idle',
      text: 'at most 1 KiB of heap per idle ESTABLISHED connection (both ends)',
      measured: heap.map((h) => `${fmtInt(h.size)}: ${h.per !== undefined ? `${(h.per / KIB).toFixed(2)} KiB` : status(h.m)}`).join('; ') || 'not measured',
      met: heap.length > 0 && heap.every((h) => h.per !== undefined && h.per <= KIB),
    },
    {
      workload: 'idle',
      text: '1,000,000 idle connections set up in under 30 s',
      measured: million ? (million.status === 'ok' ? fmtMs(million.ms) : status(million)) : 'not measured',
      met: million === undefined ? undefined : million.status === 'ok' && million.ms! < 30_000,
    },
    {
      workload: 'flood',
      text: 'the 1M-SYN flood in under 5 s with every one of 1,000 clients connected',
      measured: f.status === 'ok' ? `${fmtMs(f.ms)}; ${f.note}` : status(f),
      met: run.floodSyns !== 1_000_000 ? undefined : f.status === 'ok' && allIn && f.ms! < 5000,
    },
    cliTarget(run),
  ];
}

const CLI_SMALL = 2000;
const CLI_BIG = 8000;

/** `synack run --json` at 8,000 lifecycles against node:net at 8,000, and its cost per lifecycle against 2,000's. */
export function cliTarget(run: BenchRun): Target {
  const text = `\`synack run --json\` of ${fmtInt(CLI_BIG)} sequential lifecycles at least as fast as real node:net, and the cost per lifecycle within 1.5× of the cost at ${fmtInt(CLI_SMALL)}`;
  const cli = run.cli;
  const small = cli?.rows.find((r) => r.size === CLI_SMALL)?.m;
  const big = cli?.rows.find((r) => r.size === CLI_BIG)?.m;
  if (!cli || !big) return { workload: 'cli', text, measured: `${fmtInt(CLI_BIG)} not measured`, met: undefined };
  const x = ratio(big, cli.real);
  const a = small && cost(small);
  const b = cost(big);
  const flat = a !== undefined && b !== undefined ? b / a : undefined;
  const measured = [
    x !== undefined ? `${fmtRatio(x)} the speed of node:net (${fmtMs(big.ms)} against ${fmtMs(cli.real.ms)})` : `synack: ${status(big)}; node:net: ${status(cli.real)}`,
    flat !== undefined ? `${fmtInt(CLI_SMALL)} -> ${fmtInt(CLI_BIG)}: ${flat.toFixed(2)}×` : `${fmtInt(CLI_SMALL)}: ${small ? status(small) : 'not measured'}`,
  ].join('; ');
  return { workload: 'cli', text, measured, met: x !== undefined && x >= 1 && flat !== undefined && flat <= 1.5 };
}

function cliLines(run: BenchRun): string[] {
  const head = '## (8) Through the CLI: `synack run FILE --json` of sequential lifecycles, the trace written to a file';
  if (!run.cli) return [head, '', 'not run.', ''];
  const { rows, real, profile } = run.cli;
  const lines = [
    head,
    '',
    'The scenario file (bench/cli-scenario.ts): a server accepting in a `repeat` of N rounds (accept, recv 100, send 100, recv to end of',
    'stream, close), a client in a `repeat` of N rounds (socket, connect, sendall 100 bytes, recv 100, close). Timed: the whole process',
    '`node bin/synack.js run FILE --json > trace.json` from spawn to exit (start-up, parse, run, JSON written), as a user sees it; a run',
    'counts only when it exits 0 and its trace shows N clients in TIME_WAIT. node:net: the same lifecycles one after another over 127.0.0.1.',
    '',
    '| lifecycles | side | wall time | lifecycles/s | cost per lifecycle | trace JSON | synack ÷ real |',
    '| ---: | --- | ---: | ---: | ---: | ---: | ---: |',
  ];
  const realSize = real.done;
  for (const { size, m } of rows) {
    const ok = m.status === 'ok';
    const runs = m.runs && m.runs > 1 ? ` (median of ${m.runs})` : '';
    const vs = ok && realSize === size ? fmtRatio(ratio(m, real)) : '';
    lines.push(`| ${fmtInt(size)} | \`synack run --json\` | ${ok ? `${fmtMs(m.ms)}${runs}` : status(m)} | ${ok ? fmtRate(perSecond(m, m.done)) : ''} | ${ok ? fmtMs(cost(m)) : ''} | ${ok && m.outBytes !== undefined ? `${(m.outBytes / 1e6).toFixed(1)} MB` : ''} | ${vs} |`);
  }
  const ok = real.status === 'ok';
  const runs = real.runs && real.runs > 1 ? ` (median of ${real.runs})` : '';
  lines.push(`| ${realSize !== undefined ? fmtInt(realSize) : ''} | node:net, 127.0.0.1 | ${ok ? `${fmtMs(real.ms)}${runs}` : status(real)} | ${ok ? fmtRate(perSecond(real, real.done)) : ''} | ${ok ? fmtMs(cost(real)) : ''} | | |`);
  const costs = rows.map((r) => ({ size: r.size, c: cost(r.m) })).filter((r) => r.c !== undefined);
  if (costs.length >= 2) {
    const first = costs[0]!;
    const last = costs.at(-1)!;
    lines.push('', `Flatness: the cost per lifecycle at ${fmtInt(last.size)} is ${(last.c! / first.c!).toFixed(2)}× the cost at ${fmtInt(first.size)}.`);
  }
  lines.push('');
  if (profile !== undefined) {
    const biggest = rows.at(-1)?.size;
    lines.push(`Where the time goes: the ${biggest !== undefined ? fmtInt(biggest) : ''}-lifecycle run once more under \`node --cpu-prof\`, its functions with the most self time (bench/profile-summary.ts; files in dist/, the same names in src/*.ts):`, '');
    if (typeof profile === 'string') lines.push(profile, '');
    else lines.push('| self time | share | function |', '| ---: | ---: | --- |', ...profile.map((s) => `| ${fmtMs(s.ms)} | ${(s.share * 100).toFixed(1)} % | \`${s.where}\` |`), '');
  }
  return lines;
}

function lifecycleTable(run: BenchRun): string[] {
  const lines = ['| lifecycles | how | side | connections/s | segments/s | cost per lifecycle | synack ÷ real |', '| ---: | --- | --- | ---: | ---: | ---: | ---: |'];
  for (const r of run.lifecycle) {
    const row = (side: string, m: Measured, vsReal: boolean) => {
      const ok = m.status === 'ok';
      const conn = ok ? fmtRate(perSecond(m, m.done)) : status(m);
      const runs = m.runs && m.runs > 1 ? ` (median of ${m.runs})` : '';
      lines.push(`| ${fmtInt(r.size)} | ${mode(r.concurrency)} | ${side} | ${conn}${ok ? runs : ''} | ${ok ? fmtRate(perSecond(m, m.segments)) : ''} | ${ok ? fmtMs(cost(m)) : ''} | ${vsReal && ok ? fmtRatio(ratio(m, r.real)) : ''} |`);
    };
    row('node:net, 127.0.0.1', r.real, false);
    row('synack, trace on', r.on, true);
    row('synack, trace off', r.off, true);
  }
  return lines;
}

function bulkTable(run: BenchRun): string[] {
  const real = run.bulk.find((b) => b.side === 'node:net')?.m;
  const lines = ['| side | MB/s | segments/s (simulated) | wall time | synack ÷ real |', '| --- | ---: | ---: | ---: | ---: |'];
  for (const { side, m } of run.bulk) {
    const ok = m.status === 'ok';
    const mbs = perSecond(m, m.done !== undefined ? m.done / 1e6 : undefined);
    const runs = m.runs && m.runs > 1 ? ` (median of ${m.runs})` : '';
    const vs = side !== 'node:net' && ok && real ? fmtRatio(ratio(m, real)) : '';
    lines.push(`| ${side === 'node:net' ? 'node:net, 127.0.0.1' : side} | ${ok ? `${mbs!.toFixed(1)}${runs}` : status(m)} | ${ok ? fmtRate(perSecond(m, m.segments)) : ''} | ${ok ? fmtMs(m.ms) : ''} | ${vs} |`);
  }
  return lines;
}

function idleTable(run: BenchRun): string[] {
  const lines = ['| idle ESTABLISHED connections | setup time | heap per connection (both ends) |', '| ---: | ---: | ---: |'];
  for (const { size, m } of run.idle) {
    const per = m.heapBytes !== undefined ? `${fmtInt(Math.round(m.heapBytes / size))} B (${(m.heapBytes / size / KIB).toFixed(2)} KiB)` : m.status === 'ok' ? 'no reading (run without --expose-gc)' : '';
    lines.push(`| ${fmtInt(size)} | ${m.status === 'ok' ? fmtMs(m.ms) : status(m)} | ${m.status === 'ok' ? per : ''} |`);
  }
  return lines;
}

function profileLines(run: BenchRun): string[] {
  if (run.profiles.length === 0) return [];
  const lines = [
    '## Where the time goes (targets missed)',
    '',
    `Each workload below ran once more under \`node --cpu-prof\`, stopped after at most 20 s; the functions with the`,
    'most self time (time in the function itself, not in what it calls), summed by bench/profile-summary.ts. Files are in',
    'dist/ (the compiled engine): the same names in src/*.ts.',
    '',
  ];
  for (const p of run.profiles) {
    lines.push(`### ${p.what}`, '');
    if (typeof p.top === 'string') {
      lines.push(p.top, '');
      continue;
    }
    lines.push('| self time | share | function |', '| ---: | ---: | --- |');
    for (const s of p.top) lines.push(`| ${fmtMs(s.ms)} | ${(s.share * 100).toFixed(1)} % | \`${s.where}\` |`);
    lines.push('');
  }
  return lines;
}

/** The README line: the lifecycle ratio at the largest size measured on both sides, sequential. */
export function headline(run: BenchRun): string {
  const rows = run.lifecycle.filter((r) => r.concurrency === 1 && r.real.status === 'ok' && r.on.status === 'ok');
  const r = rows.at(-1);
  if (!r) return `Benchmark (${run.date}): no lifecycle size finished on both sides; see [docs/benchmarks.md](docs/benchmarks.md).`;
  const off = r.off.status === 'ok' ? `, ${fmtRatio(ratio(r.off, r.real))} with it off` : '';
  return (
    `Benchmark headline (${run.date}, \`npm run bench\`): ${fmtInt(r.size)} sequential TCP lifecycles (connect, 100 B each way, close) ` +
    `run at ${fmtRatio(ratio(r.on, r.real))} the speed of real node:net over 127.0.0.1 with the trace on${off} ` +
    `(${fmtRate(perSecond(r.on, r.on.done), ' connections/s')} against ${fmtRate(perSecond(r.real, r.real.done), ' connections/s')}); details in [docs/benchmarks.md](docs/benchmarks.md).`
  );
}

export function render(run: BenchRun): { doc: string; table: string } {
  const m = run.machine;
  const load = (l: number[]) => l.map((x) => x.toFixed(2)).join(', ');
  const t = targets(run);
  const web = typeof run.web === 'string' ? [run.web] : ['| measurement | time |', '| --- | ---: |', ...run.web.map((r) => `| ${r.name} | ${r.value} |`)];
  const body = [
    '## (1) Lifecycles: connect, 100 B each way, close (TIME_WAIT at the client)',
    '',
    ...lifecycleTable(run),
    '',
    `## (2, 3) Bulk transfer: ${run.bulkBytes / 2 ** 20} MB over one connection (no loss, 1 ms one way in synack)`,
    '',
    ...bulkTable(run),
    '',
    '## (4) Idle ESTABLISHED connections',
    '',
    ...idleTable(run),
    '',
    '## (5) SYN flood with syncookies',
    '',
    `${fmtInt(run.floodSyns ?? 0)} spoofed SYNs at one listener (backlog 128, Linux tcp_syncookies=1) while 1,000 clients connect, each sending one byte: ` +
      (run.flood.status === 'ok' ? `${fmtMs(run.flood.ms)} of wall time; ${run.flood.note}.` : `${status(run.flood)}.`),
    '',
    '## (6) Scenarios checked per second',
    '',
    `${run.check}.`,
    '',
    '## (7) The web app: first render of a long trace (bench/web-render.ts; details in [benchmarks-web.md](benchmarks-web.md))',
    '',
    ...web,
    '',
    ...cliLines(run),
  ];
  const targetLines = ['| target (issue 11) | measured | |', '| --- | --- | --- |', ...t.map((x) => `| ${x.text} | ${x.measured} | ${x.met === undefined ? 'not measured' : x.met ? 'met' : '**missed**'} |`)];
  const doc = [
    '# Benchmarks',
    '',
    '<!-- Written by `npm run bench` (bench/run.ts): do not edit by hand. -->',
    '',
    `Measured ${run.date} with \`npm run bench\` on ${m.cpu}, ${m.cores} cores, ${m.memoryGiB.toFixed(0)} GiB of memory, Node ${m.node}${m.engine ? `; the engine: ${m.engine}` : ''}.`,
    `Load average (1, 5, 15 min) at the start: ${load(m.loadAtStart)}${run.loadAtEnd ? `; at the end: ${load(run.loadAtEnd)}` : ''} on ${m.cores} cores. The machine is shared`,
    '(other work ran beside this benchmark): every wall time here grows with the load, so compare runs made under the same load only.',
    ...(run.customised ? ['', '**This run used reduced sizes or caps (BENCH_* variables): it is not the issue\'s benchmark.**'] : []),
    '',
    'How it runs: `npm run bench` builds the engine (`npm run build`, to dist/) and the benchmark (tsconfig.bench.json, to',
    'dist-bench/), then runs dist-bench/bench/run.js. Every synack measurement drives the compiled engine in dist/, each in a child',
    `process of its own (a fresh heap), stopped after ${run.capS} s: a size that does not finish in time is reported so, with how far it`,
    'got, and the larger sizes of that row are not run. The same workloads on real sockets (node:net over 127.0.0.1, both ends in one',
    'process, as synack runs both ends in one) are measured by the benchmark itself in a child process. Runs that take under 5 s are',
    'repeated three times (median). Segments per second for a run with the trace off use the segment count of the same run traced (the',
    'same seed sends the same segments). Only the web rows run through tsx: they build the app with Vite and drive Chromium.',
    '',
    `World({ trace: false }): ${run.traceOff ? 'available' : 'not available in this engine yet, so the trace-off rows are "not available"; the heap and flood rows ran with the trace on (the heap reading drops the trace\'s events first)'}.`,
    '',
    '## Targets',
    '',
    ...targetLines,
    '',
    ...body,
    ...profileLines(run),
  ].join('\n');
  const table = [...targetLines, '', ...body].join('\n');
  return { doc, table };
}

const START = '<!-- bench:headline -->';
const END = '<!-- /bench:headline -->';

/** Writes docs/benchmarks.md and the README headline when `write`; returns the printed table and what was written. */
export function writeReport(run: BenchRun, opts: { write: boolean; root: string }): { table: string; written: string[] } {
  const { doc, table } = render(run);
  if (!opts.write) return { table, written: [] };
  writeFileSync(join(opts.root, 'docs/benchmarks.md'), doc + '\n');
  const written = ['docs/benchmarks.md'];
  const readmePath = join(opts.root, 'README.md');
  const readme = readFileSync(readmePath, 'utf8');
  const a = readme.indexOf(START);
  const b = readme.indexOf(END);
  if (a >= 0 && b > a) {
    writeFileSync(readmePath, readme.slice(0, a + START.length) + '\n' + headline(run) + '\n' + readme.slice(b));
    written.push('README.md (headline)');
  }
  return { table, written };
}
