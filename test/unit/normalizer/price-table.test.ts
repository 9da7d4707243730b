import { describe, expect, it } from 'vitest';
import { createPriceTable, DEFAULT_PRICES } from '../../../src/normalizer/price-table.ts';

describe('price table', () => {
  const table = createPriceTable();

  it('matches a model exactly', () => {
    expect(table.priceOf('gpt-4o')).toEqual(DEFAULT_PRICES['gpt-4o']);
    expect(table.costOf('gpt-4o-mini', 1_000_000, 1_000_000)).toBeCloseTo(0.15 + 0.6, 10);
  });

  it('resolves dated variants by the longest known prefix', () => {
    expect(table.priceOf('gpt-4o-2024-08-06')).toEqual(DEFAULT_PRICES['gpt-4o']);
    expect(table.priceOf('gpt-4o-mini-2024-07-18')).toEqual(DEFAULT_PRICES['gpt-4o-mini']);
    expect(table.priceOf('claude-sonnet-4-5-20250929')).toEqual(DEFAULT_PRICES['claude-sonnet-4-5']);
    expect(table.priceOf('claude-opus-4-20250514')).toEqual(DEFAULT_PRICES['claude-opus-4']);
    expect(table.priceOf('gpt-4.1-mini-2025-04-14')).toEqual(DEFAULT_PRICES['gpt-4.1-mini']);
  });

  it('ignores case and a gateway or cloud routing prefix', () => {
    expect(table.priceOf('GPT-4o')).toEqual(DEFAULT_PRICES['gpt-4o']);
    expect(table.priceOf('openai/gpt-4o-mini')).toEqual(DEFAULT_PRICES['gpt-4o-mini']);
    expect(table.priceOf('us.anthropic.claude-3-5-haiku-20241022-v1:0')).toEqual(DEFAULT_PRICES['claude-3-5-haiku']);
  });

  it('lets configured prices win, and applies them to dated variants too', () => {
    const custom = createPriceTable({ 'gpt-4o': { input: 1, output: 2 }, 'My-Finetune': { input: 3, output: 4 } });
    expect(custom.priceOf('gpt-4o-2024-08-06')).toEqual({ input: 1, output: 2 });
    expect(custom.costOf('my-finetune', 500_000, 250_000)).toBeCloseTo(1.5 + 1, 10);
    // A shorter override does not shadow a longer shipped entry.
    expect(custom.priceOf('gpt-4o-mini')).toEqual(DEFAULT_PRICES['gpt-4o-mini']);
  });

  it('prices an unknown model at 0 instead of failing', () => {
    expect(table.priceOf('mock-gpt-1')).toBeNull();
    expect(table.costOf('mock-gpt-1', 1000, 1000)).toBe(0);
    expect(table.costOf('', 1000, 1000)).toBe(0);
  });
});
