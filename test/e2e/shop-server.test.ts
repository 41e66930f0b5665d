/**
 * The shop's trust boundaries and `npm start` itself: prices never come from the browser,
 * the PO policy holds even when the page's script is bypassed, the page's CSP is enforced,
 * and a half-configured environment stops `npm start` with one clear line.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { request as httpRequest } from 'node:http';
import { Readable } from 'node:stream';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { describe, test } from 'node:test';
import { createLedyerClient } from '../../src/server/index.js';
import { startDemo } from '../../demo/start-demo.js';
import { COFFEE_MACHINE, adminCall, adminToken, sandboxUsage, shopCall, useShopSuite } from './harness.js';

const suite = useShopSuite({ assertPagesClean: false });

/** The session as Ledyer holds it, read server-side with the kit's client options for the demo's sandbox. */
async function sessionAtLedyer(orderId: string) {
  const client = createLedyerClient(suite.sandbox.clientOptions);
  return client.getSession(orderId) as Promise<{ order?: { orderLines?: Array<{ reference: string; unitPrice: number; totalAmount: number }>; totalOrderAmount?: number } } & Record<string, unknown>>;
}

describe('prices come from the catalogue, never from the browser', () => {
  test('a tampered request from the page with prices and totals is priced from the catalogue', async () => {
    const opened = await suite.shop();
    const created = await opened.page.evaluate(async (sku) => {
      const response = await fetch('/api/checkout/session', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          items: [{ sku, quantity: 10, unitPrice: 1, totalAmount: 10, vat: 0 }],
          totalOrderAmount: 100,
          orderLines: [{ reference: sku, quantity: 10, unitPrice: 1 }],
        }),
      });
      return { status: response.status, body: (await response.json()) as { orderId: string } };
    }, COFFEE_MACHINE);
    assert.equal(created.status, 200);
    const session = await sessionAtLedyer(created.body.orderId);
    const text = JSON.stringify(session);
    // 10 × 500.00 + 100.00 shipping, as in the seed, whatever the page claimed.
    assert.match(text, /"totalOrderAmount":510000/);
    assert.match(text, /"unitPrice":50000/);
    assert.doesNotMatch(text, /"unitPrice":1[,}]/);
    assert.deepEqual(opened.problems.cspViolations, []);
  });

  test('twin: a sku the catalogue does not sell, or the shipping fee itself, is refused with a 400', async () => {
    const unknown = await shopCall(suite.demo, 'POST', '/api/checkout/session', { items: [{ sku: 'free-espresso', quantity: 1, unitPrice: 0 }] });
    assert.equal(unknown.status, 400);
    assert.match(JSON.stringify(unknown.body), /free-espresso/);
    const fee = await shopCall(suite.demo, 'POST', '/api/checkout/session', { items: [{ sku: '444-555-666', quantity: 5 }] });
    assert.equal(fee.status, 400);
    const noQuantity = await shopCall(suite.demo, 'POST', '/api/checkout/session', { items: [{ sku: COFFEE_MACHINE, unitPrice: 1 }] });
    assert.equal(noQuantity.status, 400);
  });

  test('a session update from the browser is priced from the catalogue too', async () => {
    const created = await shopCall(suite.demo, 'POST', '/api/checkout/session', { items: [{ sku: COFFEE_MACHINE, quantity: 1 }] });
    const orderId = String(created.body['orderId']);
    const updated = await shopCall(suite.demo, 'POST', `/api/checkout/session/${orderId}`, { items: [{ sku: COFFEE_MACHINE, quantity: 9, unitPrice: 1 }], totalOrderAmount: 9 });
    assert.equal(updated.status, 200);
    assert.deepEqual(updated.body, { sessionId: created.body['sessionId'], orderId, replaced: false });
    assert.match(JSON.stringify(await sessionAtLedyer(orderId)), /"totalOrderAmount":460000/);
    // Twin: an order id this shop did not start is not updated.
    assert.equal((await shopCall(suite.demo, 'POST', '/api/checkout/session/or_someoneElses', { items: [{ sku: COFFEE_MACHINE, quantity: 1 }] })).status, 404);
  });
});

describe('the PO policy on the server (validate URL)', () => {
  test('policy on and no number: a purchase that bypasses the page is declined by the validate URL', async () => {
    await adminCall(suite.demo, 'PUT', '/api/settings', { requirePurchaseOrderNumber: true });
    const created = await shopCall(suite.demo, 'POST', '/api/checkout/session', { items: [{ sku: COFFEE_MACHINE, quantity: 1 }] });
    const orderId = String(created.body['orderId']);
    const outcome = await suite.sandbox.complete(orderId);
    assert.deepEqual(outcome, {
      kind: 'declined',
      title: 'Purchase order number required',
      body: 'Enter your purchase order number in the shop, then press buy again.',
      drivenBy: 'server',
    });
    assert.deepEqual(
      (await suite.sandbox.validations({ orderId })).map((delivery) => delivery.status),
      [422],
      'the shop declined on its validate URL',
    );
    assert.equal((await adminCall(suite.demo, 'GET', `/api/orders/${orderId}`)).status, 404, 'no order was created');
  });

  test('twin: policy on with a number on the session, the same purchase goes through', async () => {
    await adminCall(suite.demo, 'PUT', '/api/settings', { requirePurchaseOrderNumber: true });
    const created = await shopCall(suite.demo, 'POST', '/api/checkout/session', { items: [{ sku: COFFEE_MACHINE, quantity: 1 }] });
    const orderId = String(created.body['orderId']);
    const saved = await shopCall(suite.demo, 'POST', `/api/checkout/session/${orderId}/purchase-order`, { purchaseOrderNumber: 'PO-2024-17' });
    assert.equal(saved.status, 200);
    const outcome = await suite.sandbox.complete(orderId);
    assert.deepEqual([outcome.kind, outcome.drivenBy], ['complete', 'server']);
    const order = await adminCall(suite.demo, 'GET', `/api/orders/${orderId}`);
    assert.equal((order.body['order'] as { merchantReference: string }).merchantReference, 'PO-2024-17');
  });
});

describe('malformed input through the dev server (issue 11.5)', () => {
  /** Sends bytes as given: a raw path, and a 10 MB body streamed with no length when asked. */
  function raw(method: string, path: string, headers: Record<string, string>, body: Buffer | 'chunked-10MB' | null): Promise<{ status: number; text: string }> {
    return new Promise((resolve, reject) => {
      const { hostname, port } = new URL(suite.demo.url);
      let answered = false;
      const req = httpRequest({ hostname, port, method, path, headers: body && body !== 'chunked-10MB' ? { ...headers, 'content-length': String(body.length) } : headers, agent: false }, (res) => {
        answered = true;
        let text = '';
        res.on('data', (chunk: Buffer) => (text += chunk.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
      });
      req.on('error', (error) => (answered ? undefined : reject(error)));
      if (body !== 'chunked-10MB') return void req.end(body ?? undefined);
      const chunk = Buffer.alloc(64 * 1024, 0x20);
      let sent = 0;
      new Readable({
        read() {
          if (answered || sent >= 10 * 1024 * 1024) return void this.push(null);
          sent += chunk.length;
          this.push(chunk);
        },
      }).pipe(req);
    });
  }
  const usage = () => sandboxUsage(suite.sandbox);

  test('a bad escape, an empty update, invalid UTF-8 and a 10 MB chunked body: 400 or 413 saying why, nothing sent to Ledyer', async () => {
    const created = await shopCall(suite.demo, 'POST', '/api/checkout/session', { items: [{ sku: COFFEE_MACHINE, quantity: 1 }] });
    const update = `/api/checkout/session/${String(created.body['orderId'])}`;
    const before = await usage();
    const json = { 'content-type': 'application/json' };
    const escape = await raw('GET', '/api/orders/%ZZ', { 'x-shop-admin-token': await adminToken(suite.demo) }, null);
    assert.deepEqual([escape.status, /not valid percent-encoding/.test(escape.text)], [400, true], escape.text);
    const empty = await raw('POST', update, json, Buffer.alloc(0));
    assert.deepEqual([empty.status, /not valid JSON/.test(empty.text)], [400, true], empty.text);
    const utf8 = await raw('POST', update, json, Buffer.from([0x7b, 0x22, 0x69, 0xff, 0x22, 0x3a, 0x31, 0x7d]));
    assert.deepEqual([utf8.status, /UTF-8/.test(utf8.text)], [400, true], utf8.text);
    const huge = await raw('POST', update, json, 'chunked-10MB');
    assert.deepEqual([huge.status, /at most 16384 bytes/.test(huge.text)], [413, true], huge.text);
    assert.deepEqual(await usage(), before, 'no session, no write, no key at Ledyer');
  });

  test('twin: the same update, well formed, is sent to Ledyer', async () => {
    const created = await shopCall(suite.demo, 'POST', '/api/checkout/session', { items: [{ sku: COFFEE_MACHINE, quantity: 1 }] });
    const before = await usage();
    const updated = await raw('POST', `/api/checkout/session/${String(created.body['orderId'])}`, { 'content-type': 'application/json' }, Buffer.from(JSON.stringify({ items: [{ sku: COFFEE_MACHINE, quantity: 2 }] })));
    assert.equal(updated.status, 200, updated.text);
    assert.equal((await usage()).idempotencyKeys, before.idempotencyKeys + 1);
  });
});

describe('Content-Security-Policy', () => {
  test('the page declares a CSP without unsafe-inline for scripts that allows the sandbox', async () => {
    const html = await (await fetch(suite.demo.url)).text();
    const csp = /http-equiv="Content-Security-Policy" content="([^"]+)"/.exec(html)?.[1] ?? '';
    const scriptSrc = csp.split(';').find((directive) => directive.trim().startsWith('script-src')) ?? '';
    assert.match(scriptSrc, new RegExp(`'self' ${suite.demo.sandboxUrl ?? ''}`));
    assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval/);
    assert.match(csp, new RegExp(`frame-src ${suite.demo.sandboxUrl ?? ''}`));
  });

  test('twin: the CSP is enforced: an inline script is blocked and reported', async () => {
    const opened = await suite.shop();
    const ran = await opened.page.evaluate(async () => {
      const script = document.createElement('script');
      script.textContent = 'window.__inlineRan = true';
      document.body.append(script);
      await new Promise((resolve) => setTimeout(resolve, 100));
      return (window as unknown as { __inlineRan?: boolean }).__inlineRan === true;
    });
    assert.equal(ran, false);
    await opened.page.waitForTimeout(100);
    assert.equal(opened.problems.cspViolations.length, 1);
    assert.match(opened.problems.cspViolations[0] ?? '', /script-src/);
  });

  test("on Ledyer's real environment the CSP allows https://*.ledyer.com and the page uses no local bootstrap", async () => {
    const real = await startDemo({
      port: 0,
      logLevel: 'silent',
      target: { kind: 'ledyer', environment: 'production', clientId: 'demo-id', clientSecret: 'demo-secret', publicUrl: null },
    });
    try {
      const html = await (await fetch(real.url)).text();
      assert.match(html, /script-src 'self' https:\/\/\*\.ledyer\.com/);
      assert.match(html, /frame-src https:\/\/\*\.ledyer\.com/);
      assert.match(html, /name="ledyer-environment" content="production"/);
      assert.match(html, /name="ledyer-bootstrap-url" content=""/);
      assert.doesNotMatch(html, /demo-secret|demo-id/, 'credentials never reach the page');
      assert.equal(real.sandboxUrl, null);
      assert.match(real.description, /PRODUCTION/);
    } finally {
      await real.close();
    }
  });
});

describe('the tunnel Ledyer calls back through', () => {
  test("LEDYER_DEMO_PUBLIC_URL's host is let through the dev server's Host check; any other name is not", async () => {
    const real = await startDemo({
      port: 0,
      logLevel: 'silent',
      target: { kind: 'ledyer', environment: 'sandbox', clientId: 'demo-id', clientSecret: 'demo-secret', publicUrl: 'https://shop-tunnel.example' },
    });
    try {
      const { port } = new URL(real.url);
      const statusFor = (host: string) =>
        new Promise<number>((resolve, reject) => {
          const req = httpRequest({ hostname: '127.0.0.1', port, path: '/api/catalogue', headers: { host } }, (res) => {
            res.resume();
            resolve(res.statusCode ?? 0);
          });
          req.on('error', reject);
          req.end();
        });
      assert.equal(await statusFor('shop-tunnel.example'), 200);
      assert.equal(await statusFor('other-tunnel.example'), 403);
    } finally {
      await real.close();
    }
  });
});

describe('npm start', () => {
  const root = fileURLToPath(new URL('../../', import.meta.url));

  function runStart(env: Record<string, string>): { child: ReturnType<typeof spawn>; output: () => string } {
    const child = spawn(process.execPath, ['--import', 'tsx', 'demo/start.ts'], {
      cwd: root,
      env: { PATH: process.env['PATH'] ?? '', HOME: process.env['HOME'] ?? '', PORT: '0', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let text = '';
    child.stdout?.on('data', (chunk: Buffer) => (text += chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => (text += chunk.toString()));
    return { child, output: () => text };
  }

  for (const [name, env, pattern] of [
    ['only the client id', { LEDYER_CLIENT_ID: 'abc' }, /LEDYER_CLIENT_ID is set but LEDYER_CLIENT_SECRET is not/],
    ['only the secret', { LEDYER_CLIENT_SECRET: 'shh-very-secret' }, /LEDYER_CLIENT_SECRET is set but LEDYER_CLIENT_ID is not/],
    ['LEDYER_ENV alone', { LEDYER_ENV: 'sandbox' }, /LEDYER_ENV=sandbox is set but LEDYER_CLIENT_ID and LEDYER_CLIENT_SECRET are not/],
    ['an unknown LEDYER_ENV', { LEDYER_CLIENT_ID: 'a', LEDYER_CLIENT_SECRET: 'b', LEDYER_ENV: 'staging' }, /LEDYER_ENV must be "sandbox" or "production"/],
  ] as const) {
    test(`half-set variables (${name}): one clear line, exit 1, no stack trace`, async () => {
      const { child, output } = runStart(env);
      const [code] = (await once(child, 'exit')) as [number | null];
      assert.equal(code, 1);
      const lines = output().trim().split('\n');
      assert.equal(lines.length, 1, output());
      assert.match(lines[0] ?? '', pattern);
      assert.doesNotMatch(output(), /\bat .+:\d+:\d+/, 'no stack trace');
      assert.doesNotMatch(output(), /shh-very-secret/, 'the secret is not echoed');
    });
  }

  test('twin: with nothing set it starts on the local sandbox, prints the URL, and stops on SIGINT', async () => {
    const { child, output } = runStart({});
    const url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no URL printed: ${output()}`)), 30_000);
      child.stdout?.on('data', () => {
        const match = /demo shop: (http:\/\/\S+)[\s\S]*Ctrl-C/.exec(output());
        if (match?.[1]) {
          clearTimeout(timer);
          resolve(match[1]);
        }
      });
    });
    assert.match(output(), /local Ledyer sandbox/);
    const page = await fetch(url);
    assert.equal(page.status, 200);
    child.kill('SIGINT');
    const [code] = (await once(child, 'exit')) as [number | null];
    assert.equal(code, 0);
    await assert.rejects(fetch(url), 'the dev server is gone');
  });
});
