// Scenario file text -> a validated ScenarioFile, or a ScenarioFileError naming each problem's file, line
// and column, what was expected and what was found. YAML and JSON both go through the YAML parser (JSON
// is YAML 1.2), so both get positions. Guards: a size cap, a nesting cap checked before parsing (a deeply
// nested JSON would otherwise exhaust the stack), and the YAML library's alias cap (a "billion laughs" bomb).
import { LineCounter, isMap, isNode, isPair, isScalar, parseDocument, type Document } from 'yaml';
import type * as z from 'zod';
import { ScenarioFileError, type Problem } from './errors.js';
import { allowedKeys } from './keys.js';
import { MAX_VALUES } from './limits.js';
import { scenarioSchema, type ScenarioFile } from './schema.js';
import { checkSemantics } from './semantics.js';
import { describe } from './steps.js';

export const MAX_FILE_BYTES = 1024 * 1024;
export const MAX_NESTING = 64;
const MAX_ALIASES = 100;
const MAX_PROBLEMS = 20;

export function parseScenarioText(text: string, file: string): ScenarioFile {
  const fail = (message: string, line = 1, col = 1): never => {
    throw new ScenarioFileError(file, [{ line, col, message }]);
  };
  if (text.length > MAX_FILE_BYTES) fail(`the file is ${text.length} bytes; a scenario file may hold at most ${MAX_FILE_BYTES}`);
  if (text.trim() === '') fail('the file is empty: expected a scenario (summary, hosts, programs)');
  const deep = nestingTooDeep(text);
  if (deep) fail(`nesting deeper than ${MAX_NESTING} levels: expected a scenario, found deeply nested brackets`, deep.line, deep.col);

  const lineCounter = new LineCounter();
  // logLevel 'error': the yaml library would print its warnings (a collection used as a key) straight to stderr.
  const doc = parseDocument(text, { lineCounter, prettyErrors: true, uniqueKeys: true, logLevel: 'error' });
  if (doc.errors.length > 0) {
    throw new ScenarioFileError(file, doc.errors.slice(0, MAX_PROBLEMS).map((e) => ({
      line: e.linePos?.[0].line ?? 1,
      col: e.linePos?.[0].col ?? 1,
      message: `YAML: ${e.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '')}`,
    })));
  }
  let raw: unknown;
  try {
    raw = doc.toJS({ maxAliasCount: MAX_ALIASES });
  } catch (e) {
    fail(/alias/i.test((e as Error).message) ? `too many aliases (more than ${MAX_ALIASES}): a YAML alias bomb?` : `YAML: ${(e as Error).message}`);
  }
  if (raw === null || raw === undefined) fail('the file is empty: expected a scenario (summary, hosts, programs)');
  if (typeof raw !== 'object' || Array.isArray(raw)) fail(`expected a map of scenario keys (summary, hosts, programs), found ${describe(raw)}`);
  const size = measure(raw);
  if (size.depth > MAX_NESTING) fail(`nesting deeper than ${MAX_NESTING} levels: expected a scenario, found deeply nested maps or lists`);
  // Aliases under the alias cap can still repeat a large map many times (every alias is a full copy to check and run).
  if (size.values > MAX_VALUES) fail(`the file holds more than ${MAX_VALUES} values once its YAML aliases are expanded: expected a scenario that size at most`);

  const result = scenarioSchema.safeParse(raw);
  const where = (path: readonly PropertyKey[], key?: boolean) => position(doc, lineCounter, path, key);
  if (!result.success) {
    const problems = result.error.issues.flatMap((issue) => problemsOf(issue, raw, where));
    throw new ScenarioFileError(file, dedupe(problems).slice(0, MAX_PROBLEMS));
  }
  const semantic = checkSemantics(result.data);
  if (semantic.length > 0) {
    throw new ScenarioFileError(file, semantic.slice(0, MAX_PROBLEMS).map((p) => ({ ...where(p.path), message: p.message })));
  }
  return result.data;
}

type Where = (path: readonly PropertyKey[], key?: boolean) => { line: number; col: number };

/** One zod issue as readable problems (a union issue becomes the problems of its closest branch). */
function problemsOf(issue: z.core.$ZodIssue, root: unknown, where: Where): Problem[] {
  const path = issue.path;
  const found = valueAt(root, path);
  switch (issue.code) {
    case 'invalid_union': {
      const branches = issue.errors;
      // The branch that got furthest: the one whose issues are not a type mismatch at the union itself.
      const best = branches.find((b) => !b.some((i) => i.code === 'invalid_type' && i.path.length === 0)) ?? branches[0] ?? [];
      if (best.length === 0) return [{ ...where(path), message: `unexpected ${describe(found)}` }];
      if (best.every((i) => i.code === 'invalid_type' && i.path.length === 0)) {
        const expected = [...new Set(branches.flatMap((b) => b.filter((i) => i.code === 'invalid_type').map((i) => (i as { expected: string }).expected)))];
        return [{ ...where(path), message: `expected ${expected.join(' or ')}, found ${describe(found)}` }];
      }
      return best.flatMap((i) => problemsOf({ ...i, path: [...path, ...i.path] } as z.core.$ZodIssue, root, where));
    }
    case 'unrecognized_keys':
      return issue.keys.map((key) => {
        const allowed = allowedKeys(path);
        return { ...where([...path, key], true), message: `unknown key "${key}"${allowed ? ` (expected one of: ${allowed.join(', ')})` : ''}` };
      });
    case 'invalid_type':
      if (found === undefined) {
        return [{ ...where(path.slice(0, -1)), message: `missing required key "${String(path[path.length - 1])}" (expected ${issue.expected})` }];
      }
      return [{ ...where(path), message: `expected ${issue.expected}, found ${describe(found)}` }];
    case 'invalid_value':
      return [{ ...where(path), message: `expected one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}, found ${describe(found)}` }];
    case 'too_small':
    case 'too_big': {
      const bound = issue.code === 'too_small' ? `at least ${String(issue.minimum)}` : `at most ${String(issue.maximum)}`;
      const what = issue.origin === 'array' ? `a list of ${bound} items` : issue.origin === 'string' ? `text of ${bound} characters` : `a number ${bound}`;
      return [{ ...where(path), message: `expected ${what}, found ${describe(found)}` }];
    }
    case 'invalid_format':
      return [{ ...where(path), message: `expected ${issue.message}, found ${describe(found)}` }];
    default:
      // "unknown knob ..." points at the key; other custom problems at the value.
      return [{ ...where(path, issue.message.startsWith('unknown ')), message: issue.message }];
  }
}

/**
 * How deep maps and lists nest, and how many values they hold with aliases expanded (a value an alias
 * shares is counted each time). Iterative, so any depth is safe to measure; stops early past either limit.
 */
function measure(root: unknown): { depth: number; values: number } {
  let depth = 0;
  let values = 0;
  const stack: Array<[unknown, number]> = [[root, 1]];
  while (stack.length > 0) {
    const [v, d] = stack.pop()!;
    if (++values > MAX_VALUES) break;
    if (typeof v !== 'object' || v === null) continue;
    depth = Math.max(depth, d);
    if (d > MAX_NESTING) break;
    for (const child of Object.values(v)) stack.push([child, d + 1]);
  }
  return { depth, values };
}

function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  let v = root;
  for (const k of path) {
    if (typeof v !== 'object' || v === null || !Object.hasOwn(v, k)) return undefined;
    v = (v as Record<PropertyKey, unknown>)[k];
  }
  return v;
}

/** Line and column of the node at `path` (its key when `key`), or of the nearest ancestor that exists. */
function position(doc: Document, lc: LineCounter, path: readonly PropertyKey[], key = false): { line: number; col: number } {
  for (let n = path.length; n >= 0; n--) {
    const prefix = path.slice(0, n);
    if (key && n === path.length && n > 0) {
      const parent = prefix.length > 1 ? doc.getIn(prefix.slice(0, -1), true) : doc.contents;
      if (isMap(parent)) {
        const pair = parent.items.find((p) => isPair(p) && isScalar(p.key) && String(p.key.value) === String(prefix[prefix.length - 1]));
        if (pair && isNode(pair.key) && pair.key.range) return lc.linePos(pair.key.range[0]);
      }
      continue;
    }
    const node = n === 0 ? doc.contents : doc.getIn(prefix as unknown[], true);
    if (isNode(node) && node.range) return lc.linePos(node.range[0]);
  }
  return { line: 1, col: 1 };
}

function dedupe(problems: Problem[]): Problem[] {
  const seen = new Set<string>();
  return problems.filter((p) => {
    const k = `${p.line}:${p.col}:${p.message}`;
    return seen.has(k) ? false : (seen.add(k), true);
  });
}

/** Where flow brackets nest deeper than MAX_NESTING (outside quoted strings and comments), if they do. */
function nestingTooDeep(text: string): { line: number; col: number } | undefined {
  let depth = 0;
  let line = 1;
  let col = 0;
  let quote: string | undefined;
  let comment = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    col++;
    if (c === '\n') {
      line++;
      col = 0;
      comment = false;
      continue;
    }
    if (comment) continue;
    if (quote) {
      if (c === '\\' && quote === '"') i++;
      else if (c === quote) quote = undefined;
      continue;
    }
    if ((c === '"' || c === "'") && /[\s:[{,-]/.test(text[i - 1] ?? ' ')) quote = c;
    else if (c === '#' && (i === 0 || /\s/.test(text[i - 1]!))) comment = true;
    else if (c === '[' || c === '{') {
      if (++depth > MAX_NESTING) return { line, col };
    } else if (c === ']' || c === '}') depth = Math.max(0, depth - 1);
  }
  return undefined;
}

/**
 * A scenario already in memory as plain data (what parsing a file's YAML gives): the file it stands for, or
 * undefined when it is not a valid scenario (parseScenarioText of its text then says where and why). For a
 * caller that made the value itself (synack check's random scenarios) and keeps the text only to show it.
 */
export function parseScenarioValue(raw: unknown): ScenarioFile | undefined {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) return undefined;
  const size = measure(raw);
  if (size.depth > MAX_NESTING || size.values > MAX_VALUES) return undefined;
  const result = scenarioSchema.safeParse(raw);
  if (!result.success || checkSemantics(result.data).length > 0) return undefined;
  return result.data;
}
