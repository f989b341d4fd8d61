// The 10-line property docs/api.md shows a user (the same text; the tarball test runs it from the package).
import fc from 'fast-check';
import { test } from 'vitest';
import { arbitraryScenario, runScenario, checkTrace } from '../../src/check/index.js';
test('every run keeps the invariants', async () => {
  await fc.assert(fc.asyncProperty(arbitraryScenario(), async (file) => {
    const { trace } = await runScenario(file, { profile: 'linux', seed: 1 });
    return checkTrace(trace).length === 0;
  }), { numRuns: 20, seed: 1 });
});
