import { describe, expect, it } from 'vitest';
import { capture } from './fake-registry.js';

describe('synack list', () => {
  it('prints each scenario with its summary, summaries aligned', async () => {
    const { code, stdout, stderr } = await capture(['list']);
    expect(code).toBe(0);
    expect(stderr).toBe('');
    expect(stdout).toBe(
      'three-way-handshake  a client connects to a listening server\n' +
        'connection-refused   connect() to a closed port gets a RST\n' +
        'syn-flood            a flood of SYNs fills the SYN queue\n',
    );
  });

  it('says so when there are no scenarios', async () => {
    const { code, stdout } = await capture(['list'], { scenarios: [], runs: [] });
    expect(code).toBe(0);
    expect(stdout).toMatch(/no built-in scenarios/);
  });

  it('runs no scenario', async () => {
    const registry = (await import('./fake-registry.js')).fakeRegistry();
    await capture(['list'], registry);
    expect(registry.runs).toEqual([]);
  });
});
