// The targets, checked against a run's numbers.
import type { FindingKind } from '../policy/agent-policy.ts';
import type { AnomalyType } from './eval-labels.ts';
import type { EvalResult, KindResult, Target, TypeResult } from './eval-result.ts';

/**
 * The documented bound on false alerts (all severities) per million normal spans. Every false
 * alert of the measured runs is a warning: spend_spike at DESIGN.md's defaults still fires on
 * two-minute stretches of normal spend as high as the weakest spikes (README "Evaluation").
 * Measured: 651-702 per million (seeds 1-5), 724-791 on the tests' smaller run (seeds 1-3).
 */
export const FALSE_ALERTS_PER_MILLION_BOUND = 1000;

/** Kinds that must raise no false alert at all: their rules are exact, not statistical. */
export const EXACT_KINDS: readonly FindingKind[] = ['loop', 'budget_exceeded', 'policy_violation'];

export function checkTargets(types: TypeResult[], kinds: KindResult[], totals: EvalResult['totals']): Target[] {
  const type = (name: AnomalyType): TypeResult => types.find((t) => t.type === name)!;
  const kind = (name: FindingKind): KindResult => kinds.find((k) => k.kind === name)!;
  const identical = type('loop_identical');
  const spike = type('spend_spike');
  const recallOne = (name: FindingKind): Target => {
    const k = kind(name);
    return { name: `${name} recall 1.0`, met: k.detected === k.injected, detail: `${k.detected}/${k.injected}` };
  };
  return [
    {
      name: 'every identical-call loop caught by its 5th call',
      met: identical.detected === identical.injected && (identical.keySpans?.max ?? 0) <= 5,
      detail: `${identical.detected}/${identical.injected}, latest at call ${identical.keySpans?.max ?? '-'}`,
    },
    {
      name: 'every spend spike caught within 2 minutes',
      met: spike.detected === spike.injected && (spike.seconds?.max ?? 0) <= 120,
      detail: `${spike.detected}/${spike.injected}, slowest ${spike.seconds?.max ?? '-'} s`,
    },
    recallOne('loop'),
    recallOne('budget_exceeded'),
    recallOne('policy_violation'),
    { name: 'zero critical false alerts', met: totals.criticalFalseAlerts === 0, detail: `${totals.criticalFalseAlerts}` },
    {
      name: `no false ${EXACT_KINDS.join(', ')} alerts`,
      met: EXACT_KINDS.every((name) => kind(name).falseAlerts === 0),
      detail: EXACT_KINDS.map((name) => `${name} ${kind(name).falseAlerts}`).join(', '),
    },
    {
      name: `false alerts per million normal spans <= ${FALSE_ALERTS_PER_MILLION_BOUND}`,
      met: totals.falsePerMillion <= FALSE_ALERTS_PER_MILLION_BOUND,
      detail: `${totals.falsePerMillion}`,
    },
  ];
}
