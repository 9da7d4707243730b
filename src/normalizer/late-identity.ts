// Spans arrive children first: an SDK exports a span when it ends, so in a long session the tool
// and LLM spans of an agent reach Warden in earlier requests than the invoke_agent span that
// names the agent. Those children are stored with the resource or service.name identity. When
// the ancestor arrives, the children that waited for it are re-attributed: the store records the
// correction and the API and aggregates read the corrected agent.
import { spanKey, type IdentityCache, type InheritedContext } from './identity-cache.ts';

/** A stored span's corrected agent identity, learned when its ancestor arrived. */
export interface AgentReattribution {
  traceId: string;
  spanId: string;
  agentId: string;
  agentName: string;
  agentRole: string;
  sessionId: string;
  taskId: string;
  /** Unix nanoseconds of the re-attributed span's start, so stores can bound their lookups. */
  startTimeUnixNano: bigint;
}

interface WaitingSpan {
  spanId: string;
  /** The span's own session and task, which win over the ancestor's. */
  sessionId: string;
  taskId: string;
  startTimeUnixNano: bigint;
}

export interface LateIdentity {
  /** A span without an agent identity whose parent has not been seen: wait for that parent. */
  wait(traceId: string, parentSpanId: string, span: WaitingSpan): void;
  /** A span with an identity was resolved: re-attribute everything that waited below it. */
  resolve(traceId: string, spanId: string, context: InheritedContext, out: AgentReattribution[]): void;
}

/**
 * Bounded like the identity cache (two generations, at most `maxSpans` waiting spans in all), so
 * a fleet that never names its agents costs a fixed amount of memory, not a growing one.
 */
export function createLateIdentity(maxSpans: number, cache: IdentityCache): LateIdentity {
  const generation = Math.max(1, Math.ceil(maxSpans / 2));
  let current = new Map<string, WaitingSpan[]>();
  let old = new Map<string, WaitingSpan[]>();
  let currentCount = 0;

  function take(key: string): WaitingSpan[] | undefined {
    const recent = current.get(key);
    const older = old.get(key);
    if (recent !== undefined) {
      current.delete(key);
      currentCount -= recent.length;
    }
    if (older !== undefined) old.delete(key);
    if (recent && older) return recent.concat(older);
    return recent ?? older;
  }

  return {
    wait(traceId, parentSpanId, span) {
      const key = spanKey(traceId, parentSpanId);
      const list = current.get(key);
      if (list) list.push(span);
      else current.set(key, [span]);
      currentCount++;
      if (currentCount >= generation) {
        old = current;
        current = new Map();
        currentCount = 0;
      }
    },

    resolve(traceId, spanId, context, out) {
      if (current.size === 0 && old.size === 0) return;
      // Breadth-first down the waiting tree: a waiting span's own waiting children follow it.
      const pending: Array<[string, InheritedContext]> = [[spanId, context]];
      for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
        const [parentId, parentContext] = next;
        const waiting = take(spanKey(traceId, parentId));
        if (waiting === undefined) continue;
        for (const span of waiting) {
          const inherited: InheritedContext = {
            ...parentContext,
            sessionId: span.sessionId || parentContext.sessionId,
            taskId: span.taskId || parentContext.taskId,
          };
          cache.set(spanKey(traceId, span.spanId), inherited);
          out.push({
            traceId,
            spanId: span.spanId,
            agentId: inherited.agentId,
            agentName: inherited.agentName,
            agentRole: inherited.agentRole,
            sessionId: inherited.sessionId,
            taskId: inherited.taskId,
            startTimeUnixNano: span.startTimeUnixNano,
          });
          pending.push([span.spanId, inherited]);
        }
      }
    },
  };
}
