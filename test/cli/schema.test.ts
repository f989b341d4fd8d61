// `synack schema scenario|trace`: JSON Schemas generated from the zod schemas that read the files (issue 12).
// No JSON Schema validator is installed, so these check the structure against the zod objects and the
// built-in scenario files, key by key.
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { scenarioSchema } from '../../src/scenarios/file/schema.js';
import { CALL_NAMES } from '../../src/scenarios/file/steps.js';
import { capture } from './fake-registry.js';

type Json = Record<string, any>;

const SCENARIOS = resolve(import.meta.dirname, '../../scenarios');
const builtins = readdirSync(SCENARIOS).map((f) => [f, parse(readFileSync(join(SCENARIOS, f), 'utf8')) as Json] as const);

async function schema(kind: string): Promise<Json> {
  const { code, stdout, stderr } = await capture(['schema', kind]);
  expect(stderr).toBe('');
  expect(code).toBe(0);
  return JSON.parse(stdout) as Json;
}

/** The steps of every program, repeat bodies included. */
function stepsOf(file: Json): Json[] {
  const walk = (steps: Json[]): Json[] => steps.flatMap((s) => [s, ...(s.repeat ? walk(s.repeat.steps as Json[]) : [])]);
  return ((file.programs ?? []) as Json[]).flatMap((p) => walk(p.steps as Json[]));
}

describe('synack schema scenario', () => {
  it('is a draft 2020-12 schema whose properties are the zod object keys, closed to others', async () => {
    const s = await schema('scenario');
    expect(s.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
    expect(Object.keys(s.properties as Json).sort()).toEqual(Object.keys(scenarioSchema.shape).sort());
    expect(s.additionalProperties).toBe(false);
  });

  it('requires exactly the keys zod cannot do without', async () => {
    const s = await schema('scenario');
    // A key is optional when its zod schema accepts a missing value (optional, or with a default).
    const required = Object.entries(scenarioSchema.shape)
      .filter(([, field]) => !(field as { safeParse(v: unknown): { success: boolean } }).safeParse(undefined).success)
      .map(([key]) => key);
    expect((s.required as string[]).sort()).toEqual(required.sort());
  });

  it('has a step variant per socket call, each with its call key required', async () => {
    const s = await schema('scenario');
    const variants = s.$defs.step.anyOf as Json[];
    expect(variants.map((v) => (v.required as string[])[0])).toEqual([...CALL_NAMES]);
    const stepsItem = s.properties.programs.items.properties.steps.items as Json;
    expect(stepsItem.$ref).toBe('#/$defs/step');
  });

  it.each(builtins)('covers every key of the built-in %s', async (_name, file) => {
    const s = await schema('scenario');
    for (const key of Object.keys(file)) expect(Object.keys(s.properties as Json)).toContain(key);
    const host = s.properties.hosts.additionalProperties.properties as Json;
    for (const spec of Object.values(file.hosts as Json)) for (const key of Object.keys(spec as Json)) expect(Object.keys(host)).toContain(key);
    const variants = s.$defs.step.anyOf as Json[];
    for (const step of stepsOf(file)) {
      const variant = variants.find((v) => (v.required as string[]).every((k) => k in step));
      expect(variant, JSON.stringify(step)).toBeDefined();
      for (const key of Object.keys(step)) expect(Object.keys(variant!.properties as Json)).toContain(key);
    }
  });

  it('a bad format is a usage error', async () => {
    const { code, stdout, stderr } = await capture(['schema', 'pcap']);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toBe('synack: unknown format "pcap" for "schema"; expected scenario or trace\n');
    expect((await capture(['schema'])).code).toBe(2);
  });
});

describe('synack schema trace', () => {
  it('parses as JSON with $schema, and names the fields of a trace (docs/trace-format.md)', async () => {
    const s = await schema('trace');
    expect(s.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
    expect(s.required).toEqual(expect.arrayContaining(['format', 'version', 'scenario', 'profile', 'seed', 'hosts', 'events']));
    expect(s.properties.format.const).toBe('synack-trace');
    const kinds = (s.properties.events.items.anyOf as Json[]).flatMap((v) => v.properties.kind.const ?? v.properties.kind.enum);
    expect(kinds.sort()).toEqual(['call', 'datagram', 'segment', 'state', 'timer']);
  });
});
