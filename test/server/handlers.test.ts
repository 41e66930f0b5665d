/** The Fetch-API handlers for Ledyer's two callbacks (validate, notification), and what all handlers share. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { createNotificationHandler, createValidateHandler, type ValidateDecision } from '../../src/server/index.js';

const silent = (): void => undefined;

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
    const response = await createValidateHandler((_, context) => ((signal = context.signal), new Promise<ValidateDecision>(() => undefined)), { timeoutMs: 50, onError: silent })(ledyerPost(callback));
    assert.equal(response.status, 400);
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
  test('is a 500 body_already_read for the notification handler and a declined 400 for validate, each reported once', async () => {
    const reported: string[] = [];
    const onError = (error: unknown, { handler }: { handler: string }) => void reported.push(`${handler}:${(error as { code?: string }).code}`);
    const consumed = async (request: Request): Promise<Request> => (await request.text(), request);
    const notification = await createNotificationHandler(() => undefined, { onError })(await consumed(ledyerPost({ eventType: 'x', merchantId: 'ac_1', orderId: 'or_1' })));
    assert.equal(notification.status, 500);
    const body = (await notification.json()) as { error: { code: string; message: string } };
    assert.equal(body.error.code, 'body_already_read');
    assert.match(body.error.message, /mount the handler before any body parser \(such as express\.json\(\)\), or pass the parsed body on/);
    const validate = await createValidateHandler(() => ({ proceed: true }), { onError })(await consumed(ledyerPost(callback)));
    assert.equal(validate.status, 400);
    assert.match(await validate.text(), /declined: the request body was already read/);
    assert.deepEqual(reported, ['notification:body_already_read', 'validate:body_already_read']);
  });

  test('a locked body stream (a reader holds it) is the same clear answer, not a TypeError', async () => {
    const request = ledyerPost({ eventType: 'x', merchantId: 'ac_1', orderId: 'or_1' });
    request.body?.getReader();
    const response = await createNotificationHandler(() => undefined, { onError: silent })(request);
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
