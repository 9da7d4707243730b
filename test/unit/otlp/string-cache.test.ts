import { describe, expect, it } from 'vitest';
import { StringCache } from '../../../src/otlp/string-cache.ts';

function read(cache: StringCache, text: string): string {
  const bytes = Buffer.concat([Buffer.from('xx'), Buffer.from(text), Buffer.from('yy')]);
  return cache.get(bytes, 2, bytes.length - 2);
}

describe('StringCache', () => {
  it('returns the right string when many keys share few slots', () => {
    const cache = new StringCache(4, 64);
    const keys = Array.from({ length: 200 }, (_, i) => `llm.input_messages.${i}.message.role`);
    for (let round = 0; round < 3; round++) {
      for (const key of keys) expect(read(cache, key)).toBe(key);
    }
  });

  it('decodes UTF-8, the empty string and strings over the size limit', () => {
    const cache = new StringCache(16, 8);
    expect(read(cache, 'ключ')).toBe('ключ');
    expect(read(cache, 'ключ')).toBe('ключ');
    expect(read(cache, '')).toBe('');
    expect(read(cache, 'a much longer value than eight bytes')).toBe('a much longer value than eight bytes');
  });

  it('does not keep a view of the caller buffer', () => {
    const cache = new StringCache(16, 64);
    const bytes = Buffer.from('tool.name');
    expect(cache.get(bytes, 0, bytes.length)).toBe('tool.name');
    bytes.write('tool.nbme');
    expect(cache.get(bytes, 0, bytes.length)).toBe('tool.nbme');
    expect(cache.get(Buffer.from('tool.name'), 0, 9)).toBe('tool.name');
  });
});
