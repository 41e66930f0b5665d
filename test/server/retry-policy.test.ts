/** The retry policy's pure parts: which answers are retried, `Retry-After`, and the jittered backoff. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { backoffDelay, decideRetry, isRetryableStatus, parseRetryAfter } from '../../src/server/retry-policy.js';

const policy = { retries: 4, retryDelayMs: 500, maxRetryDelayMs: 30_000, maxRetryAfterMs: 30_000 };
const NOW = Date.parse('2026-11-24T10:00:00Z');

describe('isRetryableStatus', () => {
  test('408, 429 and every 5xx are worth another try', () => {
    for (const status of [408, 429, 500, 502, 503, 504]) assert.equal(isRetryableStatus(status), true, String(status));
  });

  test('other 4xx are answers about the request and are not', () => {
    for (const status of [400, 401, 403, 404, 409, 410, 422]) assert.equal(isRetryableStatus(status), false, String(status));
  });
});

describe('parseRetryAfter', () => {
  test('delta-seconds become milliseconds', () => {
    assert.equal(parseRetryAfter('2', NOW), 2000);
    assert.equal(parseRetryAfter(' 0 ', NOW), 0);
    assert.equal(parseRetryAfter('120', NOW), 120_000);
  });

  test('an HTTP date is the time until then; a date in the past is 0', () => {
    assert.equal(parseRetryAfter('Tue, 24 Nov 2026 10:00:03 GMT', NOW), 3000);
    assert.equal(parseRetryAfter('Tue, 24 Nov 2026 09:59:00 GMT', NOW), 0);
  });

  test('absent, negative, fractional or unreadable values are ignored (null), not guessed at', () => {
    for (const value of [null, '', '-5', '1.5', 'soon', '2026-11-24T10:00:03Z', 'Tue, 99 Nov 2026 10:00:03 GMT']) {
      assert.equal(parseRetryAfter(value, NOW), null, String(value));
    }
  });
});

describe('backoffDelay', () => {
  test('full jitter: a random share of a ceiling that doubles per attempt', () => {
    const half = () => 0.5;
    assert.deepEqual([0, 1, 2, 3].map((attempt) => backoffDelay(attempt, policy, half)), [250, 500, 1000, 2000]);
    assert.equal(backoffDelay(3, policy, () => 0), 0);
    assert.equal(backoffDelay(3, policy, () => 0.999), 3996);
  });

  test('the ceiling stops at maxRetryDelayMs', () => {
    assert.equal(backoffDelay(10, { retryDelayMs: 500, maxRetryDelayMs: 4000 }, () => 0.5), 2000);
  });
});

describe('decideRetry', () => {
  const random = () => 0.5;

  test('a retryable status or no answer is retried after the backoff', () => {
    assert.deepEqual(decideRetry({ status: 503, retryAfterMs: null }, 0, policy, random), { retry: true, delayMs: 250 });
    assert.deepEqual(decideRetry({ status: null, retryAfterMs: null }, 1, policy, random), { retry: true, delayMs: 500 });
    assert.deepEqual(decideRetry({ status: 429, retryAfterMs: null }, 2, policy, random), { retry: true, delayMs: 1000 });
  });

  test("Retry-After replaces the backoff, exactly, when it is within the cap", () => {
    assert.deepEqual(decideRetry({ status: 429, retryAfterMs: 7000 }, 0, policy, random), { retry: true, delayMs: 7000 });
    assert.deepEqual(decideRetry({ status: 503, retryAfterMs: 30_000 }, 0, policy, random), { retry: true, delayMs: 30_000 });
  });

  test('a Retry-After over the cap stops at once; so does the last attempt', () => {
    assert.deepEqual(decideRetry({ status: 429, retryAfterMs: 30_001 }, 0, policy, random), { retry: false, reason: 'retry_after_too_long' });
    assert.deepEqual(decideRetry({ status: 429, retryAfterMs: 1000 }, 4, policy, random), { retry: false, reason: 'attempts_exhausted' });
  });

  test('a 4xx other than 408/429 is never retried, whatever its Retry-After says', () => {
    assert.deepEqual(decideRetry({ status: 400, retryAfterMs: 1000 }, 0, policy, random), { retry: false, reason: 'not_retryable' });
    assert.deepEqual(decideRetry({ status: 200, retryAfterMs: null }, 0, policy, random), { retry: false, reason: 'not_retryable' });
  });
});
