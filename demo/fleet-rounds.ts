// The rounds of the compose stack's demo fleet. Each agent is working, suspended (its runtime got
// the signed agent.suspend callback and stopped it) or, for a misbehaving agent after its resume,
// calm: doing its job without breaking its rule until Warden has resolved the alert that
// suspended it. A repeat of a still-open alert does not suspend again, so breaking the rule
// before that would prove nothing; once the alert is resolved the agent misbehaves again.
import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { createPrng, type Prng } from '../src/eval/prng.ts';
import type { ReceivedCallback } from './callback-receiver.ts';
import { FLEET, MISBEHAVING } from './demo-fleet.ts';
import { paint, say } from './demo-output.ts';
import { OUTCOMES, planRun, type RunMode } from './fleet-scripts.ts';
import { runAgent, type AgentRun, type AgentScript } from './simulated-agent.ts';
import type { WardenClient } from './warden-client.ts';

export interface FleetOptions {
  readonly otlpUrl: string;
  /** Pause between an agent's steps, ms; each run jitters it by up to 30 %. */
  readonly stepMs: number;
  /** A suspended agent is resumed at the start of the round this many rounds after its suspension. */
  readonly cooldownRounds: number;
  readonly seed: number;
}

export interface FleetTotals {
  runs: number;
  outcomes: number;
  suspensions: number;
  resumes: number;
}

export interface DemoFleet {
  /** The agent runtime's side of a callback the receiver took (signature already checked). */
  onCallback(callback: ReceivedCallback): void;
  /** Agents Warden already holds suspended (the fleet restarted): their runtime keeps them stopped. */
  adopt(): Promise<void>;
  round(n: number, signal: AbortSignal): Promise<void>;
  /** What went wrong, for the exit code of a bounded run. */
  readonly problems: readonly string[];
  readonly totals: Readonly<FleetTotals>;
}

type Phase = 'working' | 'suspended' | 'calm';

interface AgentState {
  readonly script: AgentScript;
  /** The finding kind it provokes (MISBEHAVING), or null for a well-behaved agent. */
  readonly breaks: string | null;
  /** Its own stream, so one agent's draws never shift another's. */
  readonly rng: Prng;
  phase: Phase;
  suspendedInRound: number;
}

/** From the rule-breaking run's end; suspensions through the collector take a second or two. */
const SUSPENSION_WAIT_MS = 30_000;
const RESUME_CALLBACK_WAIT_MS = 10_000;

export function createDemoFleet(options: FleetOptions, client: WardenClient): DemoFleet {
  const root = createPrng(options.seed);
  const states = new Map<string, AgentState>(
    FLEET.map((script) => {
      const breaks = MISBEHAVING.get(script.id) ?? null;
      // Misbehaving agents start calm: the first round re-arms them unless Warden still has an
      // open alert from before a restart of the fleet.
      return [script.id, { script, breaks, rng: root.fork(), phase: breaks === null ? 'working' : 'calm', suspendedInRound: 0 }];
    }),
  );
  /** The runtime's kill switch: agents it was told to stop and not yet told to resume. */
  const stopped = new Set<string>();
  /** Distinguishes this process's sessions from those of an earlier run of the fleet. */
  const runTag = randomBytes(3).toString('hex');
  const problems: string[] = [];
  const totals: FleetTotals = { runs: 0, outcomes: 0, suspensions: 0, resumes: 0 };
  let current = 0;

  const problem = (message: string): void => {
    problems.push(message);
    say('PROBLEM', 'red', message);
  };
  const resumeRound = (state: AgentState): number => state.suspendedInRound + options.cooldownRounds;

  function onCallback(callback: ReceivedCallback): void {
    const id = callback.agentId;
    const state = states.get(id);
    if (!callback.signatureOk) {
      problem(`${callback.type} callback for ${id} has an invalid signature (is WARDEN_SIGNING_SECRET the same for Warden and the fleet?); refused`);
      return;
    }
    const signed = paint('green', 'signature ok');
    if (callback.type === 'agent.suspend') {
      stopped.add(id);
      totals.suspensions++;
      if (state) {
        state.phase = 'suspended';
        state.suspendedInRound = current;
      }
      const kind = callback.alertKind ? ` (${callback.alertKind})` : '';
      say('CALLBACK', 'cyan', `agent.suspend for ${id}${kind}  ${signed}: its runtime stops it${state ? `; resume due in round ${resumeRound(state)}` : ''}`);
      if (state?.breaks === null) problem(`well-behaved ${id} was suspended`);
    } else if (callback.type === 'agent.resume') {
      stopped.delete(id);
      // Resumed by someone else (an operator through the API) counts the same.
      if (state?.phase === 'suspended') state.phase = state.breaks === null ? 'working' : 'calm';
      say('CALLBACK', 'cyan', `agent.resume for ${id}  ${signed}: its runtime lets it run again`);
    } else {
      say('CALLBACK', 'yellow', `${callback.type} for ${id}  ${signed}: not a callback this runtime knows; ignored`);
    }
  }

  async function adopt(): Promise<void> {
    const agents = await client.agents();
    for (const agent of agents ?? []) {
      const state = states.get(agent.id);
      if (state === undefined || agent.status !== 'suspended') continue;
      state.phase = 'suspended';
      state.suspendedInRound = 0;
      stopped.add(agent.id);
      say('ADOPT', 'magenta', `${agent.id} is suspended in Warden: its runtime keeps it stopped until round ${resumeRound(state)}`);
    }
  }

  async function resumeDue(n: number, signal: AbortSignal): Promise<void> {
    const waiting: string[] = [];
    for (const state of states.values()) {
      if (state.phase !== 'suspended' || n < resumeRound(state)) continue;
      const id = state.script.id;
      const reply = await client.resume(id, `demo fleet: cool-down of ${options.cooldownRounds} round(s) over`);
      if (!reply.ok) {
        problem(`resume of ${id} failed: ${reply.message}; retried next round`);
        continue;
      }
      totals.resumes++;
      state.phase = state.breaks === null ? 'working' : 'calm';
      const action = (reply.body as { action?: { id?: string } | null } | null)?.action ?? null;
      if (action === null) {
        // Already active in Warden (resumed by hand): no callback will come.
        stopped.delete(id);
        say('RESUME', 'blue', `${id} was already active in Warden`);
        continue;
      }
      say('RESUME', 'blue', `${id} resumed through the API after its cool-down (action ${action.id ?? '?'})`);
      waiting.push(id);
    }
    const deadline = Date.now() + RESUME_CALLBACK_WAIT_MS;
    while (waiting.some((id) => stopped.has(id)) && Date.now() < deadline && !signal.aborted) await pause(100, signal);
    if (signal.aborted) return;
    for (const id of waiting) if (stopped.has(id)) problem(`no agent.resume callback for ${id} within ${RESUME_CALLBACK_WAIT_MS / 1000} s of its resume`);
  }

  /** Calm misbehaving agents whose suspending alerts Warden has resolved break their rule again. */
  async function rearm(): Promise<void> {
    for (const state of states.values()) {
      if (state.breaks === null || state.phase !== 'calm') continue;
      const alerts = await client.firingAlerts(state.script.id);
      if (alerts === null || alerts.some((alert) => alert.action === 'suspend')) continue;
      state.phase = 'working';
      say('REARM', 'yellow', `${state.script.id} has no open suspending alert: it breaks its rule (${state.breaks}) this round`);
    }
  }

  async function postOutcome(state: AgentState, run: AgentRun): Promise<void> {
    const spec = OUTCOMES.get(state.script.id);
    if (spec === undefined) return;
    const success = state.rng.chance(spec.successRate);
    const reply = await client.postOutcome({ agent_id: state.script.id, trace_id: run.traceId, session_id: run.sessionId, name: spec.name, value: 1, success });
    if (!reply.ok) {
      problem(`outcome of ${state.script.id} not stored: ${reply.message}`);
      return;
    }
    totals.outcomes++;
    say('OUTCOME', success ? 'green' : 'yellow', `${state.script.id} ${spec.name} ${success ? 'succeeded' : 'failed'}  trace=${run.traceId}`);
  }

  async function runOnce(state: AgentState, n: number, signal: AbortSignal): Promise<boolean> {
    const id = state.script.id;
    if (state.phase === 'suspended') {
      say('IDLE', 'dim', `${id} sits out: suspended, resume due in round ${resumeRound(state)}`);
      return false;
    }
    if (stopped.has(id)) {
      say('IDLE', 'dim', `${id} sits out: its runtime has not heard agent.resume yet`);
      return false;
    }
    const mode: RunMode = state.breaks === null ? 'work' : state.phase === 'working' ? 'misbehave' : 'calm';
    const script = planRun(state.script, mode, state.rng);
    const sessionId = `${id}-${runTag}-${n}`;
    const doing = mode === 'misbehave' ? `breaks its rule (${state.breaks})` : mode === 'calm' ? 'works calmly while its alert is open' : 'works';
    say('RUN', mode === 'misbehave' ? 'yellow' : 'dim', `${id} ${doing}: ${script.steps.length} steps, session ${sessionId}`);
    totals.runs++;
    const stepMs = Math.round(options.stepMs * state.rng.between(0.7, 1.3));
    let run: AgentRun;
    try {
      run = await runAgent(script, { otlpUrl: options.otlpUrl, stepMs, stopped: (agent) => stopped.has(agent), sessionId, signal });
    } catch {
      // A failed export (its reason is on the OTLP line before) ends the run; Warden may not have
      // seen the rule broken, so nobody waits for a suspension and the agent tries again next round.
      problem(`${id}: its spans could not be exported; the run ended there`);
      return false;
    }
    if (run.stopped) say('STOPPED', 'magenta', `${id} stopped by its runtime after ${run.steps} of ${script.steps.length} steps  trace=${run.traceId}`);
    // A stopped or interrupted run delivered nothing; a rule-breaking one reports no outcome.
    else if (mode !== 'misbehave' && !signal.aborted) await postOutcome(state, run);
    return mode === 'misbehave';
  }

  async function waitForSuspensions(expected: readonly AgentState[], signal: AbortSignal): Promise<void> {
    const deadline = Date.now() + SUSPENSION_WAIT_MS;
    while (expected.some((state) => state.phase !== 'suspended') && Date.now() < deadline && !signal.aborted) await pause(100, signal);
    if (signal.aborted) return;
    for (const state of expected) {
      if (state.phase === 'suspended') continue;
      problem(`${state.script.id} broke its rule (${state.breaks}) and was not suspended within ${SUSPENSION_WAIT_MS / 1000} s`);
      state.phase = 'calm';
    }
  }

  return {
    onCallback,
    adopt,
    async round(n, signal) {
      current = n;
      say('ROUND', 'bold', `round ${n}`);
      await resumeDue(n, signal);
      await rearm();
      const agents = [...states.values()];
      const misbehaved = await Promise.all(agents.map((state) => runOnce(state, n, signal)));
      await waitForSuspensions(agents.filter((_, index) => misbehaved[index] === true), signal);
    },
    problems,
    totals,
  };
}

async function pause(ms: number, signal: AbortSignal): Promise<void> {
  await sleep(ms, undefined, { signal }).catch(() => undefined);
}
