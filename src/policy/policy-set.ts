import type { AgentPolicy } from './agent-policy.ts';
import { compileAgentGlob } from './agent-glob.ts';
import { DEFAULT_AGENT_POLICY } from './policy-defaults.ts';
import type { PolicyFile } from './policy-schema.ts';
import { overlayPolicy } from './resolve-agent-policy.ts';

/**
 * One validated policy file, immutable: a changed file is a new PolicySet, so a detector that
 * holds one sees a consistent policy for as long as it holds it.
 */
export interface PolicySet {
  /** First 12 hex digits of the SHA-256 of the file text; logged on load and reload. */
  readonly version: string;
  /** The file as the user named it, or `built-in defaults`. */
  readonly source: string;
  /** The policy of an agent that no agents[] entry matches. */
  readonly defaults: AgentPolicy;
  /** The effective policy of an agent: defaults overlaid by the first matching agents[] entry. */
  forAgent(agentId: string): AgentPolicy;
  /** One line for logs and the CLI. */
  describe(): string;
}

/** Agent ids whose resolved policy is remembered; when full the memo is emptied and refills. */
export const DEFAULT_POLICY_CACHE_AGENTS = 100_000;

interface CompiledRule {
  glob: string;
  pattern: RegExp;
  policy: AgentPolicy;
}

export interface PolicySetOptions {
  source: string;
  version: string;
  maxCachedAgents?: number;
}

export function createPolicySet(file: PolicyFile, options: PolicySetOptions): PolicySet {
  const defaults = overlayPolicy(DEFAULT_AGENT_POLICY, file.defaults, null);
  // An entry resolves to the same policy for every agent it matches, so each is resolved once
  // here and forAgent only picks one.
  const rules: CompiledRule[] = (file.agents ?? []).map((rule) => ({
    glob: rule.match,
    pattern: compileAgentGlob(rule.match),
    policy: overlayPolicy(defaults, rule, rule.match),
  }));
  const maxCached = options.maxCachedAgents ?? DEFAULT_POLICY_CACHE_AGENTS;
  const cache = new Map<string, AgentPolicy>();

  return Object.freeze({
    version: options.version,
    source: options.source,
    defaults,
    forAgent(agentId: string): AgentPolicy {
      const known = cache.get(agentId);
      if (known !== undefined) return known;
      const policy = rules.find((rule) => rule.pattern.test(agentId))?.policy ?? defaults;
      // Emptying beats LRU bookkeeping here: a miss costs one pass over a few regexes.
      if (cache.size >= maxCached) cache.clear();
      cache.set(agentId, policy);
      return policy;
    },
    describe(): string {
      const globs = rules.map((rule) => rule.glob);
      const listed = globs.length > 5 ? `${globs.slice(0, 5).join(', ')}, …` : globs.join(', ');
      const entries = globs.length === 1 ? '1 agents entry' : `${globs.length} agents entries`;
      const mode = defaults.enforce ? 'enforcing' : 'shadow mode (enforce: false)';
      return `${options.source} (version ${options.version}): ${entries}${globs.length > 0 ? ` (${listed})` : ''}, ${mode}`;
    },
  });
}
