/** Route-level tests of the sandbox's browser side, with a fake CheckoutService (no browser). */
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { describe, test } from 'node:test';
import { Script } from 'node:vm';
import { assembleBootstrap, CHECKOUT_PAGE_CSP, escapeHtml, handleBrowserRequest, pageState, PROTOCOL_MARKER, SESSION_CHANGED_MESSAGE } from '../../src/sandbox/browser-routes.js';
import { envelope, PROTOCOL_VERSION, readPageMessage, readParentMessage } from '../../src/sandbox/browser/protocol.js';
import type { CheckoutPageState } from '../../src/sandbox/checkout-service.js';
import { LiveCheckouts } from '../../src/sandbox/live-checkouts.js';
import { createFakeService, SESSION, view } from './browser-fixtures.js';

const ORIGIN = 'http://127.0.0.1:4010';

function call(path: string, init: RequestInit = {}, service = createFakeService()) {
  return { service, response: handleBrowserRequest(new Request(`${ORIGIN}${path}`, init), service) };
}

const postJson = (body: unknown, headers: Record<string, string> = {}): RequestInit => ({
  method: 'POST',
  headers: { 'content-type': 'application/json', origin: ORIGIN, ...headers },
  body: typeof body === 'string' ? body : JSON.stringify(body),
});

/** What the page sends for the version every fake session starts at. */
const BUY = { version: 'v1', paymentMethod: 'invoice' };

/** The page's JSON data block, as the page reads it. */
function dataBlock(html: string): CheckoutPageState {
  const text = /<script type="application\/json" id="checkout-data">(.*?)<\/script>/s.exec(html)?.[1];
  assert.ok(text, 'the page has its data block');
  return JSON.parse(text) as CheckoutPageState;
}

describe('GET /bootstrap.js', () => {
  test('serves a classic script with protocol.js inlined in place of the marker', async () => {
    const response = (await call('/bootstrap.js').response)!;
    assert.equal(response.status, 200);
    assert.match(response.headers.get('content-type') ?? '', /^text\/javascript/);
    assert.equal(response.headers.get('x-content-type-options'), 'nosniff');
    const source = await response.text();
    assert.ok(!source.includes(PROTOCOL_MARKER), 'marker replaced');
    assert.ok(!/^export /m.test(source), 'no module syntax left');
    assert.match(source, /function readPageMessage\(/);
    // Parses as a classic script (a module-only construct would throw here).
    assert.doesNotThrow(() => new Script(source, { filename: 'bootstrap.js' }));
  });

  test('the inlined protocol is exactly protocol.js minus its export keywords', async () => {
    const [assembled, protocol] = await Promise.all([assembleBootstrap(), readFile(new URL('../../src/sandbox/browser/protocol.js', import.meta.url), 'utf8')]);
    const exported = [...protocol.matchAll(/^export (?:const|function) (\w+)/gm)].map((match) => match[1]);
    assert.ok(exported.includes('readPageMessage') && exported.includes('readParentMessage') && exported.includes('envelope'));
    assert.ok(assembled.includes(`return { ${exported.join(', ')} };`));
    for (const line of protocol.replace(/^export /gm, '').split('\n').filter((text) => text.trim() && text !== '// @ts-check')) {
      assert.ok(assembled.includes(line), `bootstrap lacks protocol line: ${line}`);
    }
  });

  test('POST /bootstrap.js is refused; a path that is not ours is left to the caller (null)', async () => {
    assert.equal((await call('/bootstrap.js', { method: 'POST' }).response)?.status, 405);
    assert.equal(await call('/v1/sessions').response, null);
    assert.equal(await call('/bootstrap.jsx').response, null);
  });
});

describe('GET /checkout/{sessionId}', () => {
  test('renders the session with CSP, nosniff and no-store, prefilled and escaped', async () => {
    const response = (await call(`/checkout/${SESSION.open}`).response)!;
    assert.equal(response.status, 200);
    assert.equal(response.headers.get('content-security-policy'), CHECKOUT_PAGE_CSP);
    assert.ok(!/unsafe-inline|unsafe-eval/.test(CHECKOUT_PAGE_CSP));
    assert.equal(response.headers.get('x-content-type-options'), 'nosniff');
    assert.equal(response.headers.get('cache-control'), 'no-store');
    const html = await response.text();
    assert.match(html, /name="companyId" value="559311-3714"/);
    assert.match(html, /name="email" value="buyer@example.com"/);
    assert.match(html, /SEK 1,100\.00/);
    assert.match(html, /href="https:\/\/example.com\/terms"/);
    assert.ok(!/<script(?![^>]*(\bsrc=|type="application\/json"))/.test(html), 'no inline executable script');
  });

  test('hostile session data is escaped everywhere, and a javascript: terms URL is not linked', async () => {
    const html = await (await call(`/checkout/${SESSION.hostile}`).response)!.text();
    assert.ok(!html.includes('<script>window.pwned'), 'customer text escaped in markup');
    assert.ok(!html.includes('<img src=x'), 'attribute value escaped');
    assert.ok(!html.includes('</script><b>'), 'order line escaped, also inside the JSON data block');
    assert.ok(!html.includes('javascript:alert'), 'non-http terms link dropped');
    assert.match(html, /&quot;&gt;&lt;script&gt;window\.pwned=1&lt;\/script&gt;/);
    assert.equal(escapeHtml(`<a href="x">'&`), '&lt;a href=&quot;x&quot;&gt;&#39;&amp;');
  });

  test('settings decide the fields: name and shipping fields shown or not', async () => {
    const open = await (await call(`/checkout/${SESSION.open}`).response)!.text();
    assert.match(open, /name="firstName"/);
    assert.match(open, /id="ship-elsewhere"/);
    const bare = await (await call(`/checkout/${SESSION.validation}`).response)!.text();
    assert.ok(!bare.includes('name="firstName"'));
    assert.ok(!bare.includes('ship-elsewhere'));
  });

  test('an unknown session is a 404 page with the service message; an expired one a 410', async () => {
    const unknown = (await call(`/checkout/${SESSION.unknown}`).response)!;
    assert.equal(unknown.status, 404);
    assert.equal(unknown.headers.get('content-security-policy'), CHECKOUT_PAGE_CSP);
    assert.match(await unknown.text(), /This checkout session does not exist\./);
    const expired = (await call(`/checkout/${SESSION.expired}`).response)!;
    assert.equal(expired.status, 410);
    assert.match(await expired.text(), /has expired/);
  });

  test('a malformed session id is a 400 and never reaches the service', async () => {
    for (const bad of ['%3Cscript%3E', 'a%2Fb', '.hidden', `${'x'.repeat(129)}`, '%E0%A4%A']) {
      const { service, response } = call(`/checkout/${bad}`);
      assert.equal((await response)?.status, 400, bad);
      assert.equal(service.calls.length, 0, bad);
    }
    const { service, response } = call(`/checkout/${SESSION.open}`);
    assert.equal((await response)?.status, 200);
    assert.equal(service.calls.length, 1);
  });

  test('no-padding is rendered from the query; padding stays by default', async () => {
    assert.match(await (await call(`/checkout/${SESSION.open}?noPadding=true`).response)!.text(), /<body class="no-padding">/);
    assert.match(await (await call(`/checkout/${SESSION.open}`).response)!.text(), /<body>/);
  });
});

describe('assets', () => {
  test('serves the page script, its stylesheet and the protocol with their types', async () => {
    for (const [name, type] of [['checkout.js', /^text\/javascript/], ['checkout.css', /^text\/css/], ['protocol.js', /^text\/javascript/]] as const) {
      const response = (await call(`/checkout/assets/${name}`).response)!;
      assert.equal(response.status, 200, name);
      assert.match(response.headers.get('content-type') ?? '', type);
      assert.equal(response.headers.get('x-content-type-options'), 'nosniff');
    }
  });

  test('anything else under assets is a 404, traversal included', async () => {
    for (const name of ['bootstrap.ts', '..%2Fbrowser-routes.ts', '%2E%2E%2Fcheckout-service.ts', 'nope.js']) {
      assert.equal((await call(`/checkout/assets/${name}`).response)?.status, 404, name);
    }
  });
});

describe('POST /checkout/{sessionId}/customer', () => {
  test('saves through the service and answers what changed and the saved customer', async () => {
    const { service, response } = call(`/checkout/${SESSION.open}/customer`, postJson({ email: 'new@example.com' }));
    const answer = (await response)!;
    assert.equal(answer.status, 200);
    const body = (await answer.json()) as { changed: string[]; customer: { email: string } };
    assert.deepEqual(body.changed, ['customer']);
    assert.equal(body.customer.email, 'new@example.com');
    assert.deepEqual(service.calls.find((entry) => entry.method === 'updateCustomer')?.body, { email: 'new@example.com' });
  });

  test('refuses bad input: service rejection, invalid JSON, non-object, wrong type, foreign origin, GET', async () => {
    const cases: Array<[RequestInit, number]> = [
      [postJson({ email: 'not-an-email' }), 400],
      [postJson('{not json'), 400],
      [postJson('[1,2]'), 400],
      [{ ...postJson({ email: 'a@b.c' }), headers: { 'content-type': 'text/plain', origin: ORIGIN } }, 415],
      [postJson({ email: 'a@b.c' }, { origin: 'https://evil.example' }), 403],
      [{ method: 'GET' }, 405],
    ];
    for (const [init, status] of cases) {
      const answer = (await call(`/checkout/${SESSION.open}/customer`, init).response)!;
      assert.equal(answer.status, status, JSON.stringify(init));
      const body = (await answer.json()) as { errors: Array<{ message: string }> };
      assert.ok(body.errors[0]?.message, 'errors[0].message');
    }
  });

  test('an unknown session is a 404 and the service is not asked to update it', async () => {
    const { service, response } = call(`/checkout/${SESSION.unknown}/customer`, postJson({ email: 'a@b.c' }));
    assert.equal((await response)?.status, 404);
    assert.ok(!service.calls.some((entry) => entry.method === 'updateCustomer'));
  });
});

describe('POST /checkout/{sessionId}/purchase', () => {
  test('answers the service outcome as JSON', async () => {
    const outcomes: Array<[string, string]> = [
      [SESSION.open, 'complete'],
      [SESSION.pending, 'pending'],
      [SESSION.declined, 'declined'],
      [SESSION.redirect, 'redirect'],
    ];
    for (const [sessionId, kind] of outcomes) {
      const answer = (await call(`/checkout/${sessionId}/purchase`, postJson(BUY)).response)!;
      assert.equal(answer.status, 200);
      assert.equal(((await answer.json()) as { kind: string }).kind, kind);
    }
  });

  test('an expired session is a 410, a malformed id a 400, and neither buys', async () => {
    const expired = call(`/checkout/${SESSION.expired}/purchase`, postJson(BUY));
    assert.equal((await expired.response)?.status, 410);
    assert.ok(!expired.service.calls.some((entry) => entry.method === 'purchase'));
    const malformed = call('/checkout/bad%20id/purchase', postJson(BUY));
    assert.equal((await malformed.response)?.status, 400);
    assert.equal(malformed.service.calls.length, 0);
  });

  test('a throwing service is a 500 with a sentence, not a stack', async () => {
    const service = createFakeService();
    service.purchase = () => Promise.reject(new Error('secret internals'));
    const original = console.error;
    console.error = () => {};
    try {
      const answer = (await handleBrowserRequest(new Request(`${ORIGIN}/checkout/${SESSION.open}/purchase`, postJson(BUY)), service))!;
      assert.equal(answer.status, 500);
      assert.ok(!(await answer.text()).includes('secret'));
    } finally {
      console.error = original;
    }
  });
});

describe('the purchase carries what the buyer saw', () => {
  test('the version and payment method reach the service', async () => {
    const { service, response } = call(`/checkout/${SESSION.open}/purchase`, postJson({ version: 'v1', paymentMethod: 'advanceInvoice' }));
    assert.equal((await response)?.status, 200);
    assert.deepEqual(service.calls.find((entry) => entry.method === 'purchase')?.body, { version: 'v1', paymentMethod: 'advanceInvoice' });
  });

  test('a body without a valid version or payment method is a 400 naming the field, and buys nothing', async () => {
    const cases: Array<[unknown, string]> = [
      [{ paymentMethod: 'invoice' }, 'version'],
      [{ version: 42, paymentMethod: 'invoice' }, 'version'],
      [{ version: 'v1' }, 'paymentMethod'],
      [{ version: 'v1', paymentMethod: 'card' }, 'paymentMethod'],
      [{ ...BUY, price: 1 }, 'price'],
    ];
    for (const [body, path] of cases) {
      const { service, response } = call(`/checkout/${SESSION.open}/purchase`, postJson(body));
      const answer = (await response)!;
      assert.equal(answer.status, 400, JSON.stringify(body));
      const errors = ((await answer.json()) as { errors: Array<{ path: string; message: string }> }).errors;
      assert.equal(errors[0]?.path, path, JSON.stringify(errors));
      assert.match(errors[0]?.message ?? '', new RegExp(`^${path}: `));
      assert.ok(!service.calls.some((entry) => entry.method === 'purchase'), 'nothing was bought');
    }
  });

  test('a version the session has moved on from is a 409 session_changed with the fresh state', async () => {
    const service = createFakeService();
    service.changeOrder(SESSION.open, { totalOrderAmount: 'SEK 2,200.00' });
    const answer = (await handleBrowserRequest(new Request(`${ORIGIN}/checkout/${SESSION.open}/purchase`, postJson(BUY)), service))!;
    assert.equal(answer.status, 409);
    const body = (await answer.json()) as { errors: Array<{ code: string; message: string }>; state: CheckoutPageState };
    assert.deepEqual(body.errors, [{ message: SESSION_CHANGED_MESSAGE, code: 'session_changed' }]);
    assert.equal(body.state.totalOrderAmount, 'SEK 2,200.00');
    assert.equal(body.state.version, 'v2');
    // Twin: the version the page gets back buys.
    const again = (await handleBrowserRequest(new Request(`${ORIGIN}/checkout/${SESSION.open}/purchase`, postJson({ ...BUY, version: body.state.version })), service))!;
    assert.equal(((await again.json()) as { kind: string }).kind, 'complete');
  });
});

describe('GET /checkout/{sessionId}/state', () => {
  test('answers the state the page was rendered with, and the newer one after an update', async () => {
    const service = createFakeService();
    const html = await (await handleBrowserRequest(new Request(`${ORIGIN}/checkout/${SESSION.open}`), service))!.text();
    const rendered = dataBlock(html);
    const state = (await handleBrowserRequest(new Request(`${ORIGIN}/checkout/${SESSION.open}/state`), service))!;
    assert.equal(state.status, 200);
    assert.equal(state.headers.get('cache-control'), 'no-store');
    assert.deepEqual(await state.json(), rendered);
    assert.deepEqual(rendered, pageState(view(SESSION.open)));
    assert.equal(rendered.testDefaults.awaitsSignatoryCompanyId, '556000-0006');

    service.changeOrder(SESSION.open, { totalOrderAmount: 'SEK 9.00' });
    const changed = (await (await handleBrowserRequest(new Request(`${ORIGIN}/checkout/${SESSION.open}/state`), service))!.json()) as CheckoutPageState;
    assert.equal(changed.totalOrderAmount, 'SEK 9.00');
    assert.notEqual(changed.version, rendered.version);
  });

  test('unknown is 404, expired 410, malformed 400, POST 405', async () => {
    assert.equal((await call(`/checkout/${SESSION.unknown}/state`).response)?.status, 404);
    assert.equal((await call(`/checkout/${SESSION.expired}/state`).response)?.status, 410);
    assert.equal((await call('/checkout/bad%20id/state').response)?.status, 400);
    assert.equal((await call(`/checkout/${SESSION.open}/state`, postJson({})).response)?.status, 405);
  });
});

describe('the page shows the payment method, the test company note and the stable names', () => {
  test('Invoice is chosen by default, Advance invoice offered; the note names the signatory company', async () => {
    const html = await (await call(`/checkout/${SESSION.open}`).response)!.text();
    assert.match(html, /<input type="radio" id="payment-invoice" name="paymentMethod" value="invoice" checked><label for="payment-invoice">Invoice<\/label>/);
    assert.match(html, /<input type="radio" id="payment-advance-invoice" name="paymentMethod" value="advanceInvoice"><label for="payment-advance-invoice">Advance invoice<\/label>/);
    assert.match(html, /\(sandbox\) use 556000-0006 to test a purchase that awaits a signatory/);
    assert.match(html, /aria-describedby="company-hint"/);
    for (const label of ['Organisation number', 'Company name', 'Email']) assert.match(html, new RegExp(`<label for="[^"]+">${label}( <span aria-hidden="true">\\*</span>)?</label>`));
    assert.match(html, /<button type="submit" id="buy" class="buy">Place order<\/button>/);
    assert.match(html, /id="total">SEK 1,100\.00</);
  });
});

describe('GET /checkout/{sessionId}/events', () => {
  test('an open session gets an event stream that starts at once', async () => {
    const service = createFakeService();
    const answer = (await handleBrowserRequest(new Request(`${ORIGIN}/checkout/${SESSION.open}/events`), service))!;
    assert.equal(answer.status, 200);
    assert.match(answer.headers.get('content-type') ?? '', /^text\/event-stream/);
    assert.equal(answer.headers.get('cache-control'), 'no-store');
    const reader = answer.body!.getReader();
    const first = new TextDecoder().decode((await reader.read()).value);
    assert.match(first, /^retry: \d+\n/);
    assert.equal(service.live.pageCount(SESSION.open), 1);
    await reader.cancel();
    assert.equal(service.live.pageCount(SESSION.open), 0, 'a page that goes away is forgotten');
  });

  test('unknown is 404, expired 410, a bought session 409, a malformed id 400, POST 405; none subscribes', async () => {
    const service = createFakeService();
    const statusOf = async (path: string, init: RequestInit = {}) => (await handleBrowserRequest(new Request(`${ORIGIN}${path}`, init), service))?.status;
    assert.equal(await statusOf(`/checkout/${SESSION.unknown}/events`), 404);
    assert.equal(await statusOf(`/checkout/${SESSION.expired}/events`), 410);
    assert.equal(await statusOf(`/checkout/${SESSION.complete}/events`), 409);
    assert.equal(await statusOf('/checkout/bad%20id/events'), 400);
    assert.equal(await statusOf(`/checkout/${SESSION.open}/events`, { method: 'POST' }), 405);
    assert.equal(service.live.pageCount(), 0);
  });

  test('over the cap per session (or in total) is a 429 that says the limit', async () => {
    const service = Object.assign(createFakeService(), { live: new LiveCheckouts({ maxPagesPerSession: 2, maxPages: 3 }) });
    const open = async (sessionId: string) => (await handleBrowserRequest(new Request(`${ORIGIN}/checkout/${sessionId}/events`), service))!;
    assert.equal((await open(SESSION.open)).status, 200);
    assert.equal((await open(SESSION.open)).status, 200);
    const full = await open(SESSION.open);
    assert.equal(full.status, 429);
    assert.match(((await full.json()) as { errors: Array<{ message: string }> }).errors[0]?.message ?? '', /already has 2 open pages/);
    assert.equal((await open(SESSION.pending)).status, 200);
    assert.equal((await open(SESSION.tall)).status, 429, 'the total cap holds across sessions');
    service.live.close();
    assert.equal(service.live.pageCount(), 0);
  });
});

describe('POST /checkout/{sessionId}/commands/{commandId}', () => {
  test('a command nobody is waiting for is a 410: the page must not buy', async () => {
    const answer = (await call(`/checkout/${SESSION.open}/commands/no-such-command`, postJson({ state: 'started' })).response)!;
    assert.equal(answer.status, 410);
    assert.equal(((await answer.json()) as { errors: Array<{ code: string }> }).errors[0]?.code, 'command_gone');
  });

  test('a bad report is a 400 naming the field; a foreign origin 403; GET 405', async () => {
    const bad = (await call(`/checkout/${SESSION.open}/commands/c1`, postJson({ state: 'denied', title: 5, body: null })).response)!;
    assert.equal(bad.status, 400);
    assert.equal(((await bad.json()) as { errors: Array<{ path: string }> }).errors[0]?.path, 'title');
    assert.equal((await call(`/checkout/${SESSION.open}/commands/c1`, postJson({ state: 'explode' })).response)?.status, 400);
    assert.equal((await call(`/checkout/${SESSION.open}/commands/c1`, postJson({ state: 'started' }, { origin: 'https://evil.example' })).response)?.status, 403);
    assert.equal((await call(`/checkout/${SESSION.open}/commands/c1`).response)?.status, 405);
  });
});

describe('protocol.js', () => {
  const nonce = 'abc123';
  test('reads every known message of this version and nonce', () => {
    const page = [{ type: 'ready' }, { type: 'resize', height: 812.4 }, { type: 'customer-updated', changed: ['billing', 'customer'] }, { type: 'waiting-for-validation' }, { type: 'complete' }, { type: 'pending' }, { type: 'redirect', location: 'https://shop.example/x' }];
    for (const body of page) assert.ok(readPageMessage(envelope(nonce, body), nonce), body.type);
    assert.equal(readPageMessage(envelope(nonce, { type: 'resize', height: 812.4 }), nonce)?.type, 'resize');
    const parent = [{ type: 'suspend' }, { type: 'resume' }, { type: 'validation-result', shouldProceed: false, message: { title: null, body: 'No.' } }, { type: 'validation-result', shouldProceed: true, message: null }];
    for (const body of parent) assert.ok(readParentMessage(envelope(nonce, body), nonce), body.type);
  });

  test('rejects a wrong nonce or version, unknown types, bad payloads and non-objects', () => {
    const good = envelope(nonce, { type: 'complete' });
    assert.equal(readPageMessage(good, 'other'), null);
    assert.equal(readPageMessage({ ...good, v: PROTOCOL_VERSION + 1 }, nonce), null);
    assert.equal(readPageMessage({ ...good, v: '1' }, nonce), null);
    assert.equal(readPageMessage({ ...good, type: 'explode' }, nonce), null);
    assert.equal(readPageMessage({ ...good, type: 'suspend' }, nonce), null, 'a parent message is not a page message');
    assert.equal(readParentMessage(good, nonce), null, 'a page message is not a parent message');
    assert.equal(readPageMessage(good, ''), null, 'an empty nonce matches nothing');
    for (const bad of [null, 'complete', 42, [good], { ...good, nonce: undefined }]) assert.equal(readPageMessage(bad, nonce), null);
    for (const height of [-1, Number.NaN, Infinity, '100', 1e9]) assert.equal(readPageMessage(envelope(nonce, { type: 'resize', height }), nonce), null);
    for (const changed of [['everything'], 'customer', [1]]) assert.equal(readPageMessage(envelope(nonce, { type: 'customer-updated', changed }), nonce), null);
    for (const location of ['javascript:alert(1)', 'data:text/html,x', '/relative', 5]) assert.equal(readPageMessage(envelope(nonce, { type: 'redirect', location }), nonce), null);
    for (const message of ['text', { title: 1, body: 'x' }, { title: 'x' }]) {
      assert.equal(readParentMessage(envelope(nonce, { type: 'validation-result', shouldProceed: false, message }), nonce), null);
    }
    assert.equal(readParentMessage(envelope(nonce, { type: 'validation-result', shouldProceed: 'yes', message: null }), nonce), null);
  });
});
