// Tests that need an outside tool (python3, tcpdump, ...). On a user's machine without the tool
// the suite is skipped with one line saying why; with CI=true a missing tool is a failure.
import { spawnSync } from 'node:child_process';
import { describe, it } from 'vitest';

export function toolAvailable(command: string, args: string[] = ['--version']): boolean {
  return spawnSync(command, args, { stdio: 'ignore' }).status === 0;
}

/**
 * `describe` when the tool is there; otherwise a skip (one line on stderr) or, under CI, a failing test.
 * `missing` says what is wrong, after the tool's name (default "is not installed").
 */
export function describeWithTool(tool: string, available: boolean, missing = 'is not installed'): (name: string, body: () => void) => void {
  if (available) return (name, body) => describe(name, body);
  if (process.env.CI === 'true') {
    return (name) =>
      describe(name, () => {
        it(`needs ${tool}`, () => {
          throw new Error(`${tool} ${missing}; with CI=true no test may be skipped (.ci/run installs it)`);
        });
      });
  }
  return (name, body) => {
    process.stderr.write(`skipped: "${name}" needs ${tool}, which ${missing}\n`);
    describe.skip(name, body);
  };
}
