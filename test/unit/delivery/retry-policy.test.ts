import { describe, expect, it } from 'vitest';
import { classifyError, classifyStatus, parseRetryAfter } from '../../../src/delivery/is-retryable.ts';
import { nextDelayMs, retryDelayMs } from '../../../src/delivery/retry-delay.ts';

const NOW = Date.parse('2025-06-01T12:00:00Z');

describe('classifyStatus', () => {
  it('treats every 2xx as delivered (PagerDuty answers 202, Slack 200)', () => {
    expect(classifyStatus(200, null, '', NOW)).toEqual({ type: 'ok', status: 200 });
    expect(classifyStatus(202, null, '', NOW)).toEqual({ type: 'ok', status: 202 });
  });

  it.each([408, 429, 500, 502, 503, 504])('retries %i', (status) => {
    expect(classifyStatus(status, null, 'busy', NOW)).toEqual({ type: 'retry', status, message: `HTTP ${status}: busy` });
  });

  it.each([301, 307, 400, 401, 403, 404, 410, 422])('does not retry %i', (status) => {
    expect(classifyStatus(status, null, '', NOW)).toEqual({ type: 'failed', status, message: `HTTP ${status}` });
  });

  it('honours Retry-After in seconds and as an HTTP date', () => {
    expect(classifyStatus(429, '7', '', NOW)).toMatchObject({ type: 'retry', afterMs: 7000 });
    expect(classifyStatus(503, 'Sun, 01 Jun 2025 12:00:30 GMT', '', NOW)).toMatchObject({ type: 'retry', afterMs: 30_000 });
  });
});

describe('parseRetryAfter', () => {
  it('ignores garbage and reads a past date as now', () => {
    expect(parseRetryAfter(null, NOW)).toBeUndefined();
    expect(parseRetryAfter('soon', NOW)).toBeUndefined();
    expect(parseRetryAfter('-3', NOW)).toBeUndefined();
    expect(parseRetryAfter('Sun, 01 Jun 2025 11:00:00 GMT', NOW)).toBe(0);
  });
});

describe('classifyError', () => {
  it('retries timeouts and network errors, naming the socket error', () => {
    expect(classifyError(new DOMException('timeout', 'TimeoutError'))).toEqual({ type: 'retry', message: 'timed out' });
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:9'), { code: 'ECONNREFUSED' });
    expect(classifyError(new TypeError('fetch failed', { cause: refused }))).toEqual({
      type: 'retry',
      message: 'network error: ECONNREFUSED (connect ECONNREFUSED 127.0.0.1:9)',
    });
  });
});

describe('retryDelayMs', () => {
  it('grows exponentially from the floor to the cap, jittered over the whole window', () => {
    const top = () => 0.999999;
    expect([1, 2, 3, 4, 5].map((n) => retryDelayMs(n, {}, top))).toEqual([1000, 2000, 4000, 8000, 16_000]);
    expect(retryDelayMs(20, {}, top)).toBe(300_000);
    expect(retryDelayMs(1000, {}, top)).toBe(300_000);
    // Full jitter: the bottom of every window is the floor, never zero (no hot loop).
    expect(retryDelayMs(10, {}, () => 0)).toBe(1000);
    expect(retryDelayMs(3, {}, () => 0.5)).toBe(2500);
  });

  it('takes other bounds', () => {
    expect(retryDelayMs(3, { minDelayMs: 10, maxDelayMs: 25 }, () => 1)).toBe(25);
  });

  it('uses the receiver\'s Retry-After when given, within the floor and the cap', () => {
    expect(nextDelayMs(1, 7000, {}, () => 0)).toBe(7000);
    expect(nextDelayMs(1, 0, {}, () => 0)).toBe(1000);
    expect(nextDelayMs(1, 3_600_000, {}, () => 0)).toBe(300_000);
    expect(nextDelayMs(2, undefined, {}, () => 1)).toBe(2000);
  });
});
