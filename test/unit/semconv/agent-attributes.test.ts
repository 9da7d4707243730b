import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import {
  constantSuffix,
  generateFromDisk,
  MANIFEST_PATH,
  OUTPUT_PATH,
  parseRegistry,
  REGISTRY_PATH,
  renderAgentAttributes,
} from '../../../scripts/generate-semconv.ts';
import * as generated from '../../../src/semconv/agent-attributes.ts';

const registryYaml = readFileSync(REGISTRY_PATH, 'utf8');
const manifestYaml = readFileSync(MANIFEST_PATH, 'utf8');

describe('semconv registry and generated constants', () => {
  it('src/semconv/agent-attributes.ts is what the registry generates (run `npm run semconv`)', () => {
    expect(readFileSync(OUTPUT_PATH, 'utf8')).toBe(generateFromDisk());
  });

  it('has a constant for every registry attribute and enum member', () => {
    const exported = generated as Record<string, unknown>;
    const groups = (parse(registryYaml) as { groups: { type: string; attributes?: { id?: string; type: unknown }[] }[] }).groups;
    const attributes = groups.filter((g) => g.type === 'attribute_group').flatMap((g) => g.attributes ?? []);
    expect(attributes).toHaveLength(19);
    for (const attribute of attributes) {
      const id = String(attribute.id);
      expect(exported[`ATTR_${constantSuffix(id)}`], id).toBe(id);
      const members = typeof attribute.type === 'object' ? (attribute.type as { members: { id: string; value: string }[] }).members : [];
      for (const member of members) expect(exported[`${constantSuffix(id)}_VALUE_${constantSuffix(member.id)}`]).toBe(member.value);
    }
    expect(generated.EVENT_AGENT_OUTCOME).toBe('agent.outcome');
  });

  it('covers every attribute of the DESIGN.md table', () => {
    const ids = parseRegistry(registryYaml, manifestYaml).attributes.map((a) => a.id);
    expect(ids.sort()).toEqual(
      [
        'agent.id', 'agent.name', 'agent.role', 'agent.session.id', 'agent.task.id', 'agent.intent', 'agent.confidence',
        'agent.tool.name', 'agent.tool.args_hash', 'agent.data.classes', 'agent.data.access', 'agent.target',
        'agent.delegation.from', 'agent.action.tier', 'agent.approval.id', 'agent.cost.usd',
        'agent.outcome.name', 'agent.outcome.value', 'agent.outcome.success',
      ].sort(),
    );
    expect(generated.AGENT_DATA_ACCESS_VALUE_DELETE).toBe('delete');
    expect(generated.AGENT_ACTION_TIER_VALUE_BLOCKED).toBe('blocked');
  });

  it('names the upstream GenAI conventions release it builds on', () => {
    expect(parseRegistry(registryYaml, manifestYaml).upstreamVersion).toBe('1.41.1');
    expect(generated.UPSTREAM_SEMCONV_VERSION).toBe('1.41.1');
    expect(readFileSync(OUTPUT_PATH, 'utf8')).toContain('semantic conventions\n// v1.41.1');
  });

  it('refuses a registry it cannot render faithfully', () => {
    const bad = (yaml: string) => () => renderAgentAttributes(parseRegistry(yaml, manifestYaml));
    expect(bad('groups:\n  - id: g\n    type: attribute_group\n    attributes:\n      - {id: agent.x, type: float, brief: b, stability: development}')).toThrow(/unsupported type/);
    expect(bad("groups:\n  - id: g\n    type: attribute_group\n    attributes:\n      - {id: \"agent.x'\", type: string, brief: b, stability: development}")).toThrow(/dotted name/);
    expect(
      bad('groups:\n  - id: g\n    type: attribute_group\n    attributes:\n      - {id: a.b, type: string, brief: b, stability: development}\n      - {id: a.b, type: string, brief: b, stability: development}'),
    ).toThrow(/twice/);
  });
});
