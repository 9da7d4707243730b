// Token prices used when a span does not report its own cost (agent.cost.usd, llm.cost.total).
// Lookup: exact model name, then the longest known prefix (so dated variants such as
// gpt-4o-2024-08-06 or claude-sonnet-4-5-20250929 resolve), then the same after a routing prefix
// ("openai/gpt-4o", "us.anthropic.claude-..."). Unknown models cost 0: a missing price must
// never drop or fail a span. Configuration overrides (normalizer.prices) win over the defaults.

/** USD per million tokens. */
export interface ModelPrice {
  input: number;
  output: number;
}

/** Keyed by model name or prefix, matched case-insensitively. */
export type PriceOverrides = Readonly<Record<string, ModelPrice>>;

/**
 * Shipped defaults: providers' public list prices (standard tier, text, no caching or batch
 * discount), as published in 2025. Prices change: set normalizer.prices for what you pay.
 */
export const DEFAULT_PRICES: PriceOverrides = {
  // OpenAI
  'gpt-5': { input: 1.25, output: 10 },
  'gpt-5-mini': { input: 0.25, output: 2 },
  'gpt-5-nano': { input: 0.05, output: 0.4 },
  'gpt-4.1': { input: 2, output: 8 },
  'gpt-4.1-mini': { input: 0.4, output: 1.6 },
  'gpt-4.1-nano': { input: 0.1, output: 0.4 },
  'gpt-4o': { input: 2.5, output: 10 },
  'gpt-4o-mini': { input: 0.15, output: 0.6 },
  'gpt-4-turbo': { input: 10, output: 30 },
  'gpt-4': { input: 30, output: 60 },
  'gpt-3.5-turbo': { input: 0.5, output: 1.5 },
  o1: { input: 15, output: 60 },
  'o1-mini': { input: 1.1, output: 4.4 },
  o3: { input: 2, output: 8 },
  'o3-mini': { input: 1.1, output: 4.4 },
  'o3-pro': { input: 20, output: 80 },
  'o4-mini': { input: 1.1, output: 4.4 },
  'text-embedding-3-small': { input: 0.02, output: 0 },
  'text-embedding-3-large': { input: 0.13, output: 0 },
  // Anthropic
  'claude-opus-4-5': { input: 5, output: 25 },
  'claude-opus-4-1': { input: 15, output: 75 },
  'claude-opus-4': { input: 15, output: 75 },
  'claude-sonnet-4-5': { input: 3, output: 15 },
  'claude-sonnet-4': { input: 3, output: 15 },
  'claude-haiku-4-5': { input: 1, output: 5 },
  'claude-3-7-sonnet': { input: 3, output: 15 },
  'claude-3-5-sonnet': { input: 3, output: 15 },
  'claude-3-5-haiku': { input: 0.8, output: 4 },
  'claude-3-opus': { input: 15, output: 75 },
  'claude-3-haiku': { input: 0.25, output: 1.25 },
  // Google (Gemini API, prompts up to 200k tokens)
  'gemini-2.5-pro': { input: 1.25, output: 10 },
  'gemini-2.5-flash': { input: 0.3, output: 2.5 },
  'gemini-2.5-flash-lite': { input: 0.1, output: 0.4 },
  'gemini-2.0-flash': { input: 0.1, output: 0.4 },
  'gemini-2.0-flash-lite': { input: 0.075, output: 0.3 },
  'gemini-1.5-pro': { input: 1.25, output: 5 },
  'gemini-1.5-flash': { input: 0.075, output: 0.3 },
  // Mistral
  'mistral-large': { input: 2, output: 6 },
  'mistral-medium': { input: 0.4, output: 2 },
  'mistral-small': { input: 0.1, output: 0.3 },
  codestral: { input: 0.3, output: 0.9 },
  'ministral-8b': { input: 0.1, output: 0.1 },
  'ministral-3b': { input: 0.04, output: 0.04 },
  // Others often seen behind OpenAI-compatible gateways
  'deepseek-chat': { input: 0.27, output: 1.1 },
  'deepseek-reasoner': { input: 0.55, output: 2.19 },
  'grok-4': { input: 3, output: 15 },
  'grok-3': { input: 3, output: 15 },
  'grok-3-mini': { input: 0.3, output: 0.5 },
  'command-r-plus': { input: 2.5, output: 10 },
  'command-r': { input: 0.15, output: 0.6 },
};

/** Distinct model names remembered per table; beyond this the memo starts over. */
const MEMO_LIMIT = 10_000;

export interface PriceTable {
  /** The price that applies to `model`, or null when it is unknown. */
  priceOf(model: string): ModelPrice | null;
  /** USD for the given usage; 0 for an unknown model. */
  costOf(model: string, inputTokens: number, outputTokens: number): number;
}

/** Longer model names are left unpriced. */
const MAX_MODEL_NAME = 256;
/** Vendor and region prefixes tried before giving up: `a/b.c/` is three. */
const MAX_PREFIX_SEPARATORS = 6;

export function createPriceTable(overrides: PriceOverrides = {}): PriceTable {
  const prices = new Map<string, ModelPrice>();
  for (const [model, price] of Object.entries(DEFAULT_PRICES)) prices.set(model.toLowerCase(), price);
  for (const [model, price] of Object.entries(overrides)) prices.set(model.toLowerCase(), price);
  const byLengthDesc = [...prices.keys()].sort((x, y) => y.length - x.length);
  const memo = new Map<string, ModelPrice | null>();

  const longestPrefix = (name: string): ModelPrice | null => {
    const exact = prices.get(name);
    if (exact !== undefined) return exact;
    for (const key of byLengthDesc) if (name.startsWith(key)) return prices.get(key) ?? null;
    return null;
  };

  const resolve = (model: string): ModelPrice | null => {
    const name = model.trim().toLowerCase();
    // No model is named like that; trying every suffix of a long name would cost quadratic time.
    if (name === '' || name.length > MAX_MODEL_NAME) return null;
    const direct = longestPrefix(name);
    if (direct !== null) return direct;
    // Gateways and clouds prefix the vendor or region (`bedrock/us.anthropic.claude-...`): try
    // what follows each of the first few '/' or '.'.
    let tries = 0;
    for (let i = 0; i < name.length - 1 && tries < MAX_PREFIX_SEPARATORS; i++) {
      const c = name.charCodeAt(i);
      if (c !== 0x2f /* / */ && c !== 0x2e /* . */) continue;
      tries++;
      const found = longestPrefix(name.slice(i + 1));
      if (found !== null) return found;
    }
    return null;
  };

  const priceOf = (model: string): ModelPrice | null => {
    const cached = memo.get(model);
    if (cached !== undefined) return cached;
    const price = resolve(model);
    if (memo.size >= MEMO_LIMIT) memo.clear();
    memo.set(model, price);
    return price;
  };

  return {
    priceOf,
    costOf(model, inputTokens, outputTokens) {
      const price = priceOf(model);
      if (price === null) return 0;
      return (Math.max(0, inputTokens) * price.input + Math.max(0, outputTokens) * price.output) / 1_000_000;
    },
  };
}
