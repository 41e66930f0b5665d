/**
 * The recommended notification handling: `createNotificationHandler(fn, { client })`
 * re-reads every order event from Ledyer before `fn` sees it. Failure modes against a
 * client double and the fake Ledyer; the whole recipe (acknowledge, then set the shop's
 * order number) against the real sandbox, which posts its notifications to the handler.
 */
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { startSandbox, type RunningSandbox } from '../../src/sandbox/index.js';
import {
  buildOrder,
  createLedyerClient,
  createNotificationHandler,
  LedyerApiError,
  UnknownOrderNotificationError,
  type LedyerClient,
  type NotificationCallback,
  type Order,
  type PaymentStatus,
  type VerifiedNotification,
  type VerifiedNotificationHandlerOptions,
} from '../../src/server/index.js';
import { toNodeListener } from '../../src/server/node.js';
import { seedOrderResponse } from '../shared/seeds.js';
import { CLIENT_ID, CLIENT_SECRET, startFakeLedyer } from './fake-ledyer.js';

const orderEvent = { eventType: 'com.ledyer.order.create', merchantId: 'ac_1', orderId: 'or_24w4p5pJogDfyMevIEddZLqyXMG', reference: 'PO-7', storeId: 'st_1' };
const sessionEvent = { eventType: 'com.ledyer.checkout.session.awaiting_signatory', merchantId: 'ac_1', sessionId: 'cs_1', storeId: 'st_1' };
const paymentStatus: PaymentStatus = { status: 'paymentConfirmed', note: '', paymentMethod: { provider: 'ledyer', type: 'invoice' } };
const silent = (): void => undefined;

const ledyerPost = (body: unknown): Request =>
  new Request('https://shop.example/ledyer/notification', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

type Client = VerifiedNotificationHandlerOptions['client'];

function clientDouble(overrides: Partial<Client> = {}) {
  const calls: string[] = [];
  const client: Client = {
    getOrder: async (orderId, options) => (calls.push(`getOrder ${orderId}`), overrides.getOrder ? overrides.getOrder(orderId, options) : (seedOrderResponse() as unknown as Order)),
    getPaymentStatus: async (orderId, options) => (calls.push(`getPaymentStatus ${orderId}`), overrides.getPaymentStatus ? overrides.getPaymentStatus(orderId, options) : paymentStatus),
  };
  return { client, calls };
}

describe('createNotificationHandler with a client', () => {
  test("an order event reaches fn with the order and payment status Ledyer reports now, not the body's word", async () => {
    const seen: VerifiedNotification[] = [];
    const { client, calls } = clientDouble();
    const response = await createNotificationHandler((event) => void seen.push(event), { client })(ledyerPost(orderEvent));
    assert.equal(response.status, 200);
    assert.deepEqual(calls.sort(), [`getOrder ${orderEvent.orderId}`, `getPaymentStatus ${orderEvent.orderId}`]);
    assert.equal(seen.length, 1);
    const [event] = seen;
    assert.equal(event?.kind, 'order');
    if (event?.kind !== 'order') return;
    assert.deepEqual(event.notification, orderEvent);
    assert.equal(event.order.orderReference, 'DXXX5HYZ');
    assert.deepEqual(event.paymentStatus, paymentStatus);
  });

  test('an event type Ledyer adds later is re-read and passed on too', async () => {
    const seen: string[] = [];
    const { client, calls } = clientDouble();
    const response = await createNotificationHandler((event) => void seen.push(event.notification.eventType), { client })(ledyerPost({ ...orderEvent, eventType: 'com.ledyer.order.teleport' }));
    assert.equal(response.status, 200);
    assert.deepEqual(seen, ['com.ledyer.order.teleport']);
    assert.equal(calls.length, 2);
  });

  test('a session event has nothing to re-read: fn gets { kind: "session", notification } and Ledyer is not asked', async () => {
    const seen: VerifiedNotification[] = [];
    const { client, calls } = clientDouble();
    const response = await createNotificationHandler((event) => void seen.push(event), { client })(ledyerPost(sessionEvent));
    assert.equal(response.status, 200);
    assert.deepEqual(seen, [{ kind: 'session', notification: sessionEvent }]);
    assert.deepEqual(calls, []);
  });

  test('an order Ledyer does not know: 404 JSON, fn not called, the merchant told why', async () => {
    let called = 0;
    const reported: unknown[] = [];
    const { client } = clientDouble({ getOrder: async () => Promise.reject(new LedyerApiError({ code: 'ledyer_rejected', status: 404, message: 'not found', retryable: false })) });
    const response = await createNotificationHandler(() => void (called += 1), { client, onError: (error) => reported.push(error) })(ledyerPost({ ...orderEvent, orderId: 'or_forged' }));
    assert.equal(response.status, 404);
    assert.deepEqual(await response.json(), { error: { code: 'unknown_order', message: 'Ledyer knows no order with this orderId; the notification was not processed', path: ['orderId'] } });
    assert.equal(called, 0);
    assert.ok(reported[0] instanceof UnknownOrderNotificationError);
    assert.match((reported[0] as Error).message, /names order or_forged, which Ledyer does not know/);
  });

  test('Ledyer unavailable (5xx, network, timeout): 503 so Ledyer sends it again, fn not called', async () => {
    for (const code of ['ledyer_unavailable', 'network_error', 'timeout'] as const) {
      let called = 0;
      const { client } = clientDouble({ getPaymentStatus: async () => Promise.reject(new LedyerApiError({ code, message: code, retryable: true })) });
      const response = await createNotificationHandler(() => void (called += 1), { client, onError: silent })(ledyerPost(orderEvent));
      assert.equal(response.status, 503, code);
      assert.equal(((await response.json()) as { error: { code: string } }).error.code, 'ledyer_unavailable');
      assert.equal(called, 0);
    }
  });

  test('any other failure to read back (refused credentials, a malformed answer) is 500, reported, fn not called', async () => {
    for (const code of ['unauthorized', 'invalid_response'] as const) {
      let called = 0;
      const reported: unknown[] = [];
      const { client } = clientDouble({ getOrder: async () => Promise.reject(new LedyerApiError({ code, message: code, retryable: false })) });
      const response = await createNotificationHandler(() => void (called += 1), { client, onError: (error) => reported.push(error) })(ledyerPost(orderEvent));
      assert.equal(response.status, 500, code);
      assert.equal(called, 0);
      assert.equal((reported[0] as LedyerApiError).code, code);
    }
  });

  test('fn throwing is 500, so Ledyer sends the event again', async () => {
    const { client } = clientDouble();
    const response = await createNotificationHandler(async () => { throw new Error('db down'); }, { client, onError: silent })(ledyerPost(orderEvent));
    assert.equal(response.status, 500);
    assert.doesNotMatch(await response.text(), /db down/);
  });

  test('with the real client, an orderId that cannot be one is 400 naming orderId, and nothing is sent to Ledyer', async () => {
    const fake = await startFakeLedyer();
    try {
      const client = createLedyerClient({ clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, environment: 'sandbox', baseUrls: { api: fake.url, auth: fake.url } });
      let called = 0;
      const handler = createNotificationHandler(() => void (called += 1), { client });
      for (const orderId of ['..', 'o'.repeat(201)]) {
        const response = await handler(ledyerPost({ ...orderEvent, orderId }));
        assert.equal(response.status, 400, orderId);
        assert.deepEqual(((await response.json()) as { error: { path: unknown[] } }).error.path, ['orderId']);
      }
      assert.equal(called, 0);
      assert.equal(fake.apiRequests.length + fake.tokenRequests.length, 0);
    } finally {
      await fake.close();
    }
  });
});

describe('the function type follows the options (compile-time; tsc checks this file)', () => {
  test('with client the function gets the verified union, without it the body', () => {
    const { client } = clientDouble();
    createNotificationHandler(
      (event) => {
        // `order` exists only once narrowed to an order event.
        if (event.kind === 'order') return void event.order.id.length;
        return void event.notification.sessionId.length;
      },
      { client },
    );
    createNotificationHandler((notification) => void notification.eventType.length);
    // @ts-expect-error a function for the verified form needs the client option
    createNotificationHandler((event: VerifiedNotification) => void event.kind);
    // @ts-expect-error a function for the raw body cannot be given the verified form
    createNotificationHandler((notification: NotificationCallback) => void notification.eventType, { client });
  });
});

describe('the recommended recipe against the sandbox', () => {
  let sandbox: RunningSandbox;
  let ledyer: LedyerClient;
  let notificationUrl: string;
  let closeShop: () => Promise<void>;
  const handled: Array<{ eventType: string; orderId?: string; state?: string }> = [];
  const shopOrderNumbers = new Map<string, string>();

  before(async () => {
    sandbox = await startSandbox({ port: 0, notificationRetryDelaysMs: [50, 100] });
    ledyer = createLedyerClient({ ...sandbox.credentials, environment: 'sandbox', baseUrls: { api: sandbox.url, auth: sandbox.url }, retryDelayMs: 5 });
    // What the README recommends: re-read, then acknowledge new orders and set the shop's order number.
    const notification = createNotificationHandler(
      async (event) => {
        if (event.kind === 'session') return void handled.push({ eventType: event.notification.eventType });
        const { notification: body, order, paymentStatus: status } = event;
        handled.push({ eventType: body.eventType, orderId: order.id, state: status.status });
        if (body.eventType === 'com.ledyer.order.create') {
          await ledyer.acknowledgeOrder(order.id, { idempotencyKey: `ack-${order.id}` });
          const number = shopOrderNumbers.get(order.id) ?? `SHOP-${shopOrderNumbers.size + 1000}`;
          shopOrderNumbers.set(order.id, number);
          if (order.merchantReference !== number) await ledyer.setOrderReference(order.id, number, { idempotencyKey: `ref-${order.id}` });
        }
      },
      { client: ledyer },
    );
    const shop = createServer(toNodeListener(notification));
    await new Promise<void>((resolve) => shop.listen(0, '127.0.0.1', resolve));
    notificationUrl = `http://127.0.0.1:${(shop.address() as AddressInfo).port}/ledyer/notification`;
    closeShop = () => new Promise((resolve) => (shop.closeAllConnections(), shop.close(() => resolve())));
  });
  after(async () => {
    await closeShop();
    await sandbox.close();
  });

  async function until(done: () => boolean, what: string): Promise<void> {
    for (let i = 0; i < 200 && !done(); i += 1) await new Promise((resolve) => setTimeout(resolve, 25));
    assert.ok(done(), `never happened: ${what}`);
  }

  test('a bought order is acknowledged and gets the shop order number; a forged notification goes nowhere', async () => {
    const session = await ledyer.createSession({
      country: 'SE',
      currency: 'SEK',
      locale: 'sv-SE',
      settings: { urls: { terms: 'https://shop.example/terms', notification: notificationUrl } },
      ...buildOrder([{ reference: 'coffee-x200', description: 'Coffee Machine X200', quantity: 1, unitPrice: 50000, vat: 2500 }]),
    });
    const bought = await fetch(`${sandbox.url}/sandbox/sessions/${session.orderId}/complete`, { method: 'POST' });
    assert.equal(bought.status, 200);
    await until(() => handled.some((event) => event.eventType === 'com.ledyer.order.create' && event.orderId === session.orderId), 'the create notification');
    await until(() => shopOrderNumbers.has(session.orderId), 'the reference');
    const order = await ledyer.getOrder(session.orderId);
    assert.equal(order.merchantReference, shopOrderNumbers.get(session.orderId));
    const types = order.events.map((event) => event.type);
    assert.ok(types.includes('acknowledge') && types.includes('setReference'), types.join(', '));
    assert.equal(handled.find((event) => event.orderId === session.orderId)?.state, 'paymentConfirmed');

    const forgedId = 'or_forged000000000000000000000';
    const forged = await fetch(notificationUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ ...orderEvent, orderId: forgedId }) });
    assert.equal(forged.status, 404);
    assert.ok(!handled.some((event) => event.orderId === forgedId), 'the function never saw the forged event');
    assert.ok(!shopOrderNumbers.has(forgedId));
  });
});
