// The yaml library warns on its own (process.emitWarning / console.warn) about some inputs, e.g. a collection used
// as a key. That would put the user's raw bytes on the terminal past the CLI's output filter: it must stay quiet,
// and the problem be reported as a ScenarioFileError like any other.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ScenarioFileError } from '../../../src/scenarios/file/errors.js';
import { parseScenarioText } from '../../../src/scenarios/file/parse.js';

describe('yaml warnings', () => {
  afterEach(() => vi.restoreAllMocks());

  it('a collection used as a key is a ScenarioFileError, and nothing is printed behind the CLI', () => {
    const emit = vi.spyOn(process, 'emitWarning').mockImplementation(() => {});
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const text = 'summary: x\n? [a, "\\x1b]0;pwned\\x07"]\n: 1\nhosts: { a: { address: 10.0.0.1 } }\nprograms: []\n';
    expect(() => parseScenarioText(text, 'k.yaml')).toThrow(ScenarioFileError);
    expect(emit).not.toHaveBeenCalled();
    expect(warn).not.toHaveBeenCalled();
  });
});
