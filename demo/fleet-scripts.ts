// What the compose stack's demo fleet (fleet-service.ts) has each agent do in a round: the demo's
// scripts, varied a little per round by a seeded PRNG so the dashboards are not flat; the calm
// work a misbehaving agent does between its episodes; and the business outcome a run reports.
import type { Prng } from '../src/eval/prng.ts';
import { FLEET } from './demo-fleet.ts';
import type { AgentScript, AgentStep } from './simulated-agent.ts';

/** work: a well-behaved agent's job; misbehave: the rule-breaking script of demo-fleet.ts; calm:
 *  a misbehaving agent's job without the rule it broke, between its episodes. */
export type RunMode = 'work' | 'misbehave' | 'calm';

export interface OutcomeSpec {
  /** The outcome name posted to Warden for a finished run. */
  readonly name: string;
  /** Chance a finished run succeeded; the rest are posted as failures. */
  readonly successRate: number;
}

export const OUTCOMES: ReadonlyMap<string, OutcomeSpec> = new Map([
  ['support-alice', { name: 'ticket_resolved', successRate: 0.85 }],
  ['research-bob', { name: 'report_written', successRate: 0.7 }],
  ['triage-carol', { name: 'incident_triaged', successRate: 0.9 }],
  ['ops-looper', { name: 'service_restored', successRate: 0.6 }],
  ['report-spender', { name: 'report_delivered', successRate: 0.8 }],
  ['intern-shell', { name: 'question_answered', successRate: 0.75 }],
]);

const chat = (model: string, inputTokens: number, outputTokens: number): AgentStep => ({ chat: { model, inputTokens, outputTokens } });
const tool = (name: string, args: Record<string, unknown>): AgentStep => ({ tool: { name, args } });

/**
 * Calm work uses only tools the agent's misbehaving script uses too, so the permission-drift
 * detector sees nothing new, and cheap models, so the overspender stays under its session cap.
 */
const CALM: ReadonlyMap<string, readonly AgentStep[]> = new Map([
  ['ops-looper', [
    chat('gpt-4o', 900, 80),
    tool('read_metrics', { service: 'billing', metric: 'error_rate' }),
    tool('restart_service', { service: 'billing' }),
    chat('gpt-4o', 700, 60),
    tool('read_metrics', { service: 'billing', metric: 'p99_latency' }),
    chat('gpt-4o', 500, 40),
  ]],
  ['report-spender', [
    tool('query_warehouse', { table: 'orders', period: '2026-Q3' }),
    chat('gpt-4o-mini', 3000, 300),
    tool('query_warehouse', { table: 'refunds', period: '2026-Q3' }),
    chat('gpt-4o-mini', 4200, 520),
  ]],
  ['intern-shell', scriptOf('intern-shell').steps.filter((step) => !('tool' in step && step.tool.name === 'shell_exec'))],
]);

function scriptOf(id: string): AgentScript {
  const script = FLEET.find((candidate) => candidate.id === id);
  if (script === undefined) throw new Error(`no agent ${id} in the demo fleet`);
  return script;
}

/**
 * One run's script. The misbehaving script is left exactly as demo-fleet.ts has it, so every
 * episode breaks its rule the same way; the other modes vary in length (two thirds of the
 * script to all of it) and in tokens (a per-run factor around 1, each call jittered).
 */
export function planRun(script: AgentScript, mode: RunMode, rng: Prng): AgentScript {
  if (mode === 'misbehave') return script;
  const steps = mode === 'calm' ? (CALM.get(script.id) ?? script.steps) : script.steps;
  const scale = Math.min(1.6, Math.max(0.6, rng.logNormal(1, 0.25)));
  const length = Math.max(1, Math.ceil(steps.length * rng.between(0.65, 1)));
  const varied = steps.slice(0, length).map((step): AgentStep => {
    if (!('chat' in step)) return step;
    const tokens = (count: number): number => Math.max(1, Math.round(count * scale * rng.between(0.85, 1.15)));
    return chat(step.chat.model, tokens(step.chat.inputTokens), tokens(step.chat.outputTokens));
  });
  return { ...script, steps: varied };
}
