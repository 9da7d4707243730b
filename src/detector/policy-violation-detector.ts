// policy_violation: the span did what the agent's policy forbids. Stateless: every violating span
// is reported (each is its own act, with its own span id); the alerter folds repeats into one
// alert per rule.
import type { AgentSpan } from '../normalizer/agent-span.ts';
import type { AccessList, AgentPolicy } from '../policy/agent-policy.ts';
import { accessVerdict } from './access-list-match.ts';
import type { Detector, ObservedSpan } from './detector.ts';
import type { Finding } from './finding.ts';
import { makeFinding, ruleFor } from './make-finding.ts';

type ListName = 'tools' | 'data' | 'targets';

/** Evidence quotes the list it broke up to this length; a longer one is named and counted. */
const LISTED_MAX = 50;

// Rule prefixes per list and verdict; the data list speaks of data classes.
const PREFIX: Record<ListName, { denied: string; not_allowed: string; noun: string; field: string }> = {
  tools: { denied: 'tool_denied', not_allowed: 'tool_not_allowed', noun: 'tool', field: 'tool' },
  data: { denied: 'data_class_denied', not_allowed: 'data_class_not_allowed', noun: 'data class', field: 'data_class' },
  targets: { denied: 'target_denied', not_allowed: 'target_not_allowed', noun: 'target', field: 'target' },
};

export function createPolicyViolationDetector(): Detector {
  let findings = 0;

  function checkList(name: ListName, list: AccessList, value: string, observed: ObservedSpan, policy: AgentPolicy, out: Finding[]): void {
    const verdict = accessVerdict(list, value);
    if (verdict === 'allowed') return;
    const prefix = PREFIX[name];
    const listKey = verdict === 'denied' ? `${name}.deny` : `${name}.allow`;
    const span = observed.span;
    const listed = verdict === 'denied' ? list.deny : (list.allow ?? []);
    const summary =
      verdict === 'denied'
        ? `${span.agentId} used ${prefix.noun} ${value}, which its policy denies`
        : `${span.agentId} used ${prefix.noun} ${value}, which is not on its policy's allow list`;
    findings++;
    out.push(
      makeFinding('policy_violation', ruleFor(prefix[verdict], value), span.agentId, observed, summary, {
        span_ids: [span.spanId],
        [prefix.field]: value,
        list: listKey,
        listed: listed.length <= LISTED_MAX ? listed : listed.slice(0, LISTED_MAX),
        listed_count: listed.length,
        policy_rule: policy.matchedRule,
      }),
    );
  }

  function checkTier(span: AgentSpan, observed: ObservedSpan, policy: AgentPolicy, out: Finding[]): void {
    const tier = span.actionTier;
    if (tier === '' || tier === 'autonomous') return;
    const action = span.toolName !== '' ? span.toolName : span.name;
    const base = { action, tier, approval_id: span.approvalId, confidence: span.confidence, policy_rule: policy.matchedRule };
    if (tier === 'blocked') {
      findings++;
      out.push(
        makeFinding('policy_violation', ruleFor('blocked_tier', action), span.agentId, observed, `${span.agentId} took ${action}, a blocked-tier action`, {
          span_ids: [span.spanId],
          ...base,
        }),
      );
      return;
    }
    if (tier === 'gated' && span.approvalId === '') {
      findings++;
      out.push(
        makeFinding(
          'policy_violation',
          ruleFor('gated_without_approval', action),
          span.agentId,
          observed,
          `${span.agentId} took ${action}, a gated action, without an approval id`,
          { span_ids: [span.spanId], ...base },
        ),
      );
    }
    const minimum = policy.minConfidence;
    if ((tier === 'supervised' || tier === 'gated') && minimum !== null && span.confidence !== null && span.confidence < minimum) {
      findings++;
      out.push(
        makeFinding(
          'policy_violation',
          'low_confidence',
          span.agentId,
          observed,
          `${span.agentId} took ${tier} action ${action} with confidence ${span.confidence}, below the policy minimum ${minimum}`,
          { span_ids: [span.spanId], ...base, min_confidence: minimum },
        ),
      );
    }
  }

  return {
    kind: 'policy_violation',

    observe(observed, policy, out) {
      const span = observed.span;
      if (span.kind === 'tool' && span.toolName !== '') checkList('tools', policy.tools, span.toolName, observed, policy, out);
      const classes = span.dataClasses;
      for (let i = 0; i < classes.length; i++) {
        const dataClass = classes[i];
        if (dataClass !== undefined && dataClass !== '') checkList('data', policy.data, dataClass, observed, policy, out);
      }
      if (span.target !== '') checkList('targets', policy.targets, span.target, observed, policy, out);
      checkTier(span, observed, policy, out);
    },

    evictIdle() {},

    stats() {
      return { kind: 'policy_violation', tables: {}, counters: { findings } };
    },
  };
}
