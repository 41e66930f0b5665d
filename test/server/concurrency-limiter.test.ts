/** The load-shedding limiter on its own: slots, the bounded queue, the wait limit, and clients that leave. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { createConcurrencyLimiter, type Admission } from '../../src/server/index.js';

function admitted(admission: Admission): { release(): void } {
  assert.equal(admission.admitted, true, JSON.stringify(admission));
  return admission as { admitted: true; release(): void };
}

describe('createConcurrencyLimiter', () => {
  test('admits up to maxInFlight at once, queues up to maxQueued, and refuses the next at once', async () => {
    const limiter = createConcurrencyLimiter({ maxInFlight: 2, maxQueued: 1, maxWaitMs: 60_000 });
    const a = admitted(await limiter.acquire());
    admitted(await limiter.acquire());
    const queued = limiter.acquire();
    assert.deepEqual(await limiter.acquire(), { admitted: false, reason: 'queue_full' });
    assert.deepEqual([limiter.inFlight, limiter.queued], [2, 1]);
    a.release();
    admitted(await queued);
    assert.deepEqual([limiter.inFlight, limiter.queued], [2, 0]);
  });

  test('waiters are served first come, first served', async () => {
    const limiter = createConcurrencyLimiter({ maxInFlight: 1, maxQueued: 3, maxWaitMs: 60_000 });
    const first = admitted(await limiter.acquire());
    const order: string[] = [];
    const waiting = ['b', 'c', 'd'].map((name) => limiter.acquire().then((admission) => (order.push(name), admitted(admission))));
    first.release();
    (await waiting[0]!).release();
    (await waiting[1]!).release();
    await waiting[2];
    assert.deepEqual(order, ['b', 'c', 'd']);
  });

  test('a waiter past maxWaitMs is refused and leaves the queue', async () => {
    const limiter = createConcurrencyLimiter({ maxInFlight: 1, maxQueued: 5, maxWaitMs: 0 });
    admitted(await limiter.acquire());
    assert.deepEqual(await limiter.acquire(), { admitted: false, reason: 'wait_timeout' });
    assert.equal(limiter.queued, 0);
  });

  test('a waiter whose signal aborts leaves at once, and its place goes to the next', async () => {
    const limiter = createConcurrencyLimiter({ maxInFlight: 1, maxQueued: 5, maxWaitMs: 60_000 });
    const holder = admitted(await limiter.acquire());
    const leaving = new AbortController();
    const gone = limiter.acquire(leaving.signal);
    const next = limiter.acquire();
    leaving.abort();
    assert.deepEqual(await gone, { admitted: false, reason: 'aborted' });
    assert.equal(limiter.queued, 1);
    holder.release();
    admitted(await next);
    assert.deepEqual(await limiter.acquire(AbortSignal.abort()), { admitted: false, reason: 'aborted' });
  });

  test('a double release frees one slot, not two', async () => {
    const limiter = createConcurrencyLimiter({ maxInFlight: 1, maxQueued: 0 });
    const slot = admitted(await limiter.acquire());
    slot.release();
    slot.release();
    assert.equal(limiter.inFlight, 0);
    admitted(await limiter.acquire());
    assert.deepEqual(await limiter.acquire(), { admitted: false, reason: 'queue_full' });
  });

  test('nonsense limits throw at once, naming the option', () => {
    assert.throws(() => createConcurrencyLimiter({ maxInFlight: 0 }), /concurrency\.maxInFlight must be an integer of at least 1, got 0/);
    assert.throws(() => createConcurrencyLimiter({ maxWaitMs: 1.5 }), /concurrency\.maxWaitMs/);
    assert.throws(() => createConcurrencyLimiter({ maxQueued: -1 }), /concurrency\.maxQueued/);
  });
});
