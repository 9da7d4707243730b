// Generates src/semconv/agent-attributes.ts from semconv/registry.yaml, the way OpenTelemetry
// JS generates its semantic-convention constants: code never spells an agent.* name itself.
// Run with `npm run semconv`; test/unit/semconv fails when the registry and the file disagree.
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';

const ROOT = path.resolve(import.meta.dirname, '..');
export const REGISTRY_PATH = path.join(ROOT, 'semconv', 'registry.yaml');
export const MANIFEST_PATH = path.join(ROOT, 'semconv', 'registry_manifest.yaml');
export const OUTPUT_PATH = path.join(ROOT, 'src', 'semconv', 'agent-attributes.ts');

const PRIMITIVE_TYPES = new Set(['string', 'string[]', 'double', 'boolean', 'int']);
const LINE_WIDTH = 100;

interface EnumMember {
  id: string;
  value: string;
  brief: string;
}

interface RegistryAttribute {
  id: string;
  type: string;
  members: EnumMember[];
  brief: string;
  note: string;
  examples: unknown[];
  stability: string;
}

interface RegistryEvent {
  name: string;
  brief: string;
}

export interface ParsedRegistry {
  wardenVersion: string;
  upstreamVersion: string;
  attributes: RegistryAttribute[];
  events: RegistryEvent[];
}

function fail(message: string): never {
  throw new Error(`semconv registry: ${message}`);
}

function asRecord(value: unknown, what: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) fail(`${what} must be a mapping`);
  return value as Record<string, unknown>;
}

function asString(value: unknown, what: string): string {
  if (typeof value !== 'string' || value.trim() === '') fail(`${what} must be a non-empty string`);
  return value.trim();
}

// Names end up inside quotes in generated code, so only the characters conventions use.
const NAME = /^[a-z][a-z0-9_]*(\.[a-z0-9_]+)*$/;

function asName(value: unknown, what: string): string {
  const name = asString(value, what);
  if (!NAME.test(name)) fail(`${what} "${name}" is not a lowercase dotted name`);
  return name;
}

function parseAttribute(raw: unknown, groupId: string): RegistryAttribute {
  const a = asRecord(raw, `an attribute of ${groupId}`);
  const id = asName(a['id'], `id of an attribute in ${groupId}`);
  let type: string;
  let members: EnumMember[] = [];
  if (typeof a['type'] === 'string') {
    type = a['type'];
    if (!PRIMITIVE_TYPES.has(type)) fail(`${id}: unsupported type ${type}`);
  } else {
    const rawMembers = asRecord(a['type'], `type of ${id}`)['members'];
    if (!Array.isArray(rawMembers) || rawMembers.length === 0) fail(`${id}: an enum type needs members`);
    type = 'enum';
    members = rawMembers.map((m) => {
      const member = asRecord(m, `a member of ${id}`);
      return {
        id: asName(member['id'], `member id of ${id}`),
        value: asName(member['value'], `member value of ${id}`),
        brief: asString(member['brief'], `member brief of ${id}`),
      };
    });
  }
  const examples = a['examples'];
  return {
    id,
    type,
    members,
    brief: asString(a['brief'], `brief of ${id}`),
    note: typeof a['note'] === 'string' ? a['note'].trim() : '',
    examples: Array.isArray(examples) ? examples : examples === undefined ? [] : [examples],
    stability: asString(a['stability'], `stability of ${id}`),
  };
}

export function parseRegistry(registryYaml: string, manifestYaml: string): ParsedRegistry {
  const manifest = asRecord(parse(manifestYaml), 'the manifest');
  const dependencies = manifest['dependencies'];
  const otel = Array.isArray(dependencies)
    ? dependencies.map((d) => asRecord(d, 'a dependency')).find((d) => d['name'] === 'otel')
    : undefined;
  const registryPath = asString(otel?.['registry_path'], 'the otel dependency registry_path');
  const tag = /\/tags\/v(\d+\.\d+\.\d+)/.exec(registryPath)?.[1] ?? fail('the otel registry_path names no release tag');

  const groups = asRecord(parse(registryYaml), 'the registry')['groups'];
  if (!Array.isArray(groups)) fail('groups must be a list');
  const attributes: RegistryAttribute[] = [];
  const events: RegistryEvent[] = [];
  const seen = new Set<string>();
  for (const rawGroup of groups) {
    const group = asRecord(rawGroup, 'a group');
    const groupId = asString(group['id'], 'a group id');
    if (group['type'] === 'event') {
      events.push({ name: asName(group['name'], `name of ${groupId}`), brief: asString(group['brief'], `brief of ${groupId}`) });
      continue;
    }
    if (group['type'] !== 'attribute_group') fail(`${groupId}: unsupported group type ${String(group['type'])}`);
    const rawAttributes = group['attributes'];
    if (!Array.isArray(rawAttributes)) fail(`${groupId}: attributes must be a list`);
    for (const raw of rawAttributes) {
      const attribute = parseAttribute(raw, groupId);
      if (seen.has(attribute.id)) fail(`${attribute.id} is defined twice`);
      seen.add(attribute.id);
      attributes.push(attribute);
    }
  }
  return {
    wardenVersion: asString(manifest['semconv_version'], 'semconv_version'),
    upstreamVersion: tag,
    attributes,
    events,
  };
}

/** `agent.tool.args_hash` -> `AGENT_TOOL_ARGS_HASH`. */
export function constantSuffix(id: string): string {
  return id.replaceAll('.', '_').toUpperCase();
}

function wrap(text: string, indent: string): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/)) {
    if (word === '') continue;
    if (line !== '' && indent.length + line.length + 1 + word.length > LINE_WIDTH) {
      lines.push(indent + line);
      line = word;
    } else {
      line = line === '' ? word : `${line} ${word}`;
    }
  }
  if (line !== '') lines.push(indent + line);
  return lines;
}

function renderExample(example: unknown): string {
  return typeof example === 'string' ? example : JSON.stringify(example);
}

function renderAttribute(a: RegistryAttribute): string[] {
  const doc = ['/**', ...wrap(a.brief, ' * ')];
  if (a.note !== '') doc.push(' *', ...wrap(`Note: ${a.note}`, ' * '));
  doc.push(' *', ` * Type: ${a.type === 'enum' ? a.members.map((m) => `\`${m.value}\``).join(' | ') : `\`${a.type}\``}.`);
  for (const example of a.examples) doc.push(` * @example ${renderExample(example)}`);
  if (a.stability !== 'stable') doc.push(` * @experimental Stability: ${a.stability}; may change in a later version.`);
  doc.push(' */', `export const ATTR_${constantSuffix(a.id)} = '${a.id}' as const;`);
  for (const m of a.members) {
    doc.push(
      '',
      ...['/**', ...wrap(`Value \`${m.value}\` of {@link ATTR_${constantSuffix(a.id)}}: ${m.brief}`, ' * '), ' */'],
      `export const ${constantSuffix(a.id)}_VALUE_${constantSuffix(m.id)} = '${m.value}' as const;`,
    );
  }
  return doc;
}

export function renderAgentAttributes(registry: ParsedRegistry): string {
  const out = [
    '// Generated by scripts/generate-semconv.ts from semconv/registry.yaml. Do not edit: change the',
    '// registry and run `npm run semconv` (test/unit/semconv fails while the two disagree).',
    `// Warden agent conventions ${registry.wardenVersion}, built on OpenTelemetry semantic conventions`,
    `// v${registry.upstreamVersion} (GenAI, https://github.com/open-telemetry/semantic-conventions/tree/v${registry.upstreamVersion}/model/gen-ai).`,
    '',
    '/** Version of Warden\'s agent.* registry (semconv/registry_manifest.yaml). */',
    `export const WARDEN_SEMCONV_VERSION = '${registry.wardenVersion}' as const;`,
    '',
    '/** Release of open-telemetry/semantic-conventions whose GenAI conventions this builds on. */',
    `export const UPSTREAM_SEMCONV_VERSION = '${registry.upstreamVersion}' as const;`,
  ];
  for (const attribute of registry.attributes) out.push('', ...renderAttribute(attribute));
  for (const event of registry.events) {
    out.push('', '/**', ...wrap(event.brief, ' * '), ' */', `export const EVENT_${constantSuffix(event.name)} = '${event.name}' as const;`);
  }
  return `${out.join('\n')}\n`;
}

/** Reads the registry files from disk and renders the constants file. */
export function generateFromDisk(): string {
  return renderAgentAttributes(parseRegistry(readFileSync(REGISTRY_PATH, 'utf8'), readFileSync(MANIFEST_PATH, 'utf8')));
}

if (process.argv[1] !== undefined && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  writeFileSync(OUTPUT_PATH, generateFromDisk());
  console.log(`wrote ${path.relative(ROOT, OUTPUT_PATH)}`);
}
