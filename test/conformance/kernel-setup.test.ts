// Scenario knobs, faults and MTUs as a kernel namespace takes them, and what is refused.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseScenarioText } from '../../src/scenarios/file/parse.js';
import { loopbackAvailable } from '../support/netns/run.js';
import { describeWithTool } from '../support/requires-tool.js';
import { mtuFor, nftFor, NotReproducible, sysctlsFor } from './kernel-setup.js';

const file = (extra: string) =>
  parseScenarioText(`summary: s\nhosts:\n  client: { address: 10.0.0.1 }\n  server: { address: 10.0.0.2 }\n${extra}`, 'k.yaml');
const addresses: Record<string, string> = { client: '127.0.0.11', server: '127.0.0.12', '10.0.0.1': '127.0.0.11', '10.0.0.2': '127.0.0.12' };
const addressOf = (h: string) => addresses[h];

describe('sysctlsFor', () => {
  it('gives each knob under its Linux name, in the sysctl units', () => {
    const f = file('knobs: { tcp_fin_timeout: 2, tcp_syn_retries: 3, tcp_sack: 0, somaxconn: 16, ip_local_port_range: "40000 40009" }');
    expect(sysctlsFor(f)).toEqual({
      'net.ipv4.tcp_fin_timeout': '2',
      'net.ipv4.tcp_syn_retries': '3',
      'net.ipv4.tcp_sack': '0',
      'net.core.somaxconn': '16',
      'net.ipv4.ip_local_port_range': '40000 40009',
    });
  });

  it('refuses a knob with no sysctl, hosts that disagree, and a host pinned to rfc9293', () => {
    expect(() => sysctlsFor(file('knobs: { initialRto: 0.5 }'))).toThrow(/initialRto.*no Linux sysctl/);
    const disagree = parseScenarioText('summary: s\nhosts:\n  a: { address: 10.0.0.1, knobs: { tcp_fin_timeout: 5 } }\n  b: { address: 10.0.0.2 }\n', 'k.yaml');
    expect(() => sysctlsFor(disagree)).toThrow(/hosts disagree on net.ipv4.tcp_fin_timeout/);
    const pinned = parseScenarioText('summary: s\nhosts:\n  a: { address: 10.0.0.1, profile: rfc9293 }\n  b: { address: 10.0.0.2 }\n', 'k.yaml');
    expect(() => sysctlsFor(pinned)).toThrow(NotReproducible);
  });
});

describe('mtuFor', () => {
  it('is 1500 by default and refuses hosts with different MTUs', () => {
    expect(mtuFor(file(''))).toBe(1500);
    const mixed = parseScenarioText('summary: s\nhosts:\n  a: { address: 10.0.0.1, mtu: 9000 }\n  b: { address: 10.0.0.2 }\n', 'k.yaml');
    expect(() => mtuFor(mixed)).toThrow(/different MTUs/);
  });
});

describe('nftFor', () => {
  it('has no ruleset without faults', () => {
    expect(nftFor(file(''), addressOf)).toBeUndefined();
  });

  it('counts matches with the rule\'s own numgen counter: the Nth match is value N-1', () => {
    const rules = nftFor(file('faults: [ drop 1st SYN-ACK, "drop 2nd to 4th FIN from client", "drop 3rd and later pure ACK to server" ]'), addressOf)!;
    expect(rules).toContain('tcp flags == (syn | ack) numgen inc mod 4000000000 0 counter drop');
    expect(rules).toMatch(/ip saddr 127\.0\.0\.11 tcp flags & fin == fin numgen inc mod 4000000000 1-3 counter drop/);
    expect(rules).toMatch(/ip daddr 127\.0\.0\.12 tcp flags == ack meta mark != 1 numgen inc mod 4000000000 >= 2 counter drop/);
    // "pure ACK" needs to know which segments carry data: the marking rules come first.
    expect(rules.indexOf('meta mark set 1')).toBeLessThan(rules.indexOf('meta mark != 1'));
  });

  it('refuses what the kernel cannot do here', () => {
    expect(() => nftFor(file('faults: [ "delay 1st SYN by 100ms" ]'), addressOf)).toThrow(/netem/);
    expect(() => nftFor(file('faults: [ { action: drop, seq: 1000 } ]'), addressOf)).toThrow(/ISNs are random/);
    expect(() => nftFor(file('faults: [ drop 1st SYN from client ]'), () => undefined)).toThrow(/not a host/);
  });
});

const root = loopbackAvailable();
describeWithTool('root and nft', root.ok)('the generated ruleset on the real nft', () => {
  it('is accepted by `nft --check` inside a fresh namespace', () => {
    const rules = nftFor(file('faults: [ drop 1st SYN-ACK, "drop 2nd to 4th FIN from client", "drop 3rd and later pure ACK to server", "drop every data from server" ]'), addressOf)!;
    const path = join(mkdtempSync(join(tmpdir(), 'synack-nft-')), 'rules.nft');
    writeFileSync(path, rules);
    const r = spawnSync('unshare', ['-n', 'nft', '--check', '-f', path], { encoding: 'utf8' });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
  });
});
