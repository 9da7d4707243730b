import { ok } from '../../errors/warden-error.ts';
import type { Result } from '../../errors/warden-error.ts';
import { nanosToIso } from '../datetime64.ts';
import { qualifiedTable } from '../identifiers.ts';
import { TABLES } from '../table-names.ts';
import { numberOf, queryJson } from './query-json.ts';
import type { StoreContext } from './query-json.ts';

/** What the store knows of an agent; the API adds status and open alerts. */
export interface AgentUsageRow {
  id: string;
  /** Latest non-empty agent name seen; '' when the agent never sent one. */
  name: string;
  role: string;
  /** Start time of its latest span, ISO 8601 with nanoseconds. */
  last_seen: string;
  spans_1h: number;
  input_tokens_1h: number;
  output_tokens_1h: number;
  cost_usd_1h: number;
}

/** listAgents returns agents seen within this many days (the directory keeps the TTL's worth). */
export const AGENT_LIST_DAYS = 30;

const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;

interface RawAgent {
  id: string;
  name: string;
  role: string;
  last_seen_ns: string;
  spans_1h: string;
  input_tokens_1h: string;
  output_tokens_1h: string;
  cost_usd_1h: number;
}

/**
 * Agents (distinct AgentId in otel_traces, from the agent_directory summary), newest first,
 * with their last hour of usage. "Last hour" is the 60 one-minute buckets ending with the one
 * that holds nowMs.
 *
 * Tokens and cost are counted once, per agent and trace: the sum over the trace's LLM spans;
 * or, for a trace with no LLM spans of that agent, the sum over its agent spans (a framework
 * that reports usage only on its invoke_agent / ai.generateText span). An agent span's usage
 * is otherwise a rollup of its LLM children and is not added. Tool and other spans' usage is
 * not counted.
 *
 * A span stored under a fallback identity and re-attributed later counts for the agent it was
 * re-attributed to (the store moved its usage, usage-compensation.ts); an "agent" all of whose
 * spans were moved away (a service.name fallback) is no longer listed. Sums can be briefly
 * negative while a correction is written before the span it moves, hence greatest(0, ...).
 */
export async function listAgents(context: StoreContext, nowMs: number): Promise<Result<AgentUsageRow[]>> {
  return queryAgents(context, nowMs, null);
}

/** One agent as listAgents describes it, whenever it was last seen within retention; null if
 *  no span of it is stored. */
export async function getAgent(context: StoreContext, id: string, nowMs: number): Promise<Result<AgentUsageRow | null>> {
  if (id === '') return ok(null);
  const rows = await queryAgents(context, nowMs, id);
  if (!rows.ok) return rows;
  return ok(rows.value[0] ?? null);
}

async function queryAgents(context: StoreContext, nowMs: number, agentId: string | null): Promise<Result<AgentUsageRow[]>> {
  const currentMinute = Math.floor(nowMs / MINUTE_MS) * MINUTE_MS;
  const params = {
    agentId: agentId ?? '',
    fromMinute: Math.floor((currentMinute - 59 * MINUTE_MS) / 1000),
    toMinute: Math.floor(currentMinute / 1000),
    fromDay: new Date(agentId === null ? nowMs - AGENT_LIST_DAYS * DAY_MS : 0).toISOString().slice(0, 10),
  };
  // Constant fragments chosen by whether an id was given; the id itself is a parameter.
  const oneAgent = agentId === null ? '' : 'AND AgentId = {agentId:String}';
  const rows = await queryJson<RawAgent>(
    context,
    agentId === null ? 'agent list' : 'agent lookup',
    `WITH
       per_trace AS (
         SELECT AgentId, TraceId,
                sum(Spans) AS spans, sum(LlmSpans) AS llm_spans,
                sum(LlmInputTokens) AS llm_in, sum(LlmOutputTokens) AS llm_out, sum(LlmCostUsd) AS llm_cost,
                sum(AgentSpanInputTokens) AS agent_in, sum(AgentSpanOutputTokens) AS agent_out, sum(AgentSpanCostUsd) AS agent_cost
         FROM ${qualifiedTable(context.database, TABLES.agentUsage)}
         WHERE Minute >= {fromMinute:DateTime} AND Minute <= {toMinute:DateTime} ${oneAgent}
         GROUP BY AgentId, TraceId
       ),
       per_agent AS (
         SELECT AgentId,
                greatest(0, sum(spans)) AS spans_1h,
                greatest(0, sum(if(llm_spans > 0, llm_in, agent_in))) AS input_tokens_1h,
                greatest(0, sum(if(llm_spans > 0, llm_out, agent_out))) AS output_tokens_1h,
                greatest(0, sum(if(llm_spans > 0, llm_cost, agent_cost))) AS cost_usd_1h
         FROM per_trace
         GROUP BY AgentId
       ),
       directory AS (
         SELECT AgentId, max(LastSeen) AS last_seen, argMaxMerge(Name) AS name, argMaxMerge(Role) AS role
         FROM ${qualifiedTable(context.database, TABLES.agentDirectory)}
         WHERE Day >= {fromDay:Date} ${oneAgent}
         GROUP BY AgentId
         HAVING sum(Spans) > 0
       )
     SELECT directory.AgentId AS id, directory.name AS name, directory.role AS role,
            toString(toUnixTimestamp64Nano(directory.last_seen)) AS last_seen_ns,
            toString(per_agent.spans_1h) AS spans_1h,
            toString(per_agent.input_tokens_1h) AS input_tokens_1h,
            toString(per_agent.output_tokens_1h) AS output_tokens_1h,
            per_agent.cost_usd_1h AS cost_usd_1h
     FROM directory
     LEFT JOIN per_agent ON per_agent.AgentId = directory.AgentId
     ORDER BY directory.last_seen DESC, directory.AgentId
     SETTINGS join_use_nulls = 0`,
    params,
  );
  if (!rows.ok) return rows;
  return ok(
    rows.value.map((raw) => ({
      id: raw.id,
      name: raw.name,
      role: raw.role,
      last_seen: nanosToIso(raw.last_seen_ns),
      spans_1h: numberOf(raw.spans_1h),
      input_tokens_1h: numberOf(raw.input_tokens_1h),
      output_tokens_1h: numberOf(raw.output_tokens_1h),
      cost_usd_1h: numberOf(raw.cost_usd_1h),
    })),
  );
}
