import { setTimeout as sleep } from 'node:timers/promises';
import type { AlertReceivers, Arrival } from './alert-receivers.ts';
import type { EncodedPayload } from './encoded-payload.ts';
import { drive } from './load-driver.ts';
import type { LoopInjection } from './loop-injection.ts';
import { percentile } from './percentiles.ts';
import { progress } from './progress.ts';
import type { SenderHandle } from './send-outcome.ts';

export interface LatencyResult {
  injections: number;
  backgroundSpansPerSecond: number;
  /** Background spans acknowledged, for the run's accounting. */
  backgroundAckSpans: number;
  backgroundPushedBack: number;
  /** Client send of the triggering request -> the webhook notice of its loop alert, ms. */
  alertMs: number[];
  /** Client send of the triggering request -> the signed suspension callback, ms. */
  callbackMs: number[];
  missingAlerts: number;
  missingCallbacks: number;
  badSignatures: number;
  /** Loop alerts / suspensions for agents the bench did not inject (false positives). */
  unexpectedAlerts: number;
  unexpectedCallbacks: number;
  startMs: number;
  endMs: number;
}

const firstFor = (arrivals: readonly Arrival[], agentId: string, kind: string): number | undefined =>
  arrivals.find((arrival) => arrival.agentId === agentId && arrival.kind === kind)?.atMs;

/**
 * Injects loops one by one at a fixed spacing while background traffic runs at a moderate rate,
 * and times, from the client send of each fifth identical call, the arrival of the webhook
 * notice and of the suspension callback at the bench's receivers.
 */
export async function runLatencyPhase(options: {
  injections: readonly LoopInjection[];
  spacingMs: number;
  sender: SenderHandle;
  background: { sender: SenderHandle; payloads: readonly EncodedPayload[]; spansPerSecond: number; inFlight: number };
  receivers: AlertReceivers;
}): Promise<LatencyResult> {
  const { receivers } = options;
  const noticesBefore = receivers.notices.length;
  const callbacksBefore = receivers.callbacks.length;
  const startMs = performance.now();
  const durationMs = options.injections.length * options.spacingMs + 1000;
  const background = drive({
    payloads: options.background.payloads,
    send: options.background.sender.send,
    inFlight: options.background.inFlight,
    durationMs,
    rateSpansPerSecond: options.background.spansPerSecond,
    pushbackPauseMs: 100,
  });
  await sleep(500);
  const sentAt = new Map<string, number>();
  for (const [k, injection] of options.injections.entries()) {
    const next = performance.now() + options.spacingMs;
    const lead = await options.sender.send(injection.lead);
    if (lead.kind !== 'ok') throw new Error(`loop injection refused: ${JSON.stringify(lead)}`);
    const t0 = performance.now();
    const trigger = await options.sender.send(injection.trigger);
    if (trigger.kind !== 'ok') throw new Error(`loop injection refused: ${JSON.stringify(trigger)}`);
    sentAt.set(injection.agentId, t0);
    if ((k + 1) % 10 === 0) progress(`  ${k + 1}/${options.injections.length} loops injected`);
    await sleep(Math.max(0, next - performance.now()));
  }
  const counts = await background.done;
  const endMs = performance.now();
  // Stragglers: a notice or callback may still be on its way.
  const deadline = performance.now() + 10_000;
  const complete = (): boolean =>
    options.injections.every((i) => firstFor(receivers.notices, i.agentId, 'loop') !== undefined && firstFor(receivers.callbacks, i.agentId, 'agent.suspend') !== undefined);
  while (!complete() && performance.now() < deadline) await sleep(100);

  const alertMs: number[] = [];
  const callbackMs: number[] = [];
  for (const injection of options.injections) {
    const t0 = sentAt.get(injection.agentId)!;
    const alertAt = firstFor(receivers.notices, injection.agentId, 'loop');
    const callbackAt = firstFor(receivers.callbacks, injection.agentId, 'agent.suspend');
    if (alertAt !== undefined) alertMs.push(alertAt - t0);
    if (callbackAt !== undefined) callbackMs.push(callbackAt - t0);
  }
  const injected = new Set(options.injections.map((i) => i.agentId));
  const notices = receivers.notices.slice(noticesBefore);
  const callbacks = receivers.callbacks.slice(callbacksBefore);
  return {
    injections: options.injections.length,
    backgroundSpansPerSecond: counts.ackSpans / (counts.elapsedMs / 1000),
    backgroundAckSpans: counts.ackSpans,
    backgroundPushedBack: counts.pushedBackRequests,
    alertMs,
    callbackMs,
    missingAlerts: options.injections.length - alertMs.length,
    missingCallbacks: options.injections.length - callbackMs.length,
    badSignatures: [...notices, ...callbacks].filter((a) => !a.signatureValid).length,
    unexpectedAlerts: notices.filter((a) => !injected.has(a.agentId)).length,
    unexpectedCallbacks: callbacks.filter((a) => !injected.has(a.agentId)).length,
    startMs,
    endMs,
  };
}

export const latencyPercentiles = (values: readonly number[]): { p50: number; p99: number } => ({ p50: percentile(values, 50), p99: percentile(values, 99) });
