// Every conformance case, run in the simulator and on this machine's kernel, must match: packets (normalised and
// diffed by src/diff), call results and socket states at the marks. Cases run concurrently, each in its own network
// namespace. Without root/ip/tcpdump/nft the suite prints one line naming what was skipped and why; with CI=true that
// is a failure instead. SYNACK_WRITE_CONFORMANCE=1 (npm run conformance) rewrites docs/conformance.md from the run;
// SYNACK_CONFORMANCE_KEEP=1 keeps every case's model trace and kernel capture (not only a mismatching one's).
import { mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loopbackAvailable } from '../support/netns/run.js';
import { describeWithTool } from '../support/requires-tool.js';
import { CASES } from './cases.js';
import { runCase } from './harness.js';
import type { CaseOutcome } from './harness.js';
import { conformanceDoc, DOC_PATH } from './report.js';

const available = loopbackAvailable();
const outcomes: CaseOutcome[] = [];
const failures = new Map<string, string>();

/** Keeps both sides of a mismatching case where `synack diff` can read them. */
function keepFiles(o: CaseOutcome): string {
  const dir = join(tmpdir(), 'synack-conformance', o.name);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'model.json'), JSON.stringify(o.sim.trace));
  writeFileSync(join(dir, 'kernel.pcap'), o.real.pcap);
  writeFileSync(join(dir, 'runner-stdout.txt'), o.real.stdout);
  return dir;
}

const missing = available.ok ? '' : `${available.why.replace(/^missing: /, 'is missing here: ')} (the cases skipped: ${CASES.map((c) => c.name).join(', ')})`;
describeWithTool('root, ip, tcpdump, ss and nft', available.ok, missing)(`${CASES.length} kernel conformance cases`, () => {
  // package.json runs this file with --maxConcurrency 3: more namespaces at a time on a 2-CPU machine make the
  // programs late enough to change what the kernel sends (a FIN's ACK sent alone because close() came after the
  // ACK timer).
  describe.concurrent('conformance with the kernel (linux profile vs this machine)', () => {
    for (const c of CASES) {
      it(c.name, { timeout: 120_000 }, async () => {
        let outcome: CaseOutcome;
        try {
          outcome = await runCase(c);
        } catch (e) {
          failures.set(c.name, (e as Error).message.split('\n')[0]!);
          throw e;
        }
        outcomes.push(outcome);
        const dir = !outcome.same || process.env.SYNACK_CONFORMANCE_KEEP === '1' ? keepFiles(outcome) : undefined;
        if (!outcome.same) {
          expect.fail(`${outcome.report}\n(both sides kept in ${dir}: synack diff ${dir}/model.json ${dir}/kernel.pcap)`);
        }
      });
    }
  });

  afterAll(() => {
    if (process.env.SYNACK_WRITE_CONFORMANCE !== '1') return;
    writeFileSync(DOC_PATH, conformanceDoc(CASES, outcomes, failures));
  });
});
