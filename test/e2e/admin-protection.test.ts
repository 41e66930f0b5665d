/**
 * The shop's admin is protected as a careful shop would protect one (issue 11.2): requests
 * that a browser says come from another site are refused, writes take JSON only (no form
 * post), and the admin routes need this run's admin token, which only the shop's own page
 * gets. Each refusal is tried as an attacker would try it: a cross-site form post and
 * cross-origin fetches from a page on another origin in Chromium, and plain HTTP without the
 * token (curl). The legitimate path still works: the shop's own page, with its token.
 */
import assert from 'node:assert/strict';
import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { COFFEE_MACHINE, addToCart, adminCall, adminToken, goToCheckout, launchBrowser, shopCall, useShopSuite } from './harness.js';
import type { Browser } from 'playwright-core';

const suite = useShopSuite({ assertPagesClean: true });

/** A page on another site: `localhost` is another site than the shop's `127.0.0.1`. */
let evil: Server;
let evilOrigin = '';
let evilPage = '';
let browser: Browser;

before(async () => {
  evil = createServer((req, res) => {
    res.setHeader('content-type', 'text/html; charset=utf-8');
    res.end(evilPage);
  });
  await new Promise<void>((resolve) => evil.listen(0, '127.0.0.1', resolve));
  evilOrigin = `http://localhost:${(evil.address() as AddressInfo).port}`;
  browser = await launchBrowser();
});
after(async () => {
  await browser.close();
  await new Promise((resolve) => evil.close(resolve));
});

/** A bought order that is still uncaptured: what an attacker would cancel. Bought server-side (no page is open). */
async function boughtOrder(): Promise<string> {
  const created = await shopCall(suite.demo, 'POST', '/api/checkout/session', { items: [{ sku: COFFEE_MACHINE, quantity: 1 }] });
  const orderId = String(created.body['orderId']);
  const outcome = await suite.sandbox.complete(orderId);
  assert.deepEqual([outcome.kind, outcome.drivenBy], ['complete', 'server']);
  return orderId;
}

async function orderStatus(orderId: string): Promise<string> {
  const { body } = await adminCall(suite.demo, 'GET', `/api/orders/${orderId}`);
  return (body['order'] as { status: string[] }).status.join(', ');
}

async function policy(): Promise<boolean> {
  return (await shopCall(suite.demo, 'GET', '/api/settings')).body['requirePurchaseOrderNumber'] as boolean;
}

/** Opens the attacker's page (served as `html`) in a fresh context. */
async function visitEvilPage(html: string) {
  evilPage = html;
  const context = await browser.newContext();
  const page = await context.newPage();
  return { context, page };
}

describe('from another site, in a browser', () => {
  test('a cross-site form post (text/plain, JSON-looking) to cancel an order is refused with 403 and cancels nothing', async () => {
    const orderId = await boughtOrder();
    const action = new URL(`/api/orders/${orderId}/cancel`, suite.demo.url).href;
    const { context, page } = await visitEvilPage(`<!doctype html><form method="post" enctype="text/plain" action="${action}">
      <input name='{"x":"' value='"}'></form><script>document.forms[0].submit()</script>`);
    try {
      const refused = page.waitForResponse((response) => response.url() === action);
      await page.goto(evilOrigin);
      const response = await refused;
      assert.equal(response.status(), 403);
      assert.match(await response.text(), /cross_site_refused/);
    } finally {
      await context.close();
    }
    assert.equal(await orderStatus(orderId), 'uncaptured', 'not cancelled');
  });

  test('cross-origin fetches cannot read the page (or its token), cannot pass the preflight, and no-cors posts are refused', async () => {
    const orderId = await boughtOrder();
    const { context, page } = await visitEvilPage('<!doctype html><title>another site</title>');
    try {
      await page.goto(evilOrigin);
      // A string, so the bundler's helpers never reach the attacker's page.
      const outcome = (await page.evaluate(`(async () => {
        const shop = ${JSON.stringify(suite.demo.url)};
        const orderId = ${JSON.stringify(orderId)};
        const attempt = (request) => request().then((response) => 'answered ' + response.type + ' ' + response.status, (error) => 'failed: ' + error.name);
        return {
          readPage: await attempt(() => fetch(shop)),
          readOrder: await attempt(() => fetch(shop + 'api/orders/' + orderId)),
          withJsonAndToken: await attempt(() => fetch(shop + 'api/settings', { method: 'PUT', headers: { 'content-type': 'application/json', 'x-shop-admin-token': 'a-guess' }, body: '{"requirePurchaseOrderNumber":true}' })),
          noCorsCapture: await attempt(() => fetch(shop + 'api/orders/' + orderId + '/capture', { method: 'POST', mode: 'no-cors', body: '{}' })),
          noCorsSession: await attempt(() => fetch(shop + 'api/checkout/session', { method: 'POST', mode: 'no-cors', body: '{"items":[{"sku":"111-222-333","quantity":1}]}' })),
        };
      })()`)) as Record<string, string>;
      assert.deepEqual(outcome, {
        // No CORS: the shop's page, and the admin token in it, cannot be read from another origin.
        readPage: 'failed: TypeError',
        readOrder: 'failed: TypeError',
        // JSON and a custom header need a preflight, which the shop never grants.
        withJsonAndToken: 'failed: TypeError',
        // Sent, but refused by the server (the page cannot see the answer).
        noCorsCapture: 'answered opaque 0',
        noCorsSession: 'answered opaque 0',
      });
    } finally {
      await context.close();
    }
    assert.equal(await orderStatus(orderId), 'uncaptured', 'not captured');
    assert.equal(await policy(), false, 'the policy was not switched');
  });

  test("twin: the shop's own page, with its token, switches the policy", async () => {
    const shop = await suite.shop();
    const { page } = shop;
    await addToCart(page, COFFEE_MACHINE, 1);
    await goToCheckout(shop);
    await page.getByLabel('Require a purchase order number').check();
    await page.locator('#po-optional', { hasText: '(required)' }).waitFor();
    assert.equal(await policy(), true);
  });
});

describe('without the admin token (curl)', () => {
  test('no token, a wrong token, or a form body: 403 or 415 saying what is missing, and nothing changes', async () => {
    const orderId = await boughtOrder();
    const missing = await shopCall(suite.demo, 'PUT', '/api/settings', { requirePurchaseOrderNumber: true });
    assert.equal(missing.status, 403);
    assert.match(JSON.stringify(missing.body), /admin_token_missing.*needs the shop's admin token in the x-shop-admin-token header/);
    const wrong = await shopCall(suite.demo, 'POST', `/api/orders/${orderId}/cancel`, {}, { headers: { 'x-shop-admin-token': 'not-this-run' } });
    assert.equal(wrong.status, 403);
    assert.match(JSON.stringify(wrong.body), /admin_token_wrong/);
    const read = await shopCall(suite.demo, 'GET', `/api/orders/${orderId}`);
    assert.equal(read.status, 403, 'the order and its customer are admin data too');
    const form = await fetch(new URL(`/api/orders/${orderId}/cancel`, suite.demo.url), {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-shop-admin-token': await adminToken(suite.demo) },
      body: 'confirm=yes',
    });
    assert.equal(form.status, 415);
    assert.match(await form.text(), /application\/json only/);
    assert.equal(await policy(), false);
    assert.equal(await orderStatus(orderId), 'uncaptured');
  });

  test('twin: with the token, the same requests work', async () => {
    const orderId = await boughtOrder();
    assert.equal((await adminCall(suite.demo, 'PUT', '/api/settings', { requirePurchaseOrderNumber: true })).status, 200);
    assert.equal(await policy(), true);
    assert.equal((await adminCall(suite.demo, 'POST', `/api/orders/${orderId}/cancel`, {})).status, 200);
    assert.equal(await orderStatus(orderId), 'cancelled');
  });

  test('a Host name that is not the shop\'s (DNS rebinding) is refused before any shop route runs', async () => {
    const { port } = new URL(suite.demo.url);
    const get = (host: string) =>
      new Promise<number>((resolve, reject) => {
        const req = httpRequest({ hostname: '127.0.0.1', port, path: '/api/settings', headers: { host } }, (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        });
        req.on('error', reject);
        req.end();
      });
    assert.equal(await get('evil.example'), 403);
    assert.equal(await get(`127.0.0.1:${port}`), 200);
  });
});
