// `synack schema scenario|trace`: the JSON Schema of a file format, generated from the zod schema that reads it.
import { scenarioJsonSchema } from '../scenarios/file/json-schema.js';
import { traceJsonSchema } from '../replay/trace-json.js';
import { UsageError } from './errors.js';

const SCHEMAS: Record<string, () => Record<string, unknown>> = { scenario: scenarioJsonSchema, trace: traceJsonSchema };

export function schemaText(kind: string | undefined): string {
  if (kind === undefined) throw new UsageError('"schema" needs a format: scenario or trace');
  const make = Object.hasOwn(SCHEMAS, kind) ? SCHEMAS[kind] : undefined;
  if (make === undefined) throw new UsageError(`unknown format "${kind}" for "schema"; expected scenario or trace`);
  return `${JSON.stringify(make(), null, 2)}\n`;
}
