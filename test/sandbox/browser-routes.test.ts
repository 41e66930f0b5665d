/** Route-level tests of the sandbox's browser side, with a fake CheckoutService (no browser). */
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { describe, test } from 'node:test';
import { Script } from 'node:vm';
import { assembleBootstrap, CHECKOUT_PAGE_CSP, escapeHtml, handleBrowserRequest, PROTOCOL_MARKER } from '../../src/sandbox/browser-routes.js';
import { envelope, PROTOCOL_VERSION, readPageMessage, readParentMessage } from '../../src/sandbox/browser/protocol.js';
import { createFakeService, SESSION } from './browser-fixtures.js';

const ORIGIN = 'http://127.0.0.1:4010';

function call(path: string, init: RequestInit = {}, service = createFakeService()) {
  return { service, response: handleBrowserRequest(new Request(`${ORIGIN}${path}`, init), service) };
}

const postJson = (body: unknown, headers: Record<string, string> = {}): RequestInit => ({
  method: 'POST',
  headers: { 'content-type': 'application/json', origin: ORIGIN, ...headers },
  body: typeof body === 'string' ? body : JSON.stringify(body),
});

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
      const answer = (await call(`/checkout/${sessionId}/purchase`, postJson({})).response)!;
      assert.equal(answer.status, 200);
      assert.equal(((await answer.json()) as { kind: string }).kind, kind);
    }
  });

  test('an expired session is a 410, a malformed id a 400, and neither buys', async () => {
    const expired = call(`/checkout/${SESSION.expired}/purchase`, postJson({}));
    assert.equal((await expired.response)?.status, 410);
    assert.ok(!expired.service.calls.some((entry) => entry.method === 'purchase'));
    const malformed = call('/checkout/bad%20id/purchase', postJson({}));
    assert.equal((await malformed.response)?.status, 400);
    assert.equal(malformed.service.calls.length, 0);
  });

  test('a throwing service is a 500 with a sentence, not a stack', async () => {
    const service = createFakeService();
    service.purchase = () => Promise.reject(new Error('secret internals'));
    const original = console.error;
    console.error = () => {};
    try {
      const answer = (await handleBrowserRequest(new Request(`${ORIGIN}/checkout/${SESSION.open}/purchase`, postJson({})), service))!;
      assert.equal(answer.status, 500);
      assert.ok(!(await answer.text()).includes('secret'));
    } finally {
      console.error = original;
    }
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
