/** The Fetch-API handlers: the merchant's checkout endpoint and Ledyer's two callbacks. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  buildOrder,
  createCheckoutHandler,
  createNotificationHandler,
  createValidateHandler,
  LedyerApiError,
  LedyerValidationError,
  UnknownItemError,
  type CartItem,
  type CreateSessionRequestInput,
  type LedyerClient,
  type ValidateDecision,
} from '../../src/server/index.js';
import { sessionCreated } from './fake-ledyer.js';

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

/** A client double that records what the handler would send to Ledyer. */
function recordingClient(answer: () => Promise<typeof sessionCreated> = async () => ({ ...sessionCreated, extra: 'not for the browser' })) {
  const sent: CreateSessionRequestInput[] = [];
  const client: Pick<LedyerClient, 'createSession'> = {
    createSession: async (body) => {
      sent.push(body);
      return answer();
    },
  };
  return { client, sent };
}

const post = (body: unknown, headers: Record<string, string> = { 'content-type': 'application/json' }): Request =>
  new Request('http://shop.example/api/checkout/session', { method: 'POST', headers, body: typeof body === 'string' ? body : JSON.stringify(body) });

const cart = { items: [{ sku: 'coffee-x200', quantity: 2 }, { sku: 'filter-pack', quantity: 3 }] };
const silent = (): void => undefined;

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
    const response = await createCheckoutHandler({ client, resolveOrder: resolveFromCatalogue })(new Request('http://shop.example/x'));
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
    const request = new Request('http://shop.example/x', { method: 'POST', headers: { 'content-type': 'application/json' }, body: endless, duplex: 'half' } as RequestInit);
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
      client: { createSession: async () => Promise.reject(new LedyerValidationError('createSession body', [{ path: ['country'], message: 'bad', code: 'custom' }])) },
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

const callback = { merchantId: 'ac_1', orderId: 'or_1', reference: 'PO-7', storeId: null };
const ledyerPost = (body: unknown): Request => new Request('http://shop.example/ledyer/validate', { method: 'POST', headers: { 'content-type': 'application/json' }, body: typeof body === 'string' ? body : JSON.stringify(body) });

describe('createValidateHandler', () => {
  const answer = (decision: ValidateDecision | (() => never) | unknown, options = {}) =>
    createValidateHandler(() => (typeof decision === 'function' ? (decision as () => ValidateDecision)() : (decision as ValidateDecision)), { onError: silent, ...options })(ledyerPost(callback));

  test('proceed is 200 with no body; the function receives the parsed callback', async () => {
    let seen: unknown;
    const response = await createValidateHandler((body) => ((seen = body), { proceed: true }))(ledyerPost(callback));
    assert.equal(response.status, 200);
    assert.equal(await response.text(), '');
    assert.deepEqual(seen, callback);
  });

  test('proceed with a reference is 200 { reference }; a reference over 50 characters declines (400)', async () => {
    const ok = await answer({ proceed: true, reference: 'PO-7' });
    assert.equal(ok.status, 200);
    assert.deepEqual(await ok.json(), { reference: 'PO-7' });
    assert.equal((await answer({ proceed: true, reference: 'x'.repeat(51) })).status, 400);
  });

  test('a redirect is 303 with Location, placeholders untouched; a non-http location declines', async () => {
    const response = await answer({ redirect: 'https://shop.example/po-needed?order={order.id}&session={session.id}' });
    assert.equal(response.status, 303);
    assert.equal(response.headers.get('location'), 'https://shop.example/po-needed?order={order.id}&session={session.id}');
    assert.equal((await answer({ redirect: 'javascript:alert(1)' })).status, 400);
    assert.equal((await answer({ redirect: '/relative' })).status, 400);
  });

  test('a decline with a message is 422 { title, body }; without one, 400', async () => {
    const withMessage = await answer({ proceed: false, title: 'PO number required', body: 'Enter your PO number, then buy again.' });
    assert.equal(withMessage.status, 422);
    assert.deepEqual(await withMessage.json(), { title: 'PO number required', body: 'Enter your PO number, then buy again.' });
    assert.equal((await answer({ proceed: false })).status, 400);
  });

  test('a throwing validator declines (400) and is reported, never approves', async () => {
    const reported: unknown[] = [];
    const response = await answer(() => { throw new Error('stock service down'); }, { onError: (error: unknown) => reported.push(error) });
    assert.equal(response.status, 400);
    assert.doesNotMatch(await response.text(), /stock service/);
    assert.equal(reported.length, 1);
  });

  test('a validator that misses its deadline declines before Ledyer would give up (and its signal aborts)', async () => {
    let signal: AbortSignal | undefined;
    const started = performance.now();
    const response = await createValidateHandler((_, context) => ((signal = context.signal), new Promise<ValidateDecision>(() => undefined)), { timeoutMs: 50, onError: silent })(ledyerPost(callback));
    assert.equal(response.status, 400);
    assert.ok(performance.now() - started < 1000);
    assert.equal(signal?.aborted, true);
  });

  test('an unsendable decision declines', async () => {
    assert.equal((await answer({ maybe: true })).status, 400);
    assert.equal((await answer(undefined)).status, 400);
  });

  test('a malformed callback body declines with 400 and the function is not called', async () => {
    let calls = 0;
    const handler = createValidateHandler(() => ((calls += 1), { proceed: true }), { onError: silent });
    assert.equal((await handler(ledyerPost('{oops'))).status, 400);
    const missing = await handler(ledyerPost({ merchantId: 'ac_1' }));
    assert.equal(missing.status, 400);
    assert.deepEqual(((await missing.json()) as { error: { path: unknown[] } }).error.path, ['orderId']);
    assert.equal(calls, 0);
  });

  test('a wrong method is 405', async () => {
    const response = await createValidateHandler(() => ({ proceed: true }))(new Request('http://shop.example/v'));
    assert.equal(response.status, 405);
    assert.equal(response.headers.get('allow'), 'POST');
  });
});

describe('createNotificationHandler', () => {
  const orderEvent = { eventType: 'com.ledyer.order.ready_for_capture', merchantId: 'ac_1', orderId: 'or_1', reference: 'PO-7', storeId: 'st_1' };

  test('200 once the function has handled the event', async () => {
    const seen: unknown[] = [];
    const response = await createNotificationHandler((event) => void seen.push(event))(ledyerPost(orderEvent));
    assert.equal(response.status, 200);
    assert.deepEqual(seen, [orderEvent]);
  });

  test('the session-level awaiting_signatory event with a sessionId is accepted', async () => {
    const seen: unknown[] = [];
    const event = { eventType: 'com.ledyer.checkout.session.awaiting_signatory', merchantId: 'ac_1', sessionId: 'cs_1' };
    assert.equal((await createNotificationHandler((body) => void seen.push(body))(ledyerPost(event))).status, 200);
    assert.deepEqual(seen, [event]);
  });

  test('500 when the function throws, so Ledyer sends it again', async () => {
    const reported: unknown[] = [];
    const response = await createNotificationHandler(async () => { throw new Error('db down'); }, { onError: (error) => reported.push(error) })(ledyerPost(orderEvent));
    assert.equal(response.status, 500);
    assert.doesNotMatch(await response.text(), /db down/);
    assert.equal(reported.length, 1);
  });

  test('an event type this package does not know is accepted and passed on as it is (Ledyer may add types)', async () => {
    const seen: unknown[] = [];
    const event = { ...orderEvent, eventType: 'com.ledyer.order.teleport' };
    const response = await createNotificationHandler((body) => void seen.push(body))(ledyerPost(event));
    assert.equal(response.status, 200);
    assert.deepEqual(seen, [event]);
  });

  test('400 for a malformed body, an empty eventType, or neither orderId nor sessionId, without calling the function', async () => {
    let calls = 0;
    const handler = createNotificationHandler(() => void (calls += 1));
    assert.equal((await handler(ledyerPost('not json'))).status, 400);
    const cases: Array<[unknown, string[]]> = [
      [{ ...orderEvent, eventType: '' }, ['eventType']],
      [{ eventType: 'com.ledyer.order.create', merchantId: 'ac_1' }, ['orderId']],
      [{ ...orderEvent, merchantId: 7 }, ['merchantId']],
    ];
    for (const [body, path] of cases) {
      const response = await handler(ledyerPost(body));
      assert.equal(response.status, 400, JSON.stringify(body));
      assert.deepEqual(((await response.json()) as { error: { path: unknown[] } }).error.path, path);
    }
    assert.equal(calls, 0);
  });

  test('405 for a wrong method, 413 for an oversized body', async () => {
    const handler = createNotificationHandler(() => undefined, { maxBodyBytes: 100 });
    assert.equal((await handler(new Request('http://shop.example/n'))).status, 405);
    assert.equal((await handler(ledyerPost({ ...orderEvent, reference: 'x'.repeat(200) }))).status, 413);
  });
});

describe('a body already read before the handler', () => {
  test('is 500 body_already_read for the checkout and notification handlers, a declined 400 for validate, each reported once', async () => {
    const reported: string[] = [];
    const onError = (error: unknown, { handler }: { handler: string }) => void reported.push(`${handler}:${(error as { code?: string }).code}`);
    const consumed = async (request: Request): Promise<Request> => (await request.text(), request);
    const checkout = await createCheckoutHandler({ client: recordingClient().client, resolveOrder: resolveFromCatalogue, onError })(await consumed(post(cart)));
    assert.equal(checkout.status, 500);
    const body = (await checkout.json()) as { error: { code: string; message: string } };
    assert.equal(body.error.code, 'body_already_read');
    assert.match(body.error.message, /mount the handler before any body parser \(such as express\.json\(\)\), or pass the parsed body on/);
    const notification = await createNotificationHandler(() => undefined, { onError })(await consumed(ledyerPost({ eventType: 'x', merchantId: 'ac_1', orderId: 'or_1' })));
    assert.equal(notification.status, 500);
    const validate = await createValidateHandler(() => ({ proceed: true }), { onError })(await consumed(ledyerPost(callback)));
    assert.equal(validate.status, 400);
    assert.match(await validate.text(), /declined: the request body was already read/);
    assert.deepEqual(reported, ['checkout:body_already_read', 'notification:body_already_read', 'validate:body_already_read']);
  });

  test('a locked body stream (a reader holds it) is the same clear answer, not a TypeError', async () => {
    const request = post(cart);
    request.body?.getReader();
    const response = await createCheckoutHandler({ client: recordingClient().client, resolveOrder: resolveFromCatalogue, onError: silent })(request);
    assert.equal(response.status, 500);
    assert.equal(((await response.json()) as { error: { code: string } }).error.code, 'body_already_read');
  });
});

describe('default error reporter', () => {
  test('logs one line with the error, never the request body', async () => {
    const lines: string[] = [];
    const original = console.error;
    console.error = (...args: unknown[]) => void lines.push(args.map(String).join(' '));
    try {
      await createNotificationHandler(() => { throw new Error('handler exploded'); })(ledyerPost({ ...{ eventType: 'com.ledyer.order.create', merchantId: 'ac_1', orderId: 'or_1' }, reference: 'confidential-PO' }));
    } finally {
      console.error = original;
    }
    assert.equal(lines.length, 1);
    assert.match(lines[0]!, /notification handler: Error: handler exploded/);
    assert.doesNotMatch(lines[0]!, /confidential-PO/);
  });

  test('escapes control characters and bidi overrides, so request text cannot forge or disguise a log line', async () => {
    const lines: string[] = [];
    const original = console.error;
    console.error = (...args: unknown[]) => void lines.push(args.map(String).join(' '));
    try {
      const forged = Object.assign(new Error('unknown order or_1\n[ledyer-checkout] checkout handler: all good \u202egnp.exe'), { code: 'x\r\ny' });
      await createNotificationHandler(() => { throw forged; })(ledyerPost({ eventType: 'com.ledyer.order.create', merchantId: 'ac_1', orderId: 'or_1' }));
    } finally {
      console.error = original;
    }
    assert.equal(lines.length, 1);
    assert.equal(lines[0]!.split('\n').length, 1);
    assert.match(lines[0]!, /or_1\\u000a\[ledyer-checkout\] checkout handler: all good \\u202egnp\.exe/);
    assert.match(lines[0]!, /\(x\\u000d\\u000ay\)/);
  });
});
