/** The validate and notification callbacks the sandbox makes, against a local merchant receiver. */
import assert from 'node:assert/strict';
import { after, afterEach, before, beforeEach, describe, test } from 'node:test';
import { notificationCallbackSchema, validateCallbackSchema } from '../../src/server/schemas.js';
import { seedCreateSessionRequest } from '../shared/seeds.js';
import { sleep, startClient, startReceiver, type Receiver, type SandboxClient } from './helpers.js';

let client: SandboxClient;
let receiver: Receiver;

before(async () => {
  client = await startClient({ validateTimeoutMs: 150, notificationRetryDelaysMs: [30, 60] });
});
after(() => client.close());
beforeEach(async () => {
  receiver = await startReceiver();
});
afterEach(async () => {
  await receiver.close();
  await client.control('POST', '/reset');
});

async function sessionWith(urls: { validate?: string; notification?: string }): Promise<{ sessionId: string; orderId: string }> {
  const body = seedCreateSessionRequest() as { settings: { urls: Record<string, unknown> } };
  Object.assign(body.settings.urls, urls);
  const created = await client.api('POST', '/v1/sessions', body);
  assert.equal(created.status, 200, JSON.stringify(created.body));
  return created.body;
}

const validateOnly = (): { validate: string } => ({ validate: `${receiver.url}/validate` });

describe('validate callback', () => {
  test('200 with a reference: the purchase proceeds and the order carries that reference', async () => {
    receiver.respond = (_request, res) => res.writeHead(200, { 'content-type': 'application/json' }).end('{"reference":"PO-4711"}');
    const { sessionId, orderId } = await sessionWith(validateOnly());
    const outcome = await client.control('POST', `/sessions/${sessionId}/complete`);
    assert.deepEqual(outcome.body, { kind: 'complete', orderId });
    const sent = receiver.received[0]!.body;
    validateCallbackSchema.parse(sent);
    assert.deepEqual(sent, { merchantId: client.sandbox.merchantId, orderId, reference: null, storeId: client.sandbox.storeId });
    const order = await client.api('GET', `/v1/orders/${orderId}`);
    assert.equal(order.body.merchantReference, 'PO-4711');
    assert.equal((await client.api('GET', `/v1/sessions/${orderId}`)).body.status, 'complete');
  });

  test('200 with a reference over 50 characters proceeds without applying it', async () => {
    receiver.respond = (_request, res) => res.writeHead(200).end(JSON.stringify({ reference: 'x'.repeat(51) }));
    const { sessionId, orderId } = await sessionWith(validateOnly());
    assert.equal((await client.control('POST', `/sessions/${sessionId}/complete`)).body.kind, 'complete');
    assert.equal((await client.api('GET', `/v1/orders/${orderId}`)).body.merchantReference, orderId);
  });

  test('303 redirects the buyer with the placeholders filled, and creates no order', async () => {
    receiver.respond = (_request, res) => res.writeHead(303, { location: 'https://shop.example/cart?order={order.id}&session={session.id}' }).end();
    const { sessionId, orderId } = await sessionWith(validateOnly());
    const outcome = await client.control('POST', `/sessions/${sessionId}/complete`);
    assert.deepEqual(outcome.body, { kind: 'redirect', location: `https://shop.example/cart?order=${orderId}&session=${sessionId}` });
    assert.equal((await client.api('GET', `/v1/orders/${orderId}`)).status, 404);
    assert.equal((await client.api('GET', `/v1/sessions/${orderId}`)).body.status, 'open');
  });

  test('400 declines with no message', async () => {
    receiver.respond = (_request, res) => res.writeHead(400).end('{"title":"ignored","body":"ignored"}');
    const { sessionId, orderId } = await sessionWith(validateOnly());
    const outcome = await client.control('POST', `/sessions/${sessionId}/complete`);
    assert.deepEqual(outcome.body, { kind: 'declined', title: null, body: null });
    assert.equal((await client.api('GET', `/v1/orders/${orderId}`)).status, 404);
  });

  test('422 declines with its title and body', async () => {
    receiver.respond = (_request, res) => res.writeHead(422).end(JSON.stringify({ title: 'Out of stock', body: 'The coffee machine sold out.' }));
    const { sessionId } = await sessionWith(validateOnly());
    const outcome = await client.control('POST', `/sessions/${sessionId}/complete`);
    assert.deepEqual(outcome.body, { kind: 'declined', title: 'Out of stock', body: 'The coffee machine sold out.' });
  });

  test('no answer before the deadline counts as valid', async () => {
    receiver.respond = (_request, res) => {
      setTimeout(() => res.writeHead(400).end(), 1000).unref();
    };
    const { sessionId } = await sessionWith(validateOnly());
    const started = Date.now();
    const outcome = await client.control('POST', `/sessions/${sessionId}/complete`);
    assert.equal(outcome.body.kind, 'complete');
    assert.ok(Date.now() - started < 900, 'did not wait for the late answer');
    const log = (await client.control('GET', '/callbacks')).body.deliveries;
    assert.equal(log[0].status, null);
    assert.match(log[0].error, /150 ms/);
  });

  test('an unreachable validate URL counts as valid', async () => {
    await receiver.close();
    const { sessionId } = await sessionWith(validateOnly());
    assert.equal((await client.control('POST', `/sessions/${sessionId}/complete`)).body.kind, 'complete');
  });

  test('buying twice does not call validate twice or make a second order', async () => {
    const { sessionId, orderId } = await sessionWith(validateOnly());
    const [first, second] = await Promise.all([
      client.control('POST', `/sessions/${sessionId}/complete`),
      client.control('POST', `/sessions/${sessionId}/complete`),
    ]);
    assert.deepEqual(first.body, { kind: 'complete', orderId });
    assert.deepEqual(second.body, first.body);
    assert.equal(receiver.received.length, 1);
  });
});

describe('notification callback', () => {
  const notifyOnly = (): { notification: string } => ({ notification: `${receiver.url}/notify` });

  test('create, then ready_for_capture, with Ledyer\'s payload', async () => {
    const { sessionId, orderId } = await sessionWith(notifyOnly());
    await client.control('POST', `/sessions/${sessionId}/complete`);
    const received = await receiver.waitFor(2);
    assert.deepEqual(
      received.map((entry) => entry.body.eventType),
      ['com.ledyer.order.create', 'com.ledyer.order.ready_for_capture'],
    );
    for (const entry of received) {
      notificationCallbackSchema.parse(entry.body);
      assert.deepEqual(entry.body, {
        eventType: entry.body.eventType,
        merchantId: client.sandbox.merchantId,
        orderId,
        reference: null,
        storeId: client.sandbox.storeId,
      });
    }
    const lines = (await client.api('GET', `/v1/orders/${orderId}`)).body.uncaptured.orderLines;
    assert.equal((await client.api('POST', `/v1/orders/${orderId}/capture`, { orderLines: lines, totalCaptureAmount: 510000 })).status, 200);
    assert.equal((await receiver.waitFor(3))[2]!.body.eventType, 'com.ledyer.order.full_capture');
  });

  test('a receiver that fails twice then succeeds gets exactly 3 deliveries', async () => {
    const failures = new Map<string, number>();
    receiver.respond = (_request, res, body: { eventType: string }) => {
      const count = failures.get(body.eventType) ?? 0;
      failures.set(body.eventType, count + 1);
      res.writeHead(body.eventType === 'com.ledyer.order.create' && count < 2 ? 503 : 200).end();
    };
    const { sessionId } = await sessionWith(notifyOnly());
    await client.control('POST', `/sessions/${sessionId}/complete`);
    await receiver.waitFor(4);
    await sleep(200);
    const creates = receiver.received.filter((entry) => entry.body.eventType === 'com.ledyer.order.create');
    assert.equal(creates.length, 3);
    const log = (await client.control('GET', '/callbacks')).body.deliveries.filter(
      (entry: { body: { eventType: string } }) => entry.body.eventType === 'com.ledyer.order.create',
    );
    assert.deepEqual(log.map((entry: { attempt: number; status: number }) => [entry.attempt, entry.status]), [[1, 503], [2, 503], [3, 200]]);
    // Retried at once, then after the first scheduled wait (30 ms).
    assert.ok(creates[2]!.at - creates[1]!.at >= 25);
  });

  test('retries are bounded: an always-failing receiver gets 1 + 1 + schedule length tries', async () => {
    receiver.respond = (_request, res) => res.writeHead(500).end();
    const { sessionId } = await sessionWith(notifyOnly());
    await client.control('POST', `/sessions/${sessionId}/complete`);
    await sleep(400);
    const creates = receiver.received.filter((entry) => entry.body.eventType === 'com.ledyer.order.create');
    assert.equal(creates.length, 4);
  });

  test('pending: only the session-level awaiting_signatory, shaped exactly as Ledyer documents it; signing creates the order', async () => {
    const { sessionId, orderId } = await sessionWith(notifyOnly());
    const outcome = await client.control('POST', `/sessions/${sessionId}/pending`);
    assert.deepEqual(outcome.body, { kind: 'pending', orderId });
    const [awaiting] = await receiver.waitFor(1);
    assert.deepEqual(awaiting!.body, {
      eventType: 'com.ledyer.checkout.session.awaiting_signatory',
      merchantId: client.sandbox.merchantId,
      sessionId,
      storeId: client.sandbox.storeId,
    });
    notificationCallbackSchema.parse(awaiting!.body);
    assert.equal((await client.api('GET', `/v1/orders/${orderId}`)).status, 404, 'no order until the signatory signs');
    assert.equal((await client.api('GET', `/v1/orders/${orderId}/paymentstatus`)).body.status, 'orderPending');
    assert.equal((await client.control('POST', `/sessions/${sessionId}/sign`)).body.kind, 'complete');
    const received = await receiver.waitFor(3);
    assert.deepEqual(received.slice(1).map((entry) => entry.body.eventType), ['com.ledyer.order.create', 'com.ledyer.order.ready_for_capture']);
    assert.equal((await client.api('GET', `/v1/orders/${orderId}`)).body.events[0].type, 'readyForCapture');
    assert.equal((await client.control('POST', `/sessions/${sessionId}/sign`)).status, 409);
  });
});

test('close() cancels pending notification retries', async () => {
  const receiverForClose = await startReceiver();
  receiverForClose.respond = (_request, res) => res.writeHead(500).end();
  const sandbox = await startClient({ notificationRetryDelaysMs: [150, 150, 150] });
  try {
    const body = seedCreateSessionRequest() as { settings: { urls: Record<string, unknown> } };
    body.settings.urls['notification'] = `${receiverForClose.url}/notify`;
    const created = await sandbox.api('POST', '/v1/sessions', body);
    await sandbox.control('POST', `/sessions/${created.body.sessionId}/complete`);
    await receiverForClose.waitFor(2);
    await sandbox.close();
    const seen = receiverForClose.received.length;
    await sleep(500);
    assert.equal(receiverForClose.received.length, seen, 'nothing was sent after close()');
  } finally {
    await receiverForClose.close();
  }
});
