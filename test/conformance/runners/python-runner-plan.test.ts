// The python runner without a network: its helpers (filler, framing, errno names, plan checking) called from
// python, and the runner process's mark/end protocol with programs that only sleep. Needs python3 only.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';
import { describeWithTool, toolAvailable } from '../../support/requires-tool.js';

const RUNNER = fileURLToPath(new URL('./scenario_runner.py', import.meta.url));
const describePython = describeWithTool('python3', toolAvailable('python3'));

/** Runs python code with scenario_runner imported as `r`; returns what it prints as JSON. */
function python(code: string): unknown {
  const script = `import sys, json\nsys.dont_write_bytecode = True\nsys.path.insert(0, ${JSON.stringify(dirname(RUNNER))})\nimport scenario_runner as r\n${code}\n`;
  const p = spawnSync('python3', ['-'], { input: script, encoding: 'utf8', timeout: 10_000 });
  if (p.status !== 0) throw new Error(`python failed: ${p.stderr}`);
  return JSON.parse(p.stdout) as unknown;
}

/** check_plan's complaint about each plan, or "accepted". */
function planProblems(plans: unknown[]): string[] {
  return python(`
out = []
for plan in json.loads(${JSON.stringify(JSON.stringify(plans))}):
    try:
        r.check_plan(plan)
        out.append('accepted')
    except r.PlanError as e:
        out.append(str(e))
print(json.dumps(out))`) as string[];
}

interface Driven {
  code: number | null;
  stdout: string[];
  stderr: string;
  /** Wall milliseconds from spawn to exit. */
  ms: number;
}

/** Runs the runner on a plan (an object, raw text, or none), answering each MARK line after `answerAfterMs`. */
function drive(plan: unknown, options: { raw?: boolean; answerAfterMs?: number; closeStdin?: boolean } = {}): Promise<Driven> {
  const dir = mkdtempSync(join(tmpdir(), 'synack-runner-'));
  if (plan !== undefined) writeFileSync(join(dir, 'plan.json'), options.raw ? String(plan) : JSON.stringify(plan));
  const began = Date.now();
  const child = spawn('python3', ['-u', RUNNER], { cwd: dir, stdio: ['pipe', 'pipe', 'pipe'] });
  if (options.closeStdin) child.stdin.end();
  const lines: string[] = [];
  let stderr = '';
  let partial = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    partial += chunk;
    const parts = partial.split('\n');
    partial = parts.pop()!;
    for (const line of parts) {
      lines.push(line);
      if (line.startsWith('MARK ') && !options.closeStdin) setTimeout(() => child.stdin.write('go\n'), options.answerAfterMs ?? 0);
    }
  });
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const killer = setTimeout(() => child.kill('SIGKILL'), 5_000);
  return new Promise((resolve) => {
    child.on('close', (code) => {
      clearTimeout(killer);
      rmSync(dir, { recursive: true, force: true });
      resolve({ code, stdout: lines, stderr, ms: Date.now() - began });
    });
  });
}

const HOSTS = { a: '127.0.0.11', b: '127.0.0.12' };

describePython('scenario_runner.py helpers', () => {
  it('makes filler bytes "abc...z" over and over, and length-prefixed frames', () => {
    expect(python(`print(json.dumps([r.filler(30).decode(), r.filler(0).decode(), r.frame(b'abc').hex(), r.frame(b'').hex()]))`)).toEqual([
      'abcdefghijklmnopqrstuvwxyzabcd',
      '',
      '00000003616263',
      '00000000',
    ]);
  });

  it('names errnos as synack does (EAGAIN not EWOULDBLOCK, EOPNOTSUPP not ENOTSUP), others by their Linux name', () => {
    // Linux x86 numbers: EAGAIN 11, EOPNOTSUPP 95, ECONNRESET 104, EADDRINUSE 98, ETIMEDOUT 110, ENETUNREACH 101.
    expect(python(`print(json.dumps([r.errno_name(n) for n in (11, 95, 104, 98, 110, 101)]))`)).toEqual([
      'EAGAIN',
      'EOPNOTSUPP',
      'ECONNRESET',
      'EADDRINUSE',
      'ETIMEDOUT',
      'ENETUNREACH',
    ]);
  });

  it("takes the linux profile's expectation", () => {
    expect(python(`print(json.dumps([r.expected({'linux': 'EADDRINUSE', 'rfc9293': 'ok'}), r.expected({'rfc9293': 'ok'}), r.expected('any'), r.expected(None)]))`)).toEqual([
      'EADDRINUSE',
      null,
      'any',
      null,
    ]);
  });

  it('fills in the defaults the scenario schema has', () => {
    const plan = {
      hosts: HOSTS,
      programs: [{ host: 'a', steps: [{ call: 'socket', args: { name: 's' } }, { call: 'listen', args: { socket: 's' } }, { call: 'recv', args: { socket: 's' } }] }],
      end: 1000,
    };
    expect(python(`p = r.check_plan(json.loads(${JSON.stringify(JSON.stringify(plan))}))\nprint(json.dumps(p['programs'][0]))`)).toEqual({
      host: 'a',
      name: 'a',
      start: 0,
      steps: [
        { call: 'socket', args: { name: 's', type: 'tcp' } },
        { call: 'listen', args: { socket: 's', backlog: 128 } },
        { call: 'recv', args: { socket: 's', max: 65536 } },
      ],
    });
  });

  it('refuses a bad plan, naming the place and the problem', () => {
    const plan = (steps: unknown[], extra: Record<string, unknown> = {}): unknown => ({ hosts: HOSTS, programs: [{ host: 'a', name: 'a', start: 0, steps }], end: 1000, ...extra });
    const problems = planProblems([
      plan([{ call: 'fork', args: {} }]),
      plan([{ call: 'connect', args: { socket: 's', to: 'nowhere:80' } }]),
      plan([{ call: 'connect', args: { socket: 's', to: '[::1]:80' } }]),
      plan([{ call: 'repeat', times: 2, until: 'eof', steps: [{ call: 'sleep', args: 1 }] }]),
      plan([{ call: 'repeat', until: 'eof', steps: [{ call: 'send', args: { socket: 's', payload: { text: 'x' } } }] }]),
      plan([], { marks: [{ name: 'late', t: 2000 }] }),
      plan([], { marks: [{ name: 'end', t: 10 }] }),
      { hosts: HOSTS, programs: [{ host: 'c', steps: [] }], end: 1000 },
      { hosts: HOSTS, programs: [] },
      plan([{ call: 'bind', args: { socket: 's', port: 80 }, expect: 'EADDRINUSE' }]),
    ]);
    expect(problems[0]).toMatch(/^programs\[0\]\.steps\[0\]: unknown call "fork"/);
    expect(problems[1]).toBe('programs[0].steps[0].connect: expected a host (a, b) or an IPv4 address, found "nowhere"');
    expect(problems[2]).toMatch(/expected an endpoint "host:port" \(IPv4\)/);
    expect(problems[3]).toMatch(/exactly one of times or until/);
    expect(problems[4]).toMatch(/^programs\[0\]\.steps\[0\]\.steps\[0\]\.send: expected payload/);
    expect(problems[5]).toBe('marks[0]: mark "late" at 2000 is after end (1000)');
    expect(problems[6]).toMatch(/mark name "end" is "end" or used twice/);
    expect(problems[7]).toMatch(/^programs\[0\]\.host: expected a host of plan\.hosts/);
    expect(problems[8]).toMatch(/^plan\.end: expected a time in microseconds/);
    expect(problems[9]).toBe('accepted');
  });
});

describePython('scenario_runner.py protocol', () => {
  it('prints marks in time order, each after the answer to the last, then blocked programs and MARK end, and exits at end', async () => {
    const r = await drive({
      hosts: HOSTS,
      programs: [
        { host: 'a', name: 'sleeper', start: 0, steps: [{ call: 'sleep', args: 10_000_000 }] },
        { host: 'b', name: 'quick', start: 0, steps: [{ call: 'wait_until', args: 50_000 }] },
        { host: 'b', name: 'late', start: 5_000_000, steps: [] },
      ],
      marks: [
        { name: 'm2', t: 150_000 },
        { name: 'm1', t: 100_000 },
      ],
      end: 200_000,
    });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toEqual([
      'PROGRAM {"host":"b","program":"quick","status":"done","detail":""}',
      'MARK m1',
      'MARK m2',
      'PROGRAM {"host":"a","program":"sleeper","status":"blocked","detail":"in sleep(10)"}',
      'PROGRAM {"host":"b","program":"late","status":"blocked","detail":"not started (starts at 5s)"}',
      'MARK end',
    ]);
    expect(r.ms).toBeLessThan(2_000); // the 10 s sleep did not hold it up
  });

  it('keeps programs running while a mark waits for its answer', async () => {
    const r = await drive(
      {
        hosts: HOSTS,
        // Wide margins: this runs beside the rest of the suite, which can hold a thread up by tens of ms.
        programs: [{ host: 'a', name: 'p', start: 0, steps: [{ call: 'wait_until', args: 400_000 }, { call: 'socket', args: { name: 's', type: 'tcp' } }] }],
        marks: [{ name: 'slow', t: 20_000 }],
        end: 1_500_000,
      },
      { answerAfterMs: 1_000 },
    );
    expect(r.code).toBe(0);
    expect(r.stdout.slice(0, 2)).toEqual(['MARK slow', expect.stringMatching(/^CALL \{"t":\d+,"made":\d+,"host":"a","program":"p","call":"socket","socket":"s","result":"ok"\}$/)]);
    const t = (JSON.parse(r.stdout[1]!.slice('CALL '.length)) as { t: number }).t;
    expect(t).toBeGreaterThanOrEqual(400_000);
    expect(t).toBeLessThan(900_000); // before the answer came at ~1 s
    expect(r.stdout.at(-1)).toBe('MARK end');
  });

  it('does not hang when stdin is closed', async () => {
    const r = await drive({ hosts: HOSTS, programs: [], marks: [{ name: 'm', t: 10_000 }], end: 50_000 }, { closeStdin: true });
    expect(r.code).toBe(0);
    expect(r.stdout).toEqual(['MARK m', 'MARK end']);
  });

  it('exits 3 with a message for a missing or unreadable plan', async () => {
    const missing = await drive(undefined);
    expect(missing.code).toBe(3);
    expect(missing.stderr).toMatch(/bad plan: cannot read plan\.json/);
    const notJson = await drive('{"hosts": ', { raw: true });
    expect(notJson.code).toBe(3);
    expect(notJson.stderr).toMatch(/bad plan: plan\.json is not JSON/);
    expect(notJson.stdout).toEqual([]);
  });
});
