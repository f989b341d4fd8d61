// The scenario file format as a JSON Schema (`synack schema scenario`), generated from the zod schema that
// reads the files (schema.ts), so editors can check and complete scenario files (docs/scenario-format.md).
// It describes what a file may hold (zod's input side). Two parts are read by hand-written code in zod and are
// spelled out here from the same tables: a step (one call key from CALLS, plus `at`/`expect`) and the knobs.
import * as z from 'zod';
import { KNOB_NAMES } from './knobs.js';
import { knobs, scenarioSchema } from './schema.js';
import { CALLS, CALL_NAMES, repeatArgs, STEP_MODIFIERS, stepSchema } from './steps.js';

export type JsonSchema = Record<string, unknown>;

const STEP_REF = '#/$defs/step';

/** Replaces the two hand-read parts; every other schema is zod's own translation. */
function override(ctx: { zodSchema: unknown; jsonSchema: JsonSchema }): void {
  if (ctx.zodSchema === stepSchema) {
    for (const key of Object.keys(ctx.jsonSchema)) delete ctx.jsonSchema[key];
    ctx.jsonSchema.$ref = STEP_REF;
  } else if (ctx.zodSchema === knobs) {
    Object.assign(ctx.jsonSchema, {
      type: 'object',
      description: 'knobs by sysctl or profile-field name (docs/profiles.md)',
      properties: Object.fromEntries(KNOB_NAMES.map((name) => [name, {}])),
      additionalProperties: false,
    });
  }
}

function part(schema: z.ZodType): JsonSchema {
  const { $schema: _, ...rest } = z.toJSONSchema(schema, { io: 'input', override }) as JsonSchema;
  return rest;
}

/** The JSON Schema (draft 2020-12) of a scenario file. */
export function scenarioJsonSchema(): JsonSchema {
  // The modifiers once, in $defs, referred to from every call's variant.
  const modifierDefs = Object.fromEntries(Object.entries(STEP_MODIFIERS).map(([key, schema]) => [key, part(schema)]));
  const modifiers = Object.fromEntries(Object.keys(STEP_MODIFIERS).map((key) => [key, { $ref: `#/$defs/${key}` }]));
  const step = {
    description: 'one socket call, e.g. {connect: {socket: s, to: "server:80"}}, with an optional "at" and "expect"',
    anyOf: CALL_NAMES.map((call) => ({
      type: 'object',
      properties: { [call]: part(call === 'repeat' ? repeatArgs : CALLS[call]), ...modifiers },
      required: [call],
      additionalProperties: false,
    })),
  };
  const root = z.toJSONSchema(scenarioSchema, { io: 'input', override }) as JsonSchema;
  const { $schema, ...rest } = root;
  return {
    $schema,
    title: 'synack scenario file',
    description: 'A scenario for the synack TCP simulator (docs/scenario-format.md), in YAML or JSON.',
    ...rest,
    $defs: { step, ...modifierDefs },
  };
}
