import { createHmac } from 'node:crypto';
import type { AgentSpan } from '../normalizer/agent-span.ts';
import type { AttributeValue, Attributes } from '../otlp/otlp-types.ts';
import { CONTENT_ATTRIBUTE_GLOBS, CONTENT_EVENT_ATTRIBUTES, CONTENT_EVENT_PREFIX } from './content-attributes.ts';
import { BUILTIN_PATTERNS, type BuiltinPatternName, type ValuePattern } from './value-patterns.ts';

export interface RedactionSettings {
  /** Message content: prompts, completions, instructions, tool call arguments and results. */
  prompts: boolean;
  /** Attribute keys, `*` matching any characters. */
  keys: readonly string[];
  patterns: readonly BuiltinPatternName[];
  customPatterns: ReadonlyArray<{ name: string; regex: string }>;
  /** remove: keys are dropped and matches replaced by a marker; hash: both become a keyed hash. */
  mode: 'remove' | 'hash';
  /** The HMAC key of hash mode: without a secret key a hash of a card number is reversible. */
  hashKey?: string | undefined;
}

/** The attribute listing the keys redacted from a span, so a missing value reads as removed, not absent. */
export const REDACTED_KEYS_ATTRIBUTE = 'warden.redacted';

export interface Redactor {
  /** Redacts in place. Objects shared between spans of one request (resource attributes) are redacted once. */
  redactSpans(spans: readonly AgentSpan[]): void;
}

const MAX_CACHED_KEYS = 10_000;

function globToSource(glob: string): string {
  return glob
    .split('*')
    .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
    .join('.*');
}

/** null when nothing is to be redacted: the pipeline then skips the stage entirely. */
export function createRedactor(settings: RedactionSettings): Redactor | null {
  const globs = [...(settings.prompts ? CONTENT_ATTRIBUTE_GLOBS : []), ...settings.keys];
  const patterns: ValuePattern[] = [
    ...settings.patterns.map((name) => BUILTIN_PATTERNS[name]),
    ...settings.customPatterns.map(({ name, regex }) => ({ name, regex: new RegExp(regex, 'g') })),
  ];
  if (globs.length === 0 && patterns.length === 0) return null;
  if (settings.mode === 'hash' && !settings.hashKey) throw new Error('redaction mode "hash" needs a hash key');

  const keyRegex = globs.length === 0 ? null : new RegExp(`^(?:${globs.map(globToSource).join('|')})$`);
  // Spans repeat a small set of keys: remember each decision instead of running the regex.
  const decisions = new Map<string, boolean>();
  const isRedactedKey = (key: string): boolean => {
    if (keyRegex === null) return false;
    let decision = decisions.get(key);
    if (decision === undefined) {
      decision = keyRegex.test(key);
      if (decisions.size >= MAX_CACHED_KEYS) decisions.clear();
      decisions.set(key, decision);
    }
    return decision;
  };
  const hash = (text: string, length: number): string =>
    createHmac('sha256', settings.hashKey ?? '').update(text).digest('hex').slice(0, length);
  const redactedKeyValue = (value: AttributeValue): string => `hmac-sha256:${hash(typeof value === 'string' ? value : JSON.stringify(value), 32)}`;

  function scrub(text: string): string {
    let result = text;
    for (const pattern of patterns) {
      pattern.regex.lastIndex = 0;
      if (!pattern.regex.test(result)) continue;
      pattern.regex.lastIndex = 0;
      result = result.replace(pattern.regex, (match) => {
        if (pattern.accept !== undefined && !pattern.accept(match)) return match;
        return settings.mode === 'hash' ? `[${pattern.name}:${hash(match, 12)}]` : `[redacted:${pattern.name}]`;
      });
    }
    return result;
  }

  function scrubValue(value: AttributeValue): AttributeValue {
    if (typeof value === 'string') return scrub(value);
    if (Array.isArray(value)) return value.map(scrubValue);
    if (value !== null && typeof value === 'object') {
      const out: Record<string, AttributeValue> = {};
      for (const [key, inner] of Object.entries(value)) out[key] = scrubValue(inner);
      return out;
    }
    return value;
  }

  /** Returns the keys redacted as keys (pattern hits are marked in the value itself). */
  function redactAttributes(attributes: Attributes, isContentKey: (key: string) => boolean): string[] {
    const redacted: string[] = [];
    for (const key of Object.keys(attributes)) {
      const value = attributes[key] as AttributeValue;
      if (isContentKey(key)) {
        redacted.push(key);
        if (settings.mode === 'hash') attributes[key] = redactedKeyValue(value);
        else delete attributes[key];
      } else if (patterns.length > 0) {
        attributes[key] = scrubValue(value);
      }
    }
    return redacted;
  }

  return {
    redactSpans(spans) {
      const seen = new WeakSet<Attributes>();
      const once = (attributes: Attributes, isContentKey: (key: string) => boolean): string[] => {
        if (seen.has(attributes)) return [];
        seen.add(attributes);
        return redactAttributes(attributes, isContentKey);
      };
      for (const span of spans) {
        once(span.resourceAttributes, isRedactedKey);
        const redacted = once(span.attributes, isRedactedKey);
        for (const event of span.events) {
          const inMessageEvent = settings.prompts && event.name.startsWith(CONTENT_EVENT_PREFIX);
          redacted.push(...once(event.attributes, (key) => isRedactedKey(key) || (inMessageEvent && CONTENT_EVENT_ATTRIBUTES.includes(key))).map((key) => `${event.name}:${key}`));
        }
        for (const link of span.links) once(link.attributes, isRedactedKey);
        if (patterns.length > 0) {
          span.statusMessage = scrub(span.statusMessage);
          span.intent = scrub(span.intent);
        }
        if (redacted.length > 0) span.attributes[REDACTED_KEYS_ATTRIBUTE] = [...new Set(redacted)];
      }
    },
  };
}
