import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ERROR_CATALOGUE } from '../../../src/errors/warden-error.ts';

describe('error catalogue', () => {
  it('documents every code in the README, where users search for it', () => {
    const readme = readFileSync(new URL('../../../README.md', import.meta.url), 'utf8');
    const section = readme.slice(readme.indexOf('## Error codes'), readme.indexOf('\n## ', readme.indexOf('## Error codes') + 1));
    const missing = Object.keys(ERROR_CATALOGUE).filter((code) => !section.includes(`\`${code}\``));
    expect(missing).toEqual([]);
  });
});
