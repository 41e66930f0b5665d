/**
 * `createCheckoutHandler`: its three routes (create, update, status), the cart rules
 * (merged skus, limits), ownership, session replacement and load shedding, against a
 * recording client double. The real sandbox is in checkout-on-sandbox.test.ts.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  buildOrder,
  createCheckoutHandler,
  LedyerApiError,
  LedyerValidationError,
  UnknownItemError,
  type CartItem,
  type CheckoutHandlerOptions,
  type CreateSessionRequestInput,
  type UpdateSessionRequestInput,
} from '../../src/server/index.js';
import { sessionCreated } from './fake-ledyer.js';

const silent = (): void => undefined;

const catalogue: Record<string, { name: string; unitPrice: number; vat: number }> = {
  'coffee-x200': { name: 'Coffee Machine X200', unitPrice: 50000, vat: 2500 },
  'filter-pack': { name: 'Filter pack', unitPrice: 9900, vat: 2500 },
};

function resolveFromCatalogue(items: CartItem[]): CreateSessionRequestInput {
  const order = buildOrder(
    items.map((item) => {
      const product = catalogue[item.sku];
      if (!product) throw new UnknownItemError(item.sku);
      return { reference: item.sku, description: product.name, quantity: item.quantity, unitPrice: product.unitPrice, vat: product.vat };
    }),
  );
  return { country: 'SE', currency: 'SEK', locale: 'sv-SE', settings: { urls: { terms: 'https://shop.example/terms' } }, ...order };
}

type HandlerClient = CheckoutHandlerOptions['client'];
interface Recorded {
  calls: string[];
  sent: CreateSessionRequestInput[];
  updates: Array<{ orderId: string; body: UpdateSessionRequestInput }>;
}

/** A client double that records what the handler would send to Ledyer; each call's answer can be scripted. */
function recordingClient(
  answer: () => Promise<typeof sessionCreated> = async () => ({ ...sessionCreated, extra: 'not for the browser' }),
  overrides: Partial<HandlerClient> = {},
): { client: HandlerClient } & Recorded {
  const recorded: Recorded = { calls: [], sent: [], updates: [] };
  const client: HandlerClient = {
    createSession: async (body, options) => {
      recorded.calls.push('createSession');
      recorded.sent.push(body);
      return overrides.createSession ? overrides.createSession(body, options) : answer();
    },
    updateSession: async (orderId, body, options) => {
      recorded.calls.push(`updateSession ${orderId}`);
      recorded.updates.push({ orderId, body });
      return overrides.updateSession ? overrides.updateSession(orderId, body, options) : { sessionId: 'cs_1', orderId };
    },
    getPaymentStatus: async (orderId, options) => {
      recorded.calls.push(`getPaymentStatus ${orderId}`);
      return overrides.getPaymentStatus ? overrides.getPaymentStatus(orderId, options) : { status: 'orderInitiated', note: '', paymentMethod: null };
    },
  };
  return { client, ...recorded };
}

const BASE = 'http://shop.example/api/checkout/session';
const post = (body: unknown, headers: Record<string, string> = { 'content-type': 'application/json' }, path = ''): Request =>
  new Request(`${BASE}${path}`, { method: 'POST', headers, body: typeof body === 'string' ? body : JSON.stringify(body) });
const postTo = (orderId: string, body: unknown): Request => post(body, undefined, `/${orderId}`);
const getStatus = (orderId: string, init: RequestInit = {}): Request => new Request(`${BASE}/${orderId}`, init);
type ErrorBody = { error: { code: string; message: string; path?: unknown[] } };

const cart = { items: [{ sku: 'coffee-x200', quantity: 2 }, { sku: 'filter-pack', quantity: 3 }] };

describe('createCheckoutHandler', () => {
  test('answers { sessionId, orderId, expiresAt } and nothing else', async () => {
    const { client, sent } = recordingClient();
    const response = await createCheckoutHandler({ client, resolveOrder: resolveFromCatalogue })(post(cart));
    assert.equal(response.status, 200);
    assert.equal(response.headers.get('cache-control'), 'no-store');
    assert.deepEqual(await response.json(), sessionCreated);
    assert.equal(sent[0]?.totalOrderAmount, 2 * 50000 + 3 * 9900);
  });

  test('a tampered price in the browser body has no effect on what is sent to Ledyer', async () => {
    const honest = recordingClient();
    const tampered = recordingClient();
    await createCheckoutHandler({ client: honest.client, resolveOrder: resolveFromCatalogue })(post(cart));
    const forged = {
      items: cart.items.map((item) => ({ ...item, unitPrice: 1, price: 1, totalAmount: 1 })),
      totalOrderAmount: 1,
    };
    const response = await createCheckoutHandler({ client: tampered.client, resolveOrder: resolveFromCatalogue })(post(forged));
    assert.equal(response.status, 200);
    assert.deepEqual(tampered.sent, honest.sent);
    assert.equal(tampered.sent[0]?.orderLines?.[0]?.unitPrice, 50000);
  });

  test('resolveOrder sees only sku and quantity', async () => {
    let seen: unknown;
    const { client } = recordingClient();
    const handler = createCheckoutHandler({ client, resolveOrder: (items) => ((seen = items), resolveFromCatalogue(items)) });
    await handler(post({ items: [{ sku: ' coffee-x200 ', quantity: 1, unitPrice: 1 }] }));
    assert.deepEqual(seen, [{ sku: 'coffee-x200', quantity: 1 }]);
  });

  test('a wrong method is 405 with Allow: POST', async () => {
    const { client, sent } = recordingClient();
    const response = await createCheckoutHandler({ client, resolveOrder: resolveFromCatalogue })(new Request(BASE));
    assert.equal(response.status, 405);
    assert.equal(response.headers.get('allow'), 'POST');
    assert.equal(((await response.json()) as { error: { code: string } }).error.code, 'method_not_allowed');
    assert.equal(sent.length, 0);
  });

  test('a wrong content type is 415; application/json with a charset is fine', async () => {
    const { client } = recordingClient();
    const handler = createCheckoutHandler({ client, resolveOrder: resolveFromCatalogue });
    assert.equal((await handler(post(cart, { 'content-type': 'text/plain' }))).status, 415);
    assert.equal((await handler(post(cart, { 'content-type': 'application/x-www-form-urlencoded' }))).status, 415);
    assert.equal((await handler(post(cart, { 'content-type': 'application/json; charset=utf-8' }))).status, 200);
  });

  test('a body over the limit is 413; one at the limit is read', async () => {
    const { client } = recordingClient();
    const body = JSON.stringify(cart);
    const atLimit = createCheckoutHandler({ client, resolveOrder: resolveFromCatalogue, maxBodyBytes: Buffer.byteLength(body) });
    assert.equal((await atLimit(post(body))).status, 200);
    const tooSmall = createCheckoutHandler({ client, resolveOrder: resolveFromCatalogue, maxBodyBytes: Buffer.byteLength(body) - 1 });
    const response = await tooSmall(post(body));
    assert.equal(response.status, 413);
    assert.equal(((await response.json()) as { error: { code: string } }).error.code, 'body_too_large');
  });

  test('a streamed body without Content-Length is cut off at the limit too', async () => {
    const { client } = recordingClient();
    const handler = createCheckoutHandler({ client, resolveOrder: resolveFromCatalogue, maxBodyBytes: 1024 });
    let pulled = 0;
    const endless = new ReadableStream<Uint8Array>({
      pull(controller) {
        pulled += 1;
        controller.enqueue(new Uint8Array(512).fill(32));
      },
    });
    const request = new Request(BASE, { method: 'POST', headers: { 'content-type': 'application/json' }, body: endless, duplex: 'half' } as RequestInit);
    assert.equal((await handler(request)).status, 413);
    assert.ok(pulled < 10, `read ${pulled} chunks`);
  });

  test('malformed JSON is 400 invalid_json', async () => {
    const { client } = recordingClient();
    const response = await createCheckoutHandler({ client, resolveOrder: resolveFromCatalogue })(post('{"items": ['));
    assert.equal(response.status, 400);
    const body = (await response.json()) as { error: { code: string; message: string } };
    assert.equal(body.error.code, 'invalid_json');
    assert.match(body.error.message, /not valid JSON/);
  });

  test('each bad cart is 400 invalid_cart with the path of the problem', async () => {
    const { client, sent } = recordingClient();
    const handler = createCheckoutHandler({ client, resolveOrder: resolveFromCatalogue, maxQuantity: 100 });
    const cases: Array<[unknown, Array<string | number>]> = [
      [{ items: [{ sku: 'coffee-x200', quantity: 0 }] }, ['items', 0, 'quantity']],
      [{ items: [{ sku: 'coffee-x200', quantity: 1.5 }] }, ['items', 0, 'quantity']],
      [{ items: [{ sku: 'coffee-x200', quantity: 1 }, { sku: 'filter-pack', quantity: 101 }] }, ['items', 1, 'quantity']],
      [{ items: [{ sku: 'coffee-x200', quantity: '2' }] }, ['items', 0, 'quantity']],
      [{ items: [{ sku: '  ', quantity: 1 }] }, ['items', 0, 'sku']],
      [{ items: [] }, ['items']],
      [{ cart: [] }, ['items']],
      [[], []],
    ];
    for (const [body, path] of cases) {
      const response = await handler(post(body));
      assert.equal(response.status, 400, JSON.stringify(body));
      const answer = (await response.json()) as { error: { code: string; message: string; path?: unknown[] } };
      assert.equal(answer.error.code, 'invalid_cart');
      assert.deepEqual(answer.error.path ?? [], path, JSON.stringify(answer));
    }
    assert.equal(sent.length, 0);
  });

  test('an unknown sku is 400 unknown_item naming it, thrown or returned', async () => {
    const { client, sent } = recordingClient();
    const thrown = createCheckoutHandler({ client, resolveOrder: resolveFromCatalogue });
    const response = await thrown(post({ items: [{ sku: 'coffee-x200', quantity: 1 }, { sku: 'unicorn', quantity: 1 }] }));
    assert.equal(response.status, 400);
    assert.deepEqual(await response.json(), { error: { code: 'unknown_item', message: 'unknown sku: "unicorn"', path: ['items', 1, 'sku'] } });
    const returned = createCheckoutHandler({ client, resolveOrder: (items) => new UnknownItemError(items[0]!.sku) });
    assert.equal((await returned(post({ items: [{ sku: 'unicorn', quantity: 1 }] }))).status, 400);
    assert.equal(sent.length, 0);
  });

  test('an upstream failure is 502 without its details; the merchant hears about it', async () => {
    const reported: unknown[] = [];
    const failing = recordingClient(async () => {
      throw new LedyerApiError({ code: 'ledyer_rejected', status: 400, message: 'POST /v1/sessions: Ledyer answered 400: merchant ac_123 is suspended', retryable: false });
    });
    const handler = createCheckoutHandler({ client: failing.client, resolveOrder: resolveFromCatalogue, onError: (error) => reported.push(error) });
    const response = await handler(post(cart));
    assert.equal(response.status, 502);
    const text = await response.text();
    assert.equal(JSON.parse(text).error.code, 'upstream_error');
    assert.doesNotMatch(text, /suspended|ac_123|v1\/sessions/);
    assert.equal(reported.length, 1);
  });

  test("a bug on the merchant's side (invalid order, a throwing resolveOrder) is 500, not the buyer's fault", async () => {
    const { client } = recordingClient();
    const invalid = createCheckoutHandler({
      client: recordingClient(async () => Promise.reject(new LedyerValidationError('createSession body', [{ path: ['country'], message: 'bad', code: 'custom' }]))).client,
      resolveOrder: resolveFromCatalogue,
      onError: silent,
    });
    assert.equal((await invalid(post(cart))).status, 500);
    const crashing = createCheckoutHandler({ client, resolveOrder: () => { throw new Error('database down'); }, onError: silent });
    const response = await crashing(post(cart));
    assert.equal(response.status, 500);
    assert.doesNotMatch(await response.text(), /database/);
  });
});


const apiError = (status: number, code: LedyerApiError['code'] = status >= 500 ? 'ledyer_unavailable' : 'ledyer_rejected') =>
  new LedyerApiError({ code, status, message: `Ledyer answered ${status}`, retryable: status >= 500 });

describe('routes', () => {
  test('a path outside basePath is a 404 JSON body naming the paths the handler serves', async () => {
    const { client, calls } = recordingClient();
    const handler = createCheckoutHandler({ client, resolveOrder: resolveFromCatalogue });
    for (const path of ['http://shop.example/', 'http://shop.example/api/checkout', 'http://shop.example/api/checkout/sessions', `${BASE}/or_1/extra`]) {
      const response = await handler(new Request(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(cart) }));
      assert.equal(response.status, 404, path);
      const body = (await response.json()) as ErrorBody;
      assert.equal(body.error.code, 'not_found');
      assert.equal(body.error.message, 'this handler serves POST /api/checkout/session, POST /api/checkout/session/{orderId} and GET /api/checkout/session/{orderId}');
    }
    assert.deepEqual(calls, []);
  });

  test('basePath moves every route; the default path is then outside', async () => {
    const { client, calls } = recordingClient();
    const handler = createCheckoutHandler({ client, resolveOrder: resolveFromCatalogue, basePath: '/shop/ledyer/checkout/' });
    assert.equal((await handler(new Request('http://shop.example/shop/ledyer/checkout', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(cart) }))).status, 200);
    assert.equal((await handler(new Request('http://shop.example/shop/ledyer/checkout/or_7'))).status, 200);
    const outside = await handler(post(cart));
    assert.equal(outside.status, 404);
    assert.match(((await outside.json()) as ErrorBody).error.message, /POST \/shop\/ledyer\/checkout\/\{orderId\}/);
    assert.deepEqual(calls, ['createSession', 'getPaymentStatus or_7']);
    assert.throws(() => createCheckoutHandler({ client, resolveOrder: resolveFromCatalogue, basePath: 'api/checkout' }), /basePath must start with "\/"/);
  });

  test('a wrong method on a checkout is 405 with Allow: GET, POST', async () => {
    const { client, calls } = recordingClient();
    const response = await createCheckoutHandler({ client, resolveOrder: resolveFromCatalogue })(new Request(`${BASE}/or_1`, { method: 'DELETE' }));
    assert.equal(response.status, 405);
    assert.equal(response.headers.get('allow'), 'GET, POST');
    assert.deepEqual(calls, []);
  });

  test('an orderId segment that is malformed, empty or over 200 characters is 400 naming orderId; nothing is sent', async () => {
    const { client, calls } = recordingClient();
    const handler = createCheckoutHandler({ client, resolveOrder: resolveFromCatalogue });
    const cases: Array<[string, RegExp]> = [
      ['%ZZ', /not valid percent-encoding/],
      ['or_%E0%A4%A', /not valid percent-encoding/],
      ['', /must not be empty/],
      ['o'.repeat(201), /at most 200 characters/],
    ];
    for (const [segment, message] of cases) {
      for (const request of [getStatus(segment), postTo(segment, cart)]) {
        const response = await handler(request);
        assert.equal(response.status, 400, segment);
        const body = (await response.json()) as ErrorBody;
        assert.equal(body.error.code, 'invalid_order_id');
        assert.deepEqual(body.error.path, ['orderId']);
        assert.match(body.error.message, message);
      }
    }
    // `.` and `..` never arrive as a segment: URL parsing resolves them, and what remains is outside.
    assert.equal((await handler(new Request(`${BASE}/%2e%2e`))).status, 404);
    assert.deepEqual(calls, []);
  });

  test('an orderId at 200 characters, and one with escaped characters, reaches the client decoded', async () => {
    const { client, calls } = recordingClient();
    const handler = createCheckoutHandler({ client, resolveOrder: resolveFromCatalogue });
    assert.equal((await handler(getStatus('o'.repeat(200)))).status, 200);
    assert.equal((await handler(getStatus('or%2F1%20x'))).status, 200);
    assert.deepEqual(calls, [`getPaymentStatus ${'o'.repeat(200)}`, 'getPaymentStatus or/1 x']);
  });
});

describe('the cart: merged skus and limits', () => {
  test('lines for the same sku are merged before resolveOrder sees them, in first-seen order', async () => {
    let seen: CartItem[] = [];
    const { client } = recordingClient();
    const handler = createCheckoutHandler({ client, resolveOrder: (items) => ((seen = items), resolveFromCatalogue(items)) });
    const response = await handler(post({ items: [{ sku: 'filter-pack', quantity: 1 }, { sku: 'coffee-x200', quantity: 2 }, { sku: ' filter-pack ', quantity: 4 }] }));
    assert.equal(response.status, 200);
    assert.deepEqual(seen, [{ sku: 'filter-pack', quantity: 5 }, { sku: 'coffee-x200', quantity: 2 }]);
  });

  test('maxQuantity applies to the merged quantity: 100 lines of 99 are refused on create and update alike', async () => {
    const { client, calls } = recordingClient();
    const handler = createCheckoutHandler({ client, resolveOrder: resolveFromCatalogue });
    const repeated = { items: Array.from({ length: 100 }, () => ({ sku: 'coffee-x200', quantity: 99 })) };
    for (const request of [post(repeated), postTo('or_1', repeated)]) {
      const response = await handler(request);
      assert.equal(response.status, 400);
      const body = (await response.json()) as ErrorBody;
      assert.equal(body.error.code, 'invalid_cart');
      assert.deepEqual(body.error.path, ['items', 0, 'quantity']);
      assert.match(body.error.message, /at most 1000 \(the handler's maxQuantity\) per sku: the 100 lines for sku "coffee-x200" add up to 9900/);
    }
    assert.deepEqual(calls, []);
  });

  test('a cart whose merged quantity is exactly maxQuantity passes', async () => {
    const { client, sent } = recordingClient();
    const handler = createCheckoutHandler({ client, resolveOrder: resolveFromCatalogue, maxQuantity: 1000 });
    const response = await handler(post({ items: Array.from({ length: 10 }, () => ({ sku: 'coffee-x200', quantity: 100 })) }));
    assert.equal(response.status, 200);
    assert.equal(sent[0]?.orderLines?.[0]?.quantity, 1000);
  });

  test('more raw lines than maxItems is 400 naming the limit, even when they would merge into one; maxItems lines pass', async () => {
    const { client, calls } = recordingClient();
    const handler = createCheckoutHandler({ client, resolveOrder: resolveFromCatalogue, maxItems: 20 });
    const tooMany = await handler(post({ items: Array.from({ length: 21 }, () => ({ sku: 'coffee-x200', quantity: 1 })) }));
    assert.equal(tooMany.status, 400);
    const body = (await tooMany.json()) as ErrorBody;
    assert.deepEqual(body.error.path, ['items']);
    assert.match(body.error.message, /at most 20 lines \(the handler's maxItems\)/);
    assert.deepEqual(calls, []);
    assert.equal((await handler(post({ items: Array.from({ length: 20 }, () => ({ sku: 'coffee-x200', quantity: 1 })) }))).status, 200);
  });

  test('an unknown sku after merging still points at its first line in the posted cart', async () => {
    const { client } = recordingClient();
    const handler = createCheckoutHandler({ client, resolveOrder: resolveFromCatalogue });
    const response = await handler(post({ items: [{ sku: 'coffee-x200', quantity: 1 }, { sku: 'coffee-x200', quantity: 1 }, { sku: 'unicorn', quantity: 1 }] }));
    assert.equal(response.status, 400);
    assert.deepEqual(((await response.json()) as ErrorBody).error.path, ['items', 2, 'sku']);
  });
});

describe('the update route: POST {basePath}/{orderId}', () => {
  test('prices the cart with resolveOrder and updates the session with it: { sessionId, orderId, replaced: false }', async () => {
    const contexts: Array<string | undefined> = [];
    const { client, calls, updates } = recordingClient();
    const handler = createCheckoutHandler({ client, resolveOrder: (items, context) => (contexts.push(context.orderId), resolveFromCatalogue(items)) });
    const response = await handler(postTo('or_1', { items: [{ sku: 'filter-pack', quantity: 2 }, { sku: 'filter-pack', quantity: 1 }] }));
    assert.equal(response.status, 200);
    assert.deepEqual(await response.json(), { sessionId: 'cs_1', orderId: 'or_1', replaced: false });
    assert.deepEqual(calls, ['updateSession or_1']);
    assert.deepEqual(contexts, ['or_1']);
    assert.equal(updates[0]?.body.totalOrderAmount, 3 * 9900);
    assert.equal(updates[0]?.body.orderLines?.[0]?.quantity, 3);
  });

  test('expiresAt is passed on when Ledyer states it', async () => {
    const { client } = recordingClient(undefined, { updateSession: async (orderId) => ({ sessionId: 'cs_1', orderId, expiresAt: '2026-12-01T10:00:00Z' }) });
    const response = await createCheckoutHandler({ client, resolveOrder: resolveFromCatalogue })(postTo('or_1', cart));
    assert.deepEqual(await response.json(), { sessionId: 'cs_1', orderId: 'or_1', replaced: false, expiresAt: '2026-12-01T10:00:00Z' });
  });

  test('a session Ledyer calls gone (409, 404, 410, 422) is replaced by a new one with the same body: replaced: true', async () => {
    for (const status of [404, 409, 410, 422]) {
      const sessions: unknown[] = [];
      const { client, calls, sent, updates } = recordingClient(async () => ({ sessionId: 'cs_new', orderId: 'or_new', expiresAt: '2026-12-08T10:00:00Z' }), {
        updateSession: async () => Promise.reject(apiError(status)),
      });
      const handler = createCheckoutHandler({ client, resolveOrder: resolveFromCatalogue, onSession: (session) => void sessions.push(session) });
      const response = await handler(postTo('or_old', cart));
      assert.equal(response.status, 200, String(status));
      assert.deepEqual(await response.json(), { sessionId: 'cs_new', orderId: 'or_new', expiresAt: '2026-12-08T10:00:00Z', replaced: true });
      assert.deepEqual(calls, ['updateSession or_old', 'createSession']);
      assert.deepEqual(sent[0], updates[0]?.body);
      assert.deepEqual(sessions, [{ sessionId: 'cs_new', orderId: 'or_new', expiresAt: '2026-12-08T10:00:00Z', replacedOrderId: 'or_old' }]);
    }
  });

  test('never replaced on 400/401/403/408/429, a 5xx, a network error or a timeout: 502, and no new session', async () => {
    const failures = [
      apiError(400),
      apiError(401, 'unauthorized'),
      apiError(403),
      apiError(408),
      apiError(429),
      apiError(500),
      apiError(503),
      new LedyerApiError({ code: 'network_error', message: 'could not reach Ledyer', retryable: true }),
      new LedyerApiError({ code: 'timeout', message: 'no answer', retryable: true }),
    ];
    for (const failure of failures) {
      const reported: unknown[] = [];
      const { client, calls } = recordingClient(undefined, { updateSession: async () => Promise.reject(failure) });
      const response = await createCheckoutHandler({ client, resolveOrder: resolveFromCatalogue, onError: (error) => reported.push(error) })(postTo('or_1', cart));
      assert.equal(response.status, 502, `${failure.code} ${failure.status}`);
      assert.equal(((await response.json()) as ErrorBody).error.code, 'upstream_error');
      assert.deepEqual(calls, ['updateSession or_1']);
      assert.equal(reported.length, 1);
    }
  });

  test('isSessionGone decides for a 4xx; even if it says yes, a 5xx is never treated as gone', async () => {
    const asked: number[] = [];
    const isSessionGone = (error: LedyerApiError) => (asked.push(error.status ?? 0), true);
    const gone400 = recordingClient(undefined, { updateSession: async () => Promise.reject(apiError(400)) });
    const response = await createCheckoutHandler({ client: gone400.client, resolveOrder: resolveFromCatalogue, isSessionGone })(postTo('or_1', cart));
    assert.equal(((await response.json()) as { replaced: boolean }).replaced, true);
    const down = recordingClient(undefined, { updateSession: async () => Promise.reject(apiError(503)) });
    const failed = await createCheckoutHandler({ client: down.client, resolveOrder: resolveFromCatalogue, isSessionGone, onError: silent })(postTo('or_1', cart));
    assert.equal(failed.status, 502);
    assert.deepEqual(asked, [400]);
    assert.deepEqual(down.calls, ['updateSession or_1']);
  });

  test('a bad cart on the update route is refused before anything is sent', async () => {
    const { client, calls } = recordingClient();
    const handler = createCheckoutHandler({ client, resolveOrder: resolveFromCatalogue });
    assert.equal((await handler(postTo('or_1', { items: [] }))).status, 400);
    assert.equal((await handler(post(cart, { 'content-type': 'text/plain' }, '/or_1'))).status, 415);
    assert.equal((await handler(post('{', undefined, '/or_1'))).status, 400);
    assert.deepEqual(calls, []);
  });
});

describe('the status route: GET {basePath}/{orderId}', () => {
  const statusOf = async (answer: () => Promise<unknown>) => {
    const { client } = recordingClient(undefined, { getPaymentStatus: answer as HandlerClient['getPaymentStatus'] });
    const response = await createCheckoutHandler({ client, resolveOrder: resolveFromCatalogue, onError: silent })(getStatus('or_1'));
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  };

  test("maps Ledyer's payment status to the checkout's state", async () => {
    const cases: Array<[string, string]> = [
      ['orderInitiated', 'open'],
      ['orderPending', 'pending'],
      ['paymentPending', 'complete'],
      ['paymentConfirmed', 'complete'],
      ['orderCaptured', 'complete'],
      ['orderRefunded', 'complete'],
      ['orderCancelled', 'cancelled'],
      ['unknown', 'unknown'],
      ['orderTeleported', 'unknown'],
    ];
    for (const [paymentStatus, state] of cases) {
      const answer = await statusOf(async () => ({ status: paymentStatus, note: '', paymentMethod: { provider: 'ledyer', type: 'invoice', extra: 1 } }));
      assert.equal(answer.status, 200);
      assert.deepEqual(answer.body, { orderId: 'or_1', state, paymentStatus, paymentMethod: { provider: 'ledyer', type: 'invoice' } }, paymentStatus);
    }
  });

  test('an order Ledyer does not know (404) is an open checkout, with no payment status', async () => {
    const answer = await statusOf(async () => Promise.reject(apiError(404)));
    assert.deepEqual(answer, { status: 200, body: { orderId: 'or_1', state: 'open', paymentStatus: null, paymentMethod: null } });
  });

  test('Ledyer failing is 502, never a guessed state', async () => {
    for (const failure of [apiError(500), apiError(400), new LedyerApiError({ code: 'timeout', message: 'no answer', retryable: true })]) {
      const answer = await statusOf(async () => Promise.reject(failure));
      assert.equal(answer.status, 502);
      assert.equal((answer.body as ErrorBody).error.code, 'upstream_error');
    }
  });
});

describe('ownsCheckout', () => {
  test('false: the update and status routes answer 404 and nothing is priced or sent', async () => {
    let priced = 0;
    const asked: string[] = [];
    const { client, calls } = recordingClient();
    const handler = createCheckoutHandler({
      client,
      resolveOrder: (items) => ((priced += 1), resolveFromCatalogue(items)),
      ownsCheckout: (orderId, { request }) => (asked.push(`${request.method} ${orderId}`), orderId === 'or_mine'),
    });
    for (const request of [getStatus('or_theirs'), postTo('or_theirs', cart)]) {
      const response = await handler(request);
      assert.equal(response.status, 404);
      assert.deepEqual(await response.json(), { error: { code: 'unknown_checkout', message: 'there is no checkout with this orderId for you', path: ['orderId'] } });
    }
    assert.deepEqual(calls, []);
    assert.equal(priced, 0);
    assert.equal((await handler(getStatus('or_mine'))).status, 200);
    assert.equal((await handler(postTo('or_mine', cart))).status, 200);
    assert.deepEqual(calls, ['getPaymentStatus or_mine', 'updateSession or_mine']);
    assert.deepEqual(asked, ['GET or_theirs', 'POST or_theirs', 'GET or_mine', 'POST or_mine']);
  });

  test('it may be async; when it throws, the answer is 500 and nothing is sent', async () => {
    const { client, calls } = recordingClient();
    const handler = createCheckoutHandler({ client, resolveOrder: resolveFromCatalogue, onError: silent, ownsCheckout: async () => { throw new Error('session store down'); } });
    const response = await handler(getStatus('or_1'));
    assert.equal(response.status, 500);
    assert.doesNotMatch(await response.text(), /session store/);
    assert.deepEqual(calls, []);
  });

  test('onSession hears of each created session, so ownership can be recorded', async () => {
    const sessions: unknown[] = [];
    const { client } = recordingClient();
    await createCheckoutHandler({ client, resolveOrder: resolveFromCatalogue, onSession: (session) => void sessions.push(session) })(post(cart));
    assert.deepEqual(sessions, [sessionCreated]);
  });
});

/** Yields to the event loop until `done()` (bounded: a test that never gets there fails, it does not hang). */
async function until(done: () => boolean): Promise<void> {
  for (let turn = 0; turn < 1000 && !done(); turn += 1) await new Promise((resolve) => setImmediate(resolve));
  assert.ok(done(), 'the condition was never reached');
}

/** A promise with its resolve exposed, to hold an upstream call open. */
function deferred<T>() {
  let resolve: (value: T) => void = () => undefined;
  const promise = new Promise<T>((done) => (resolve = done));
  return { promise, resolve };
}

describe('load shedding', () => {
  test('past maxInFlight and a full queue, a request is refused at once: 503, Retry-After, JSON, nothing sent', async () => {
    const held = deferred<typeof sessionCreated>();
    const { client, calls } = recordingClient(() => held.promise);
    const handler = createCheckoutHandler({ client, resolveOrder: resolveFromCatalogue, concurrency: { maxInFlight: 1, maxQueued: 0, retryAfterSeconds: 2 } });
    const first = handler(post(cart));
    await until(() => calls.length === 1);
    const refused = await handler(post(cart));
    assert.equal(refused.status, 503);
    assert.equal(refused.headers.get('retry-after'), '2');
    assert.deepEqual(await refused.json(), { error: { code: 'overloaded', message: 'too many checkouts are in progress; try again in 2 s' } });
    assert.deepEqual(calls, ['createSession']);
    held.resolve(sessionCreated);
    assert.equal((await first).status, 200);
    assert.equal((await handler(post(cart))).status, 200, 'the slot is free again');
  });

  test('a queued request is served when a slot frees up', async () => {
    const held = deferred<typeof sessionCreated>();
    let n = 0;
    const { client, calls } = recordingClient(() => (n++ === 0 ? held.promise : Promise.resolve(sessionCreated)));
    const handler = createCheckoutHandler({ client, resolveOrder: resolveFromCatalogue, concurrency: { maxInFlight: 1, maxQueued: 1, maxWaitMs: 60_000 } });
    const first = handler(post(cart));
    await until(() => calls.length === 1);
    const second = handler(post(cart));
    for (let turn = 0; turn < 20; turn += 1) await new Promise((resolve) => setImmediate(resolve));
    assert.equal(calls.length, 1, 'the second waits in the queue');
    held.resolve(sessionCreated);
    assert.deepEqual([(await first).status, (await second).status], [200, 200]);
  });

  test('a request that waits past maxWaitMs is refused with 503', async () => {
    const held = deferred<typeof sessionCreated>();
    const { client, calls } = recordingClient(() => held.promise);
    const handler = createCheckoutHandler({ client, resolveOrder: resolveFromCatalogue, concurrency: { maxInFlight: 1, maxQueued: 5, maxWaitMs: 0 } });
    const first = handler(post(cart));
    await until(() => calls.length === 1);
    const waited = await handler(getStatus('or_1'));
    assert.equal(waited.status, 503);
    assert.deepEqual(calls, ['createSession']);
    held.resolve(sessionCreated);
    await first;
  });

  test('a queued request whose client goes away leaves the queue silently and sends nothing', async () => {
    const held = deferred<typeof sessionCreated>();
    const reported: unknown[] = [];
    const { client, calls } = recordingClient(() => held.promise);
    const handler = createCheckoutHandler({ client, resolveOrder: resolveFromCatalogue, onError: (error) => reported.push(error), concurrency: { maxInFlight: 1, maxQueued: 5, maxWaitMs: 60_000 } });
    const first = handler(post(cart));
    await until(() => calls.length === 1);
    const leaving = new AbortController();
    const gone = handler(new Request(BASE, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(cart), signal: leaving.signal }));
    await new Promise((resolve) => setImmediate(resolve));
    leaving.abort();
    assert.equal((await gone).status, 499);
    held.resolve(sessionCreated);
    assert.equal((await first).status, 200);
    assert.deepEqual(calls, ['createSession']);
    assert.deepEqual(reported, []);
  });

  test('a client that goes away while Ledyer works is not an error either: no report', async () => {
    const reported: unknown[] = [];
    const leaving = new AbortController();
    const { client } = recordingClient(async () => {
      leaving.abort();
      throw new LedyerApiError({ code: 'aborted', message: 'aborted by the caller', retryable: true });
    });
    const handler = createCheckoutHandler({ client, resolveOrder: resolveFromCatalogue, onError: (error) => reported.push(error) });
    const response = await handler(new Request(BASE, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(cart), signal: leaving.signal }));
    assert.equal(response.status, 499);
    assert.deepEqual(reported, []);
  });

  test('concurrency: false turns shedding off', async () => {
    const held = deferred<typeof sessionCreated>();
    const { client, calls } = recordingClient(() => held.promise);
    const handler = createCheckoutHandler({ client, resolveOrder: resolveFromCatalogue, concurrency: false });
    const pending = Array.from({ length: 40 }, () => handler(post(cart)));
    await until(() => calls.length === 40);
    held.resolve(sessionCreated);
    assert.ok((await Promise.all(pending)).every((response) => response.status === 200));
  });
});
