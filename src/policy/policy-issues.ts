import { isMap, isScalar, isSeq, type Document, type LineCounter, type Node, type YAMLError } from 'yaml';
import type { z } from 'zod';
import { closestName, fieldsAt } from './field-suggestion.ts';

// Schema and syntax problems as lines a person can act on:
// `policy.yaml:14:7: agents[0].budget.usd_per_hour: expected number, got "five"`.

interface Located {
  offset: number;
  text: string;
}

/** The first YAML syntax error (later ones are mostly its echo), without yaml's own position. */
export function formatYamlError(error: YAMLError, source: string): string {
  const position = error.linePos?.[0] ?? { line: 1, col: 1 };
  const message = error.message.replace(/ at line \d+, column \d+:[\s\S]*$/, '');
  return `${source}:${position.line}:${position.col}: YAML syntax: ${message}`;
}

/** One line per issue, in file order. */
export function formatPolicyIssues(issues: readonly z.core.$ZodIssue[], schema: z.ZodType, doc: Document, lineCounter: LineCounter, source: string): string {
  const located = issues.flatMap((issue) => describeIssue(issue, schema, doc));
  located.sort((a, b) => a.offset - b.offset);
  return located
    .map(({ offset, text }) => {
      const { line, col } = lineCounter.linePos(offset);
      return `${source}:${line}:${col}: ${text}`;
    })
    .join('\n');
}

function describeIssue(issue: z.core.$ZodIssue, schema: z.ZodType, doc: Document): Located[] {
  const node = nodeAt(doc, issue.path);
  const at = (text: string): Located => ({ offset: node?.range?.[0] ?? 0, text: `${formatPath(issue.path)}: ${text}` });
  switch (issue.code) {
    case 'unrecognized_keys': {
      const known = fieldsAt(schema, issue.path);
      return issue.keys.map((key) => {
        const guess = closestName(key, known);
        const hint = guess !== undefined ? `did you mean "${guess}"?` : `expected one of ${known.join(', ')}`;
        const keyNode = isMap(node) ? node.items.find((pair) => isScalar(pair.key) && String(pair.key.value) === key)?.key : undefined;
        const offset = (keyNode as Node | undefined)?.range?.[0] ?? node?.range?.[0] ?? 0;
        return { offset, text: `${formatPath([...issue.path, key])}: unknown field (${hint})` };
      });
    }
    case 'invalid_type':
      // Only a missing required field is `undefined`: YAML has no such value.
      if (issue.input === undefined) return [at('required field is missing')];
      return [at(`expected ${typeName(issue.expected)}, got ${show(issue.input)}`)];
    case 'invalid_value': {
      const values = issue.values.map(String);
      const guess = typeof issue.input === 'string' ? closestName(issue.input, values) : undefined;
      return [at(`expected one of ${values.join(', ')}, got ${show(issue.input)}${guess !== undefined ? ` (did you mean ${guess}?)` : ''}`)];
    }
    case 'too_small':
      if (issue.origin === 'string') return [at('must not be empty')];
      return [at(`must be ${issue.inclusive ? '>=' : '>'} ${issue.minimum}, got ${show(issue.input)}`)];
    case 'too_big':
      return [at(`must be ${issue.inclusive ? '<=' : '<'} ${issue.maximum}, got ${show(issue.input)}`)];
    default:
      return [at(issue.message)];
  }
}

/** The node at `path`, or its deepest existing ancestor (a missing field points at its parent). */
function nodeAt(doc: Document, path: readonly PropertyKey[]): Node | null {
  let node = doc.contents as Node | null;
  for (const key of path) {
    if (isMap(node)) {
      const pair = node.items.find((item) => isScalar(item.key) && String(item.key.value) === String(key));
      if (pair === undefined) break;
      // `budget:` with nothing after it has no value node; point at the key.
      node = (pair.value ?? pair.key) as Node;
    } else if (isSeq(node) && typeof key === 'number' && node.items[key] !== undefined) {
      node = node.items[key] as Node;
    } else break;
  }
  return node;
}

export function formatPath(path: readonly PropertyKey[]): string {
  const text = path.map((key) => (typeof key === 'number' ? `[${key}]` : `.${String(key)}`)).join('');
  return text.replace(/^\./, '') || '(top level)';
}

const TYPE_NAMES: Readonly<Record<string, string>> = { int: 'an integer', object: 'a mapping', array: 'a list', boolean: 'true or false' };

function typeName(expected: string): string {
  return TYPE_NAMES[expected] ?? expected;
}

function show(value: unknown): string {
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object' && value !== null) return 'a mapping';
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  return String(value);
}
