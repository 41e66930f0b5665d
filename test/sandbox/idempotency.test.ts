/**
 * `Idempotency-Key` on every write: a replay with the same key changes nothing, and the
 * fault it exists for, "applied, then the answer was lost" (`kind: 'lose-answer'`), is safe
 * to retry with the same key, while a new key does the work again.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, afterEach, before, describe, test } from 'node:test';
import { seedCreateSessionRequest } from '../shared/seeds.js';
import { buyOrder, sleep, startClient, startReceiver, type Answer, type Receiver, type SandboxClient } from './helpers.js';

let client: SandboxClient;
let receiver: Receiver;
before(async () => {
  client = await startClient({ notificationRetryDelaysMs: [] });
  receiver = await startReceiver();
});
after(async () => {
  await client.close();
  await receiver.close();
});
afterEach(() => client.control('DELETE', '/faults'));

const coffee = (quantity: number): Record<string, unknown> => ({
  type: 'physical',
  reference: '111-222-333',
  description: 'Coffee Machine X200',
  quantity,
  unitPrice: 50000,
  vat: 2500,
  totalAmount: quantity * 50000,
  totalVatAmount: quantity * 10000,
});
const shipping = { type: 'shippingFee', reference: '444-555-666', description: 'Shipping fee', quantity: 1, unitPrice: 10000, vat: 2500, totalAmount: 10000, totalVatAmount: 2000 };
const everything = { orderLines: [coffee(10), shipping], totalCaptureAmount: 510000 };
const edit = {
  orderLines: [coffee(9), shipping],
  totalOrderAmount: 460000,
  totalOrderVatAmount: 92000,
  totalOrderAmountExclVat: 368000,
};

function notifyingSession(): Record<string, unknown> {
  const body = seedCreateSessionRequest() as { settings: { urls: Record<string, unknown> } };
  body.settings.urls['notification'] = `${receiver.url}/notify`;
  return body as unknown as Record<string, unknown>;
}

async function order(): Promise<string> {
  return (await buyOrder(client, notifyingSession())).orderId;
}

async function capturedLedger(orderId: string): Promise<string> {
  const captured = await client.api('POST', `/v1/orders/${orderId}/capture`, everything);
  return captured.body.captured[0].ledgerId as string;
}

const orderState = async (orderId: string): Promise<unknown> => (await client.api('GET', `/v1/orders/${orderId}`)).body;
const sessionState = async (orderId: string): Promise<unknown> => (await client.api('GET', `/v1/sessions/${orderId}`)).body;
const sessionCount = async (): Promise<number> => (await client.control('GET', '/usage')).body.sessions;
const notificationsFor = async (orderId: string): Promise<number> => (await client.control('GET', `/callbacks?kind=notification&orderId=${orderId}`)).body.deliveries.length;

interface WriteCase {
  name: string;
  /** Sets up the state the write needs; answers the request and how to read the state it changes. */
  prepare: () => Promise<{ method: string; path: string; body?: unknown; state: () => Promise<unknown>; orderId?: string }>;
}

const writes: WriteCase[] = [
  {
    name: 'create session',
    prepare: async () => ({ method: 'POST', path: '/v1/sessions', body: seedCreateSessionRequest(), state: sessionCount }),
  },
  {
    name: 'update session',
    prepare: async () => {
      const created = await client.api('POST', '/v1/sessions', seedCreateSessionRequest());
      const orderId = created.body.orderId as string;
      return { method: 'POST', path: `/v1/sessions/${orderId}`, body: edit, state: () => sessionState(orderId) };
    },
  },
  {
    name: 'edit order',
    prepare: async () => {
      const orderId = await order();
      return { method: 'POST', path: `/v1/orders/${orderId}`, body: edit, state: () => orderState(orderId), orderId };
    },
  },
  {
    name: 'capture',
    prepare: async () => {
      const orderId = await order();
      return { method: 'POST', path: `/v1/orders/${orderId}/capture`, body: everything, state: () => orderState(orderId), orderId };
    },
  },
  {
    name: 'partial capture',
    prepare: async () => {
      const orderId = await order();
      return { method: 'POST', path: `/v1/orders/${orderId}/partialcapture`, body: { orderLines: [coffee(1)], totalCaptureAmount: 50000 }, state: () => orderState(orderId), orderId };
    },
  },
  {
    name: 'refund',
    prepare: async () => {
      const orderId = await order();
      const ledgerId = await capturedLedger(orderId);
      return { method: 'POST', path: `/v1/orders/${orderId}/refund/${ledgerId}`, state: () => orderState(orderId), orderId };
    },
  },
  {
    name: 'partial refund',
    prepare: async () => {
      const orderId = await order();
      const ledgerId = await capturedLedger(orderId);
      return {
        method: 'POST',
        path: `/v1/orders/${orderId}/partialrefund/${ledgerId}`,
        body: { orderLines: [coffee(1)], totalRefundAmount: 50000 },
        state: () => orderState(orderId),
        orderId,
      };
    },
  },
  {
    name: 'cancel',
    prepare: async () => {
      const orderId = await order();
      return { method: 'DELETE', path: `/v1/orders/${orderId}`, state: () => orderState(orderId), orderId };
    },
  },
  {
    name: 'acknowledge',
    prepare: async () => {
      const orderId = await order();
      return { method: 'POST', path: `/v1/orders/${orderId}/acknowledge`, body: [], state: () => orderState(orderId), orderId };
    },
  },
  {
    name: 'set reference',
    prepare: async () => {
      const orderId = await order();
      return { method: 'POST', path: `/v1/orders/${orderId}/reference`, body: { reference: 'PO-77' }, state: () => orderState(orderId), orderId };
    },
  },
  {
    name: 'extend expiry',
    prepare: async () => {
      const orderId = await order();
      return { method: 'POST', path: `/v1/orders/${orderId}/extendexpiry`, state: () => orderState(orderId), orderId };
    },
  },
];

/** Waits until the order's notifications stop arriving, then counts them. */
async function settledNotifications(orderId: string | undefined): Promise<number> {
  if (!orderId) return 0;
  await sleep(100);
  return notificationsFor(orderId);
}

describe('a replay with the same key changes nothing', () => {
  for (const write of writes) {
    test(write.name, async () => {
      const { method, path, body, state, orderId } = await write.prepare();
      const key = randomUUID();
      const before = await state();
      const first = await client.api(method, path, body, { 'Idempotency-Key': key });
      assert.ok(first.status < 300, `${write.name}: ${first.status} ${JSON.stringify(first.body)}`);
      const afterFirst = await state();
      assert.notDeepEqual(afterFirst, before, 'the first request did its work');
      const notified = await settledNotifications(orderId);
      const replay = await client.api(method, path, body, { 'Idempotency-Key': key });
      assert.equal(replay.status, first.status);
      assert.deepEqual(replay.body, first.body);
      assert.equal(replay.headers.get('idempotent-replayed'), 'true');
      assert.deepEqual(await state(), afterFirst, 'the replay changed nothing');
      assert.equal(await settledNotifications(orderId), notified, 'and sent no notification');
    });
  }

  test('without a key the same request runs twice (the negative twin)', async () => {
    const orderId = await order();
    await client.api('POST', `/v1/orders/${orderId}`, edit);
    await client.api('POST', `/v1/orders/${orderId}`, edit);
    const events = ((await orderState(orderId)) as { events: Array<{ type: string }> }).events;
    assert.equal(events.filter((event) => event.type === 'edit').length, 2);
  });
});

/** Sends a write whose answer the sandbox will lose; resolves once the connection died. */
async function lostAnswer(method: string, path: string, body: unknown, key: string): Promise<void> {
  const armed = await client.control('POST', '/faults', { path, method, count: 1, kind: 'lose-answer' });
  assert.equal(armed.status, 201, JSON.stringify(armed.body));
  await assert.rejects(client.api(method, path, body, { 'Idempotency-Key': key }), TypeError, 'no answer reached the client');
}

function assertReplayed(answer: Answer): void {
  assert.equal(answer.status, 200, JSON.stringify(answer.body));
  assert.equal(answer.headers.get('idempotent-replayed'), 'true');
}

describe("'lose-answer': applied, then the answer was lost", () => {
  test('create session: the retry with the same key replays it; a new key makes a second session', async () => {
    const before = await sessionCount();
    const key = randomUUID();
    await lostAnswer('POST', '/v1/sessions', seedCreateSessionRequest(), key);
    assert.equal(await sessionCount(), before + 1, 'the lost request was applied');
    const retry = await client.api('POST', '/v1/sessions', seedCreateSessionRequest(), { 'Idempotency-Key': key });
    assertReplayed(retry);
    assert.equal((await client.api('GET', `/v1/sessions/${retry.body.orderId}`)).status, 200, 'the replay names the session that was made');
    assert.equal(await sessionCount(), before + 1, 'no second session');

    await lostAnswer('POST', '/v1/sessions', seedCreateSessionRequest(), randomUUID());
    const fresh = await client.api('POST', '/v1/sessions', seedCreateSessionRequest(), { 'Idempotency-Key': randomUUID() });
    assert.equal(fresh.headers.get('idempotent-replayed'), null);
    assert.equal(await sessionCount(), before + 3, 'a new key is a new session');
  });

  test('edit: one edit event for a retried key, two for a new key', async () => {
    const orderId = await order();
    const path = `/v1/orders/${orderId}`;
    const key = randomUUID();
    await lostAnswer('POST', path, edit, key);
    assertReplayed(await client.api('POST', path, edit, { 'Idempotency-Key': key }));
    const edits = async (): Promise<number> => ((await orderState(orderId)) as { events: Array<{ type: string }> }).events.filter((event) => event.type === 'edit').length;
    assert.equal(await edits(), 1);
    await client.api('POST', path, edit, { 'Idempotency-Key': randomUUID() });
    assert.equal(await edits(), 2);
  });

  test('capture: one captured ledger for a retried key; a partial capture with a new key captures again', async () => {
    const orderId = await order();
    const key = randomUUID();
    const partial = { orderLines: [coffee(1)], totalCaptureAmount: 50000 };
    await lostAnswer('POST', `/v1/orders/${orderId}/partialcapture`, partial, key);
    const retry = await client.api('POST', `/v1/orders/${orderId}/partialcapture`, partial, { 'Idempotency-Key': key });
    assertReplayed(retry);
    assert.equal(retry.body.captured.length, 1);
    assert.equal(((await orderState(orderId)) as { captured: unknown[] }).captured.length, 1);
    const again = await client.api('POST', `/v1/orders/${orderId}/partialcapture`, partial, { 'Idempotency-Key': randomUUID() });
    assert.equal(again.body.captured.length, 2);
    assert.equal(again.body.capturedAmount.minorUnits, 100000);

    const full = await order();
    const fullKey = randomUUID();
    await lostAnswer('POST', `/v1/orders/${full}/capture`, everything, fullKey);
    assertReplayed(await client.api('POST', `/v1/orders/${full}/capture`, everything, { 'Idempotency-Key': fullKey }));
    const second = await client.api('POST', `/v1/orders/${full}/capture`, everything, { 'Idempotency-Key': randomUUID() });
    assert.equal(second.status, 409, 'with a new key the capture is tried again, and nothing is left');
  });

  test('refund: one refund for a retried key, two for a new key', async () => {
    const orderId = await order();
    const ledgerId = await capturedLedger(orderId);
    const path = `/v1/orders/${orderId}/partialrefund/${ledgerId}`;
    const body = { orderLines: [coffee(1)], totalRefundAmount: 50000 };
    const key = randomUUID();
    await lostAnswer('POST', path, body, key);
    assertReplayed(await client.api('POST', path, body, { 'Idempotency-Key': key }));
    const refunds = async (): Promise<number> => ((await orderState(orderId)) as { refunded: unknown[] }).refunded.length;
    assert.equal(await refunds(), 1);
    await client.api('POST', path, body, { 'Idempotency-Key': randomUUID() });
    assert.equal(await refunds(), 2);
  });

  test('drop, unlike lose-answer, applies nothing', async () => {
    const before = await sessionCount();
    await client.control('POST', '/faults', { path: '/v1/sessions', method: 'POST', count: 1, kind: 'drop' });
    await assert.rejects(client.api('POST', '/v1/sessions', seedCreateSessionRequest()), TypeError);
    assert.equal(await sessionCount(), before);
  });
});
