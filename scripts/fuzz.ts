// The fuzz campaign (issue 10): `npm run fuzz -- --inputs 300000`. For each reader (pcap, pcapng, trace JSON,
// scenario file) it feeds mutated inputs to the CLI itself (`synack replay FILE`, `synack run FILE`) and
// counts as a crash any exit 70 (an error other than the documented ones: CaptureError, TraceFileError /
// ReplayInputError, ScenarioFileError, the run budget), and as a hang any input that takes longer than
// --timeout ms (a worker thread stuck past 5x that is stopped and restarted). It reports inputs/s, crashes
// and hangs per reader and saves every crashing or hanging input to --out.
//
// Inputs are made from seeds (scenarios/*.yaml, and the traces and captures of some of their runs) by bit
// flips, byte insertions/deletions, truncation, splicing, and for JSON/YAML by structure-aware changes to the
// parsed tree. Input i of a reader is a pure function of (--seed, reader, i), so a hang can be rebuilt.
//
// Options: --inputs N (per reader, default 10000), --readers pcap,pcapng,trace,scenario, --seed N,
// --timeout MS (default 2000), --minutes M (stop every reader after M minutes), --jobs J (workers at once,
// default 2), --out DIR (default fuzz-out/).
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { parse as parseYaml, stringify as yamlStringify } from 'yaml';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const READERS = ['pcap', 'pcapng', 'trace', 'scenario'] as const;
type Reader = (typeof READERS)[number];
const EXT: Record<Reader, string> = { pcap: 'pcap', pcapng: 'pcapng', trace: 'json', scenario: 'yaml' };

interface Seeds {
  bytes: Uint8Array[];
  /** For the text readers: the parsed seeds, for structure-aware changes. */
  trees: unknown[];
  keys: string[];
}

// ---------- the mutator: deterministic from (seed, reader, index) ----------

function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function hash(...xs: number[]): number {
  let h = 2166136261;
  for (const x of xs) h = Math.imul(h ^ x, 16777619) >>> 0;
  return h;
}

const INTERESTING_BYTES = [0, 1, 0x7f, 0x80, 0xff, 0x0a, 0x1b, 0x22, 0x5c, 0x7b, 0x7d, 0x3a];
const INTERESTING_WORDS = [0, 1, 0xff, 0xffff, 0x7fffffff, 0x80000000, 0xffffffff, 65535, 65536, 1500, 9000];
const INTERESTING_VALUES: unknown[] = [
  0, -1, 1, 0.5, -0.5, 1e-9, 65535, 65536, 2 ** 31, 2 ** 32, 2 ** 53, 2 ** 53 + 2, 1e21, 1e308, -1e308,
  '', 'constructor', 'toString', '__proto__', 'hasOwnProperty', '\x1b[2J\x1b]0;x\x07', '\u202e', 'x'.repeat(5000),
  '10.0.0.1:99999', '10.0.0.1:080', '10.1:80', '[10.0.0.1]:80', '999.0.0.1:1', 'rcv.nxt+99999999999', 'snd.una-5',
  '1e999', 'Infinity', 'NaN', '-0', '0x', '1 s', '1e9 s', '99999 days', '0.000000001', '100 Gbit/s', '1 bit/s',
  'AAAA', '!!!', '=', true, false, null, [], {}, [[]], { repeat: 1e6 },
];

function rand(r: () => number, n: number): number {
  return Math.floor(r() * n);
}

function pick<T>(r: () => number, xs: readonly T[]): T {
  return xs[rand(r, xs.length)]!;
}

function byteMutation(r: () => number, input: Uint8Array, seeds: readonly Uint8Array[]): Uint8Array {
  const b = input;
  const at = () => rand(r, Math.max(1, b.length));
  switch (rand(r, 9)) {
    case 0: {
      const out = b.slice();
      for (let k = 1 + rand(r, 8); k > 0 && out.length > 0; k--) out[at()]! ^= 1 << rand(r, 8);
      return out;
    }
    case 1: {
      const out = b.slice();
      if (out.length > 0) out[at()] = pick(r, INTERESTING_BYTES);
      return out;
    }
    case 2: {
      const out = b.slice();
      const w = pick(r, INTERESTING_WORDS);
      const i = at();
      const big = r() < 0.5;
      for (let k = 0; k < 4 && i + k < out.length; k++) out[i + k] = (big ? w >>> (24 - 8 * k) : w >>> (8 * k)) & 0xff;
      return out;
    }
    case 3: {
      const i = at();
      const extra = Uint8Array.from({ length: 1 + rand(r, 16) }, () => (r() < 0.5 ? pick(r, INTERESTING_BYTES) : rand(r, 256)));
      return concat(b.subarray(0, i), extra, b.subarray(i));
    }
    case 4: {
      const i = at();
      return concat(b.subarray(0, i), b.subarray(Math.min(b.length, i + 1 + rand(r, 32))));
    }
    case 5:
      return b.subarray(0, at());
    case 6: {
      const i = at();
      const chunk = b.subarray(i, i + 1 + rand(r, 64));
      const j = at();
      return concat(b.subarray(0, j), chunk, b.subarray(j));
    }
    case 7: {
      const other = pick(r, seeds);
      return concat(b.subarray(0, at()), other.subarray(rand(r, Math.max(1, other.length))));
    }
    default: {
      // The same header again (a second section, a repeated record).
      const n = Math.min(b.length, 16 + rand(r, 48));
      const j = at();
      return concat(b.subarray(0, j), b.subarray(0, n), b.subarray(j));
    }
  }
}

function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

/** Every (parent, key) in a tree, up to a cap. */
function slots(tree: unknown): Array<{ parent: Record<string, unknown> | unknown[]; key: string | number }> {
  const out: Array<{ parent: Record<string, unknown> | unknown[]; key: string | number }> = [];
  const walk = (v: unknown, depth: number) => {
    if (out.length > 5000 || depth > 40 || v === null || typeof v !== 'object') return;
    if (Array.isArray(v)) v.forEach((x, i) => (out.push({ parent: v, key: i }), walk(x, depth + 1)));
    else for (const [k, x] of Object.entries(v)) out.push({ parent: v as Record<string, unknown>, key: k }), walk(x, depth + 1);
  };
  walk(tree, 0);
  return out;
}

function treeMutation(r: () => number, tree: unknown, seeds: Seeds): unknown {
  const all = slots(tree);
  if (all.length === 0) return pick(r, INTERESTING_VALUES);
  const { parent, key } = pick(r, all);
  const get = () => (parent as Record<string | number, unknown>)[key];
  const set = (v: unknown) => void ((parent as Record<string | number, unknown>)[key] = v);
  switch (rand(r, 7)) {
    case 0:
      set(structuredClone(pick(r, INTERESTING_VALUES)));
      break;
    case 1: {
      const v = get();
      if (typeof v === 'number') set(pick(r, [v * 1000, -v, v + 1, v - 1, v * 1e9, Math.floor(v / 7), v + 0.5]));
      else if (typeof v === 'string') set(pick(r, [v + v, v.slice(1), `${v}\x1b[31m`, v.toUpperCase(), `${v} ${v}`, `${v}:65536`]));
      else set(structuredClone(pick(r, INTERESTING_VALUES)));
      break;
    }
    case 2:
      if (Array.isArray(parent)) parent.splice(key as number, 1);
      else delete parent[key as string];
      break;
    case 3: {
      const v = get();
      if (Array.isArray(parent)) for (let k = rand(r, 50); k > 0; k--) parent.push(structuredClone(v));
      else parent[pick(r, seeds.keys)] = structuredClone(v);
      break;
    }
    case 4: {
      // A node of another seed grafted here.
      const other = slots(pick(r, seeds.trees));
      if (other.length > 0) {
        const s = pick(r, other);
        set(structuredClone((s.parent as Record<string | number, unknown>)[s.key]));
      }
      break;
    }
    case 5:
      if (!Array.isArray(parent)) parent[pick(r, [...seeds.keys, 'constructor', 'toString', '__proto__', 'valueOf'])] = structuredClone(pick(r, INTERESTING_VALUES));
      else set({ repeat: pick(r, [2, 100, 100000]), steps: [structuredClone(get())] });
      break;
    default:
      set([structuredClone(get()), structuredClone(get())]);
  }
  return tree;
}

const YAML_SNIPPETS = ['&a ', '*a', '<<: *a\n', '!!binary ', '? ', '- ', ': ', '{', '}', '[', ']', '"', "'", '#', '\t', '\n  ', '%YAML 1.1\n', '---\n', '...\n', '|\n', '!!js/function ', '~'];

function mutate(reader: Reader, seeds: Seeds, seed: number, index: number): Uint8Array {
  const r = prng(hash(seed, READERS.indexOf(reader), index));
  const k = rand(r, seeds.bytes.length);
  let out = seeds.bytes[k]!;
  const text = reader === 'trace' || reader === 'scenario';
  if (text && r() < 0.5) {
    let tree = structuredClone(seeds.trees[k]);
    for (let n = 1 + rand(r, 3); n > 0; n--) tree = treeMutation(r, tree, seeds);
    const asText = reader === 'trace' || r() < 0.3 ? JSON.stringify(tree, null, r() < 0.5 ? 2 : undefined) : yamlStringify(tree, { aliasDuplicateObjects: r() < 0.5 });
    out = new TextEncoder().encode(asText ?? 'null');
  }
  for (let n = rand(r, text ? 3 : 5); n > 0; n--) {
    if (reader === 'scenario' && r() < 0.3) {
      const i = rand(r, out.length + 1);
      out = concat(out.subarray(0, i), new TextEncoder().encode(pick(r, YAML_SNIPPETS)), out.subarray(i));
    } else {
      out = byteMutation(r, out, seeds.bytes);
    }
  }
  return out;
}

// ---------- seeds ----------

async function makeSeeds(): Promise<Record<Reader, Seeds>> {
  const { loadScenarioFile } = await import('../src/scenarios/file/load.js');
  const { captureBytes } = await import('../src/replay/to-capture.js');
  const dir = join(ROOT, 'scenarios');
  const files = readdirSync(dir).filter((f) => f.endsWith('.yaml')).sort();
  const yamlTexts = files.map((f) => readFileSync(join(dir, f), 'utf8'));
  const traces = [];
  // Small runs make small, fast inputs: the first scenarios and a few with losses and injections.
  for (const f of files.filter((f) => /^(0[1-9]|1[0-4]|25)-/.test(f))) {
    const s = loadScenarioFile(join(dir, f));
    traces.push(await s.run({ profile: 'linux', seed: 1 }));
  }
  const enc = new TextEncoder();
  const keys = new Set<string>();
  const trees = yamlTexts.map((t) => parseYaml(t) as unknown);
  const traceTrees = traces.map((t) => JSON.parse(JSON.stringify(t)) as unknown);
  for (const t of [...trees, ...traceTrees]) for (const s of slots(t)) if (typeof s.key === 'string') keys.add(s.key);
  const keyList = [...keys];
  return {
    pcap: { bytes: traces.map((t) => captureBytes(t, 'pcap')), trees: [], keys: keyList },
    pcapng: { bytes: traces.map((t) => captureBytes(t, 'pcapng')), trees: [], keys: keyList },
    trace: { bytes: traces.map((t) => enc.encode(JSON.stringify(t))), trees: traceTrees, keys: keyList },
    scenario: { bytes: yamlTexts.map((t) => enc.encode(t)), trees, keys: keyList },
  };
}

// ---------- the worker: runs inputs from `from` to `to` of one reader ----------

interface Job {
  reader: Reader;
  seeds: Seeds;
  seed: number;
  from: number;
  to: number;
  timeout: number;
  out: string;
  tmp: string;
  deadline: number;
  /** [index of the input being run, its start time in ms (as a float64 pair)] */
  slot: SharedArrayBuffer;
}

type Report = { kind: 'done'; next: number } | { kind: 'crash' | 'hang'; index: number; message: string } | { kind: 'progress'; ran: number };

async function workerLoop(job: Job): Promise<void> {
  process.env.SYNACK_DEBUG = '1'; // a crash's stack goes to its report
  const { main } = await import('../src/cli/main.js');
  const slot = new Float64Array(job.slot);
  const path = join(job.tmp, `input.${EXT[job.reader]}`);
  let stderr = '';
  const io = { stdout: () => {}, stderr: (s: string) => void (stderr += s) };
  const post = (m: Report) => parentPort!.postMessage(m);
  let ran = 0;
  let i = job.from;
  for (; i < job.to && Date.now() < job.deadline; i++) {
    const input = mutate(job.reader, job.seeds, job.seed, i);
    writeFileSync(path, input);
    stderr = '';
    slot[0] = i;
    slot[1] = performance.now() + performance.timeOrigin;
    const start = performance.now();
    let code: number;
    try {
      code = await main(job.reader === 'scenario' ? ['run', path] : ['replay', path], io, async () => []);
    } catch (err) {
      code = 70;
      stderr = `thrown out of main(): ${(err as Error).stack ?? String(err)}`;
    }
    const took = performance.now() - start;
    slot[1] = 0;
    if (code === 70) {
      save(job.out, job.reader, i, input, stderr);
      post({ kind: 'crash', index: i, message: stderr.split('\n')[0] ?? '' });
    } else if (took > job.timeout) {
      save(job.out, job.reader, i, input, `took ${Math.round(took)} ms (exit ${code})\n${stderr}`);
      post({ kind: 'hang', index: i, message: `took ${Math.round(took)} ms` });
    }
    if (++ran % 500 === 0) post({ kind: 'progress', ran: 500 });
  }
  post({ kind: 'progress', ran: ran % 500 });
  post({ kind: 'done', next: i });
}

function save(out: string, reader: Reader, index: number, input: Uint8Array, why: string): void {
  mkdirSync(out, { recursive: true });
  writeFileSync(join(out, `${reader}-${index}.${EXT[reader]}`), input);
  writeFileSync(join(out, `${reader}-${index}.txt`), why);
}

// ---------- the campaign ----------

interface Tally {
  reader: Reader;
  ran: number;
  crashes: number;
  hangs: number;
  messages: Map<string, number>;
  ms: number;
}

function option(args: string[], name: string, fallback: string): string {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && args[i + 1] !== undefined ? args[i + 1]! : fallback;
}

/** Runs one reader's inputs in a worker, restarting it past an input that hangs for good. */
async function runReader(reader: Reader, seeds: Seeds, o: { inputs: number; seed: number; timeout: number; out: string; deadline: number }, tally: Tally): Promise<void> {
  const tmp = join(existsDir('/dev/shm') ? '/dev/shm' : tmpdir(), `synack-fuzz-${process.pid}-${reader}`);
  mkdirSync(tmp, { recursive: true });
  const started = performance.now();
  let from = 0;
  try {
    while (from < o.inputs && Date.now() < o.deadline) {
      const slot = new SharedArrayBuffer(16);
      const view = new Float64Array(slot);
      view[0] = -1; // no input started yet
      const job: Job = { reader, seeds, seed: o.seed, from, to: o.inputs, timeout: o.timeout, out: o.out, tmp, deadline: o.deadline, slot };
      from = await new Promise<number>((resolve) => {
        // The worker runs this same TypeScript file, through tsx's loader registered inside it.
        const boot = `import('tsx/esm/api').then((tsx) => { tsx.register(); return import(${JSON.stringify(import.meta.url)}); })`;
        const worker = new Worker(boot, { eval: true, workerData: job, resourceLimits: { maxOldGenerationSizeMb: 2048 } });
        let settled = false;
        const finish = (next: number) => {
          if (settled) return;
          settled = true;
          clearInterval(watch);
          void worker.terminate();
          resolve(next);
        };
        const lost = (why: string) => {
          const index = view[0]!;
          if (index < 0) {
            process.stderr.write(`fuzz: the ${reader} worker failed before its first input: ${why.split('\n')[0]}\n`);
            finish(o.inputs);
            return;
          }
          save(o.out, reader, index, mutate(reader, seeds, o.seed, index), why);
          tally.ran++;
          finish(index + 1);
        };
        const watch = setInterval(() => {
          const since = view[1]!;
          if (since > 0 && performance.now() + performance.timeOrigin - since > 5 * o.timeout) {
            tally.hangs++;
            tally.messages.set('stuck: stopped', (tally.messages.get('stuck: stopped') ?? 0) + 1);
            lost(`stuck for more than ${5 * o.timeout} ms: stopped`);
          }
        }, 250);
        worker.on('message', (m: Report) => {
          if (m.kind === 'progress') tally.ran += m.ran;
          else if (m.kind === 'done') finish(m.next);
          else {
            if (m.kind === 'crash') tally.crashes++;
            else tally.hangs++;
            const key = m.message.slice(0, 160);
            tally.messages.set(key, (tally.messages.get(key) ?? 0) + 1);
          }
        });
        worker.on('error', (err) => {
          // Out of memory, or an error outside main(): the current input is a crash.
          tally.crashes++;
          const key = `worker died: ${err.message.split('\n')[0]}`;
          tally.messages.set(key, (tally.messages.get(key) ?? 0) + 1);
          lost(`${err.stack ?? err.message}`);
        });
        worker.on('exit', () => finish(o.inputs));
      });
    }
  } finally {
    tally.ms = performance.now() - started;
    rmSync(tmp, { recursive: true, force: true });
  }
}

function existsDir(path: string): boolean {
  try {
    readdirSync(path);
    return true;
  } catch {
    return false;
  }
}

function line(t: Tally): string {
  const rate = t.ms > 0 ? (t.ran / (t.ms / 1000)).toFixed(0) : '0';
  return `${t.reader.padEnd(9)} ${String(t.ran).padStart(8)} inputs  ${(t.ms / 1000).toFixed(1).padStart(7)} s  ${rate.padStart(6)} inputs/s  ${String(t.crashes).padStart(4)} crashes  ${String(t.hangs).padStart(4)} hangs`;
}

async function campaign(args: string[]): Promise<number> {
  const inputs = Number(option(args, 'inputs', '10000'));
  const readers = option(args, 'readers', READERS.join(',')).split(',') as Reader[];
  const bad = readers.find((r) => !READERS.includes(r));
  if (!Number.isSafeInteger(inputs) || inputs < 1 || bad !== undefined) {
    process.stderr.write(`fuzz: usage: npm run fuzz -- [--inputs N] [--readers ${READERS.join(',')}] [--seed N] [--timeout MS] [--minutes M] [--jobs J] [--out DIR]\n`);
    return 2;
  }
  const seed = Number(option(args, 'seed', '10'));
  const timeout = Number(option(args, 'timeout', '2000'));
  const minutes = Number(option(args, 'minutes', '0'));
  const jobs = Math.max(1, Number(option(args, 'jobs', '2')));
  const out = option(args, 'out', join(ROOT, 'fuzz-out'));
  const deadline = minutes > 0 ? Date.now() + minutes * 60_000 : Number.POSITIVE_INFINITY;
  const seeds = await makeSeeds();
  const tallies = readers.map((reader): Tally => ({ reader, ran: 0, crashes: 0, hangs: 0, messages: new Map(), ms: 0 }));
  process.stdout.write(`fuzz: ${inputs} inputs per reader (${readers.join(', ')}), seed ${seed}, hang past ${timeout} ms${minutes > 0 ? `, at most ${minutes} min` : ''}; failing inputs go to ${out}\n`);
  const progress = setInterval(() => process.stdout.write(`  ${tallies.map((t) => `${t.reader} ${t.ran}`).join(', ')}\n`), 30_000);
  const queue = [...tallies];
  await Promise.all(
    Array.from({ length: jobs }, async () => {
      for (let t = queue.shift(); t !== undefined; t = queue.shift()) await runReader(t.reader, seeds[t.reader], { inputs, seed, timeout, out, deadline }, t);
    }),
  );
  clearInterval(progress);
  process.stdout.write(`\n${tallies.map(line).join('\n')}\n`);
  for (const t of tallies) for (const [message, n] of t.messages) process.stdout.write(`  ${t.reader}: ${n} x ${message}\n`);
  return tallies.some((t) => t.crashes + t.hangs > 0) ? 1 : 0;
}

if (isMainThread) {
  process.exitCode = await campaign(process.argv.slice(2));
} else {
  await workerLoop(workerData as Job);
}
