/**
 * Bounded memory: sessions (with their orders), idempotency keys, tokens and the callback
 * log each have a cap and, where data goes stale, an age; the limits are options of
 * `startSandbox`.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { describe, test } from 'node:test';
import { DEFAULT_SANDBOX_LIMITS, startSandbox, type SandboxOptions } from '../../src/sandbox/index.js';
import { seedCreateSessionRequest } from '../shared/seeds.js';
import { buyOrder, requestToken, sleep, startClient, startReceiver, type SandboxClient } from './helpers.js';

async function withClient(options: SandboxOptions, work: (client: SandboxClient) => Promise<void>): Promise<void> {
  const client = await startClient(options);
  try {
    await work(client);
  } finally {
    await client.close();
  }
}

const create = (client: SandboxClient, headers: Record<string, string> = {}) => client.api('POST', '/v1/sessions', seedCreateSessionRequest(), headers);

describe('sessions', () => {
  test('full of open sessions: 503 sandbox_full saying how to free space; reset frees it', async () => {
    await withClient({ limits: { maxSessions: 3 } }, async (client) => {
      for (let index = 0; index < 3; index += 1) assert.equal((await create(client)).status, 200);
      const full = await create(client);
      assert.equal(full.status, 503);
      assert.equal(full.body.errors[0].code, 'sandbox_full');
      assert.match(full.body.errors[0].message, /holds 3 sessions \(limits\.maxSessions\).*POST \/sandbox\/reset/);
      assert.equal((await client.control('POST', '/reset')).status, 200);
      assert.equal((await create(client)).status, 200);
    });
  });

  test('when full, the oldest bought session and its order make room; open ones stay', async () => {
    await withClient({ limits: { maxSessions: 3 } }, async (client) => {
      const bought = await buyOrder(client);
      const open = await create(client);
      const bought2 = await buyOrder(client);
      assert.equal((await create(client)).status, 200);
      assert.equal((await client.api('GET', `/v1/sessions/${bought.orderId}`)).status, 404);
      assert.equal((await client.api('GET', `/v1/orders/${bought.orderId}`)).status, 404);
      assert.equal((await client.api('GET', `/v1/sessions/${open.body.orderId}`)).status, 200);
      assert.equal((await client.api('GET', `/v1/orders/${bought2.orderId}`)).status, 200, 'only one was evicted');
      assert.deepEqual([(await client.control('GET', '/usage')).body.sessions, (await client.control('GET', '/usage')).body.orders], [3, 1]);
    });
  });

  test('when full, an expired session makes room before an open one', async () => {
    await withClient({ limits: { maxSessions: 2 } }, async (client) => {
      const expired = await create(client);
      const open = await create(client);
      await client.control('POST', `/sessions/${expired.body.sessionId}/expire`);
      assert.equal((await create(client)).status, 200);
      assert.equal((await client.api('GET', `/v1/sessions/${expired.body.orderId}`)).status, 404);
      assert.equal((await client.api('GET', `/v1/sessions/${open.body.orderId}`)).status, 200);
    });
  });

  test('an expired session answers "expired" for expiredSessionRetentionMs, then is forgotten', async () => {
    await withClient({ sessionTtlMs: 50, limits: { expiredSessionRetentionMs: 300 } }, async (client) => {
      const session = await create(client);
      await sleep(100);
      assert.equal((await client.api('GET', `/v1/sessions/${session.body.orderId}`)).body.status, 'expired');
      await create(client);
      assert.equal((await client.api('GET', `/v1/sessions/${session.body.orderId}`)).status, 200, 'kept within its retention');
      await sleep(350);
      await create(client);
      assert.equal((await client.api('GET', `/v1/sessions/${session.body.orderId}`)).status, 404);
    });
  });

  test('a bought session and its order are forgotten finishedSessionRetentionMs after their last change', async () => {
    await withClient({ limits: { finishedSessionRetentionMs: 600 } }, async (client) => {
      const old = await buyOrder(client);
      await sleep(300);
      const recent = await buyOrder(client);
      await client.api('POST', `/v1/orders/${old.orderId}/acknowledge`);
      await sleep(300);
      await create(client);
      assert.equal((await client.api('GET', `/v1/orders/${old.orderId}`)).status, 200, 'its acknowledge renewed it');
      assert.equal((await client.api('GET', `/v1/orders/${recent.orderId}`)).status, 200);
      await sleep(700);
      await create(client);
      assert.equal((await client.api('GET', `/v1/orders/${old.orderId}`)).status, 404);
      assert.equal((await client.api('GET', `/v1/sessions/${recent.orderId}`)).status, 404);
    });
  });
});

describe('idempotency keys', () => {
  test('beyond maxIdempotencyKeys the oldest key is forgotten; newer ones still replay', async () => {
    await withClient({ limits: { maxIdempotencyKeys: 2 } }, async (client) => {
      const keys = [randomUUID(), randomUUID(), randomUUID()];
      const first = [];
      for (const key of keys) first.push(await create(client, { 'Idempotency-Key': key }));
      const oldest = await create(client, { 'Idempotency-Key': keys[0]! });
      assert.equal(oldest.headers.get('idempotent-replayed'), null);
      assert.notEqual(oldest.body.orderId, first[0]!.body.orderId, 'a forgotten key does the work again');
      const newest = await create(client, { 'Idempotency-Key': keys[2]! });
      assert.equal(newest.headers.get('idempotent-replayed'), 'true');
      assert.equal(newest.body.orderId, first[2]!.body.orderId);
      assert.ok((await client.control('GET', '/usage')).body.idempotencyKeys <= 2);
    });
  });

  test('a key replays for idempotencyKeyTtlMs, then is forgotten', async () => {
    await withClient({ limits: { idempotencyKeyTtlMs: 200 } }, async (client) => {
      const key = randomUUID();
      const first = await create(client, { 'Idempotency-Key': key });
      assert.equal((await create(client, { 'Idempotency-Key': key })).headers.get('idempotent-replayed'), 'true');
      await sleep(250);
      const later = await create(client, { 'Idempotency-Key': key });
      assert.equal(later.headers.get('idempotent-replayed'), null);
      assert.notEqual(later.body.orderId, first.body.orderId);
    });
  });

  test('a 5xx is not replayed: a retry with the same key after sandbox_full succeeds once there is room', async () => {
    await withClient({ limits: { maxSessions: 1 } }, async (client) => {
      await create(client);
      const key = randomUUID();
      assert.equal((await create(client, { 'Idempotency-Key': key })).status, 503);
      await client.control('POST', '/reset');
      const retry = await create(client, { 'Idempotency-Key': key });
      assert.equal(retry.status, 200);
      assert.equal(retry.headers.get('idempotent-replayed'), null);
    });
  });
});

describe('tokens and the callback log', () => {
  test('beyond maxTokens the oldest token is revoked (401); the newest work', async () => {
    await withClient({ limits: { maxTokens: 2 } }, async (client) => {
      const { clientId, clientSecret } = client.sandbox.credentials;
      const tokens: string[] = [];
      for (let index = 0; index < 3; index += 1) tokens.push((await requestToken(client.url, clientId, clientSecret)).body.access_token);
      const call = (token: string) => fetch(`${client.url}/v1/orders/or_unknown`, { headers: { authorization: `Bearer ${token}` } });
      const revoked = await call(tokens[0]!);
      assert.equal(revoked.status, 401);
      assert.match(((await revoked.json()) as { errors: Array<{ message: string }> }).errors[0]!.message, /unknown access token/);
      assert.equal((await call(tokens[2]!)).status, 404);
      assert.equal((await call(tokens[1]!)).status, 404);
    });
  });

  test('the callback log keeps the newest maxCallbackLog deliveries, and filters by kind and order', async () => {
    const receiver = await startReceiver();
    try {
      await withClient({ limits: { maxCallbackLog: 3 } }, async (client) => {
        const body = seedCreateSessionRequest() as { settings: { urls: Record<string, unknown> } };
        body.settings.urls['notification'] = `${receiver.url}/notify`;
        const first = await buyOrder(client, body as unknown as Record<string, unknown>);
        await receiver.waitFor(2);
        const second = await buyOrder(client, body as unknown as Record<string, unknown>);
        await receiver.waitFor(4);
        await sleep(50);
        const log = (await client.control('GET', '/callbacks')).body.deliveries;
        assert.deepEqual(
          log.map((entry: { body: { orderId: string; eventType: string } }) => [entry.body.orderId, entry.body.eventType]),
          [
            [first.orderId, 'com.ledyer.order.ready_for_capture'],
            [second.orderId, 'com.ledyer.order.create'],
            [second.orderId, 'com.ledyer.order.ready_for_capture'],
          ],
        );
        const filtered = (await client.control('GET', `/callbacks?kind=notification&orderId=${second.orderId}`)).body.deliveries;
        assert.equal(filtered.length, 2);
        assert.ok(filtered.every((entry: { attempt: number; status: number }) => entry.attempt === 1 && entry.status === 200));
        assert.deepEqual((await client.control('GET', '/callbacks?kind=validate')).body.deliveries, []);
      });
    } finally {
      await receiver.close();
    }
  });
});

describe('options', () => {
  test('usage reports what is held against each limit', async () => {
    await withClient({ limits: { maxSessions: 5 } }, async (client) => {
      await buyOrder(client);
      const usage = (await client.control('GET', '/usage')).body;
      assert.equal(usage.sessions, 1);
      assert.equal(usage.orders, 1);
      assert.equal(usage.tokens, 1);
      assert.deepEqual(usage.limits, { ...DEFAULT_SANDBOX_LIMITS, maxSessions: 5 });
    });
  });

  test('a limit that is not a positive number, or an unknown one, is refused at start', async () => {
    await assert.rejects(startSandbox({ limits: { maxSessions: 0 } }), /limits\.maxSessions must be a positive number, got 0/);
    await assert.rejects(startSandbox({ limits: { maxTokens: Number.NaN } }), /limits\.maxTokens must be a positive number/);
    await assert.rejects(startSandbox({ limits: { maxSesions: 10 } as never }), /unknown limit limits\.maxSesions/);
    await assert.rejects(startSandbox({ orderExpiryExtensionMs: -1 }), /orderExpiryExtensionMs must be a positive number/);
  });
});
