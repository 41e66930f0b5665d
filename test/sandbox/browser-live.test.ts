/**
 * The real sandbox's hosted page in Chromium, across two origins (the sandbox on one port,
 * a merchant page with its bootstrap.js on another): cart changes through suspend → update
 * → resume, the version a purchase carries, the pending path, the payment method, and the
 * control API driving an open page over the live channel.
 */
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, beforeEach, describe, test } from 'node:test';
import { chromium, type Browser, type BrowserContext, type Frame, type Page } from 'playwright-core';
import { SANDBOX_TEST_COMPANIES } from '../../src/sandbox/index.js';
import { seedCreateSessionRequest } from '../shared/seeds.js';
import { seedQuantityUpdate } from './browser-fixtures.js';
import { startClient, type SandboxClient } from './helpers.js';

const EVENTS = ['ledyerCheckoutWaitingForClientValidation', 'ledyerCheckoutOrderComplete', 'ledyerCheckoutOrderPending'];

let browser: Browser;
let client: SandboxClient;
let merchantServer: Server;
let merchantOrigin: string;

/** The merchant's page: the sandbox's bootstrap.js, an event log, and a client-validation answer. */
function merchantPage(url: URL): string {
  const sessionId = url.searchParams.get('sid') ?? '';
  const validation = JSON.stringify(url.searchParams.get('validation') ?? 'none');
  // Another sandbox than the suite's, for the test that closes its own.
  const sandboxUrl = url.searchParams.get('sandbox') ?? client.url;
  return `<!doctype html><html><head><title>Shop</title></head><body>
<div id="ledyer-container"></div>
<script>
window.events = [];
for (const name of ${JSON.stringify(EVENTS)}) document.addEventListener(name, () => window.events.push(name));
const mode = ${validation};
document.addEventListener('ledyerCheckoutWaitingForClientValidation', () => {
  if (mode === 'proceed') window.ledyer.api.clientValidation({ shouldProceed: true });
  if (mode === 'deny') window.ledyer.api.clientValidation({ shouldProceed: false, message: { title: 'Purchase order number required', body: 'Enter your PO number in the cart.' } });
});
</script>
<script src="${sandboxUrl}/bootstrap.js" data-session-id="${sessionId}" data-container-id="ledyer-container" data-env="localhost"></script>
</body></html>`;
}

before(async () => {
  client = await startClient();
  merchantServer = createServer((req, res) => {
    const url = new URL(req.url ?? '/', merchantOrigin);
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end(url.pathname === '/shop' ? merchantPage(url) : `<!doctype html><title>${url.pathname}</title>`);
  });
  await new Promise<void>((resolve) => merchantServer.listen(0, '127.0.0.1', resolve));
  merchantOrigin = `http://127.0.0.1:${(merchantServer.address() as AddressInfo).port}`;
  browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-quic', '--no-first-run'],
  });
});

let contexts: BrowserContext[] = [];
beforeEach(async () => {
  for (const context of contexts) await context.close();
  contexts = [];
  await client.control('DELETE', '/faults');
});

after(async () => {
  for (const context of contexts) await context.close();
  await browser?.close();
  await client?.close();
  merchantServer?.closeAllConnections();
  await new Promise((resolve) => merchantServer?.close(resolve));
});

interface Opened {
  page: Page;
  frame: Frame;
  /** Console errors, page errors and CSP violations of the page and its frames. */
  problems: string[];
}

async function createSession(options: { requireClientValidation?: boolean; customer?: Record<string, unknown> } = {}): Promise<{ sessionId: string; orderId: string }> {
  const body = seedCreateSessionRequest() as { settings: { security: Record<string, unknown> }; customer: Record<string, unknown> };
  body.settings.security.requireClientValidation = options.requireClientValidation ?? false;
  if (options.customer) body.customer = { ...body.customer, ...options.customer };
  const created = await client.api('POST', '/v1/sessions', body);
  assert.equal(created.status, 200, JSON.stringify(created.body));
  return created.body;
}

/** The merchant page with the session's checkout, once the page has its live channel open. */
async function openCheckout(sessionId: string, validation = 'none'): Promise<Opened> {
  const context = await browser.newContext();
  contexts.push(context);
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console: ${message.text()}`);
  });
  page.on('pageerror', (error) => problems.push(`pageerror: ${error.message}`));
  await context.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (event) => console.error(`CSP violation: ${event.violatedDirective} ${event.blockedURI}`));
  });
  await page.goto(`${merchantOrigin}/shop?${new URLSearchParams({ sid: sessionId, validation })}`);
  const handle = await page.waitForSelector('#ledyer-container iframe');
  const frame = await handle.contentFrame();
  assert.ok(frame);
  await frame.waitForSelector('html[data-live="connected"]');
  return { page, frame, problems };
}

const events = (page: Page): Promise<string[]> => page.evaluate(() => (window as unknown as { events: string[] }).events);
const waitForEvent = (page: Page, name: string) => page.waitForFunction((wanted) => (window as unknown as { events: string[] }).events.includes(wanted), name);
const api = (page: Page) => ({
  suspend: () => page.evaluate(() => (window as unknown as { ledyer: { api: { suspend(): void } } }).ledyer.api.suspend()),
  resume: () => page.evaluate(() => (window as unknown as { ledyer: { api: { resume(): void } } }).ledyer.api.resume()),
});
const lineQuantities = (frame: Frame) => frame.$$eval('#order-lines tr', (rows) => rows.map((row) => row.children[1]?.textContent));

describe('a cart change without a reload: suspend → update → resume', () => {
  test('resume re-reads the session: the buyer sees the new lines and total, and buys exactly that', async () => {
    const { sessionId, orderId } = await createSession();
    const { page, frame, problems } = await openCheckout(sessionId);
    assert.equal(await frame.textContent('#total'), 'SEK 5,100.00');
    await api(page).suspend();
    await frame.waitForSelector('#overlay', { state: 'visible' });
    assert.equal((await client.api('POST', `/v1/sessions/${orderId}`, seedQuantityUpdate(3))).status, 200);
    assert.equal(await frame.textContent('#total'), 'SEK 5,100.00', 'nothing changes while suspended');
    await api(page).resume();
    await frame.waitForFunction(() => document.getElementById('total')?.textContent === 'SEK 1,600.00');
    assert.deepEqual(await lineQuantities(frame), ['3', '1']);
    assert.equal(await frame.textContent('#total-vat'), 'SEK 320.00');
    await frame.waitForSelector('#overlay', { state: 'hidden' });
    await frame.getByRole('button', { name: 'Place order' }).click();
    await waitForEvent(page, 'ledyerCheckoutOrderComplete');
    const order = await client.api('GET', `/v1/orders/${orderId}`);
    assert.equal(order.body.uncaptured.orderLines[0].quantity, 3);
    assert.equal(order.body.orderAmount.minorUnits, 160000);
    assert.deepEqual(problems, []);
  });

  test('buying stays disabled while the re-read after resume runs; a failed re-read says so', async () => {
    const { sessionId, orderId } = await createSession();
    const { page, frame } = await openCheckout(sessionId);
    await client.control('POST', '/faults', { path: `/checkout/${sessionId}/state`, count: 1, kind: 'delay', ms: 1500 });
    await api(page).suspend();
    await client.api('POST', `/v1/sessions/${orderId}`, seedQuantityUpdate(2));
    await api(page).resume();
    await frame.waitForFunction(() => document.getElementById('checkout-form')?.getAttribute('aria-busy') === 'true');
    assert.equal(await frame.isDisabled('#buy'), true, 'disabled while re-reading');
    assert.equal(await frame.isVisible('#overlay'), true);
    await frame.waitForFunction(() => document.getElementById('total')?.textContent === 'SEK 1,100.00');
    assert.equal(await frame.isEnabled('#buy'), true, 'enabled once the new order is shown');

    // Twin: the re-read fails; the buyer is told and the page keeps the version it shows.
    await client.control('POST', '/faults', { path: `/checkout/${sessionId}/state`, count: 1, kind: 'status', status: 503 });
    await api(page).suspend();
    await api(page).resume();
    await frame.waitForSelector('#alert', { state: 'visible' });
    assert.equal(await frame.textContent('#alert-title'), 'The checkout could not be updated');
    assert.equal(await frame.textContent('#total'), 'SEK 1,100.00');
  });

  test('a resume from a window that is not the parent is ignored: still suspended, still the old total', async () => {
    const { sessionId, orderId } = await createSession();
    const { page, frame } = await openCheckout(sessionId);
    await api(page).suspend();
    await frame.waitForSelector('#overlay', { state: 'visible' });
    await client.api('POST', `/v1/sessions/${orderId}`, seedQuantityUpdate(4));
    const nonce = await frame.evaluate(() => new URLSearchParams(location.hash.slice(1)).get('nonce'));
    await page.evaluate(() => {
      const sibling = document.createElement('iframe');
      sibling.name = 'sibling';
      sibling.src = '/sibling';
      document.body.appendChild(sibling);
      return new Promise((resolve) => sibling.addEventListener('load', resolve));
    });
    await page.frame({ name: 'sibling' })!.evaluate(({ nonce, origin }) => parent.frames[0]!.postMessage({ v: 1, nonce, type: 'resume' }, origin), { nonce, origin: client.url });
    await page.waitForTimeout(300);
    assert.equal(await frame.isVisible('#overlay'), true);
    assert.equal(await frame.textContent('#total'), 'SEK 5,100.00');
  });

  test('an update the page never re-read: the purchase is refused, the buyer sees the new total, nothing is bought', async () => {
    const { sessionId, orderId } = await createSession();
    const { page, frame, problems } = await openCheckout(sessionId);
    assert.equal((await client.api('POST', `/v1/sessions/${orderId}`, seedQuantityUpdate(2))).status, 200);
    await frame.getByRole('button', { name: 'Place order' }).click();
    const alert = frame.getByRole('alert');
    await alert.waitFor();
    assert.equal(await frame.textContent('#alert-body'), 'The order was updated; check the new total and place the order again.');
    assert.equal(await frame.textContent('#total'), 'SEK 1,100.00');
    assert.deepEqual(await lineQuantities(frame), ['2', '1']);
    assert.equal((await client.api('GET', `/v1/orders/${orderId}`)).status, 404, 'nothing was bought');
    assert.deepEqual(await events(page), []);
    // The buyer saw the new total and places the order again: that is what is bought.
    await frame.getByRole('button', { name: 'Place order' }).click();
    await waitForEvent(page, 'ledyerCheckoutOrderComplete');
    assert.equal((await client.api('GET', `/v1/orders/${orderId}`)).body.orderAmount.minorUnits, 110000);
    // Chromium logs every 4xx fetch; the refused purchase is the only one expected.
    assert.deepEqual(problems, ['console: Failed to load resource: the server responded with a status of 409 (Conflict)']);
  });

  test('a forged purchase version is refused and buys nothing', async () => {
    const { sessionId, orderId } = await createSession();
    const forged = await fetch(`${client.url}/checkout/${sessionId}/purchase`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: client.url },
      body: JSON.stringify({ version: 'forged-version', paymentMethod: 'invoice' }),
    });
    assert.equal(forged.status, 409);
    const body = (await forged.json()) as { errors: Array<{ code: string }>; state: { totalOrderAmount: string; version: string } };
    assert.equal(body.errors[0]?.code, 'session_changed');
    assert.equal(body.state.totalOrderAmount, 'SEK 5,100.00');
    assert.equal((await client.api('GET', `/v1/orders/${orderId}`)).status, 404);
    assert.equal((await client.api('GET', `/v1/sessions/${orderId}`)).body.status, 'open');
  });
});

describe('the pending path and the payment method', () => {
  test('the signatory-required company ends pending: confirmation, OrderPending, no order until signed, the chosen method', async () => {
    const { sessionId, orderId } = await createSession();
    const { page, frame, problems } = await openCheckout(sessionId);
    assert.match((await frame.textContent('#company-hint')) ?? '', /556000-0006/);
    await frame.getByLabel('Organisation number').fill(SANDBOX_TEST_COMPANIES.awaitsSignatory.companyId);
    await frame.getByLabel('Organisation number').press('Tab');
    await frame.waitForFunction(() => (document.querySelector('[name="companyName"]') as HTMLInputElement).value === 'Signatory Required AB');
    await frame.getByLabel('Advance invoice').check();
    await frame.getByRole('button', { name: 'Place order' }).click();
    await waitForEvent(page, 'ledyerCheckoutOrderPending');
    assert.equal(await frame.getByRole('heading', { name: 'Your order is waiting for approval' }).isVisible(), true);
    assert.deepEqual(await events(page), ['ledyerCheckoutOrderPending']);
    assert.equal((await client.api('GET', `/v1/orders/${orderId}`)).status, 404, 'no order before the signatory signs');
    assert.equal((await client.control('POST', `/sessions/${orderId}/sign`)).body.kind, 'complete');
    const order = await client.api('GET', `/v1/orders/${orderId}`);
    assert.equal(order.body.paymentMethod.type, 'advanceInvoice');
    assert.equal(order.body.customer.companyName, 'Signatory Required AB');
    assert.deepEqual(problems, []);
  });

  test('twin: any other company completes, with Invoice by default', async () => {
    const { sessionId, orderId } = await createSession();
    const { page, frame } = await openCheckout(sessionId);
    await frame.getByLabel('Organisation number').fill('556000-0007');
    await frame.getByRole('button', { name: 'Place order' }).click();
    await waitForEvent(page, 'ledyerCheckoutOrderComplete');
    assert.equal(await frame.getByRole('heading', { name: 'Thank you for your order' }).isVisible(), true);
    assert.equal((await client.api('GET', `/v1/orders/${orderId}`)).body.paymentMethod.type, 'invoice');
  });
});

describe('the control API drives an open checkout', () => {
  test('complete: the page buys, the merchant gets OrderComplete, the iframe shows the confirmation, empty required fields get test defaults', async () => {
    const { sessionId, orderId } = await createSession({ customer: { email: '' } });
    const { page, frame, problems } = await openCheckout(sessionId);
    assert.equal(await frame.inputValue('[name="email"]'), '');
    const answer = await client.control('POST', `/sessions/${orderId}/complete`, { paymentMethod: 'advanceInvoice' });
    assert.equal(answer.status, 200, JSON.stringify(answer.body));
    assert.deepEqual(answer.body, { kind: 'complete', orderId });
    assert.equal(answer.headers.get('sandbox-driven-by'), 'page');
    assert.deepEqual(await events(page), ['ledyerCheckoutOrderComplete'], 'the merchant page was told before the call answered');
    await frame.getByRole('heading', { name: 'Thank you for your order' }).waitFor();
    const order = await client.api('GET', `/v1/orders/${orderId}`);
    assert.equal(order.body.customer.email, 'buyer@example.com');
    assert.equal(order.body.paymentMethod.type, 'advanceInvoice');
    assert.deepEqual(problems, []);
  });

  test('pending: the page buys as the signatory-required company and ends pending', async () => {
    const { sessionId, orderId } = await createSession();
    const { page, frame } = await openCheckout(sessionId);
    const answer = await client.control('POST', `/sessions/${sessionId}/pending`);
    assert.deepEqual(answer.body, { kind: 'pending', orderId });
    assert.equal(answer.headers.get('sandbox-driven-by'), 'page');
    await waitForEvent(page, 'ledyerCheckoutOrderPending');
    await frame.getByRole('heading', { name: 'Your order is waiting for approval' }).waitFor();
    assert.equal(await frame.inputValue('[name="companyId"]'), SANDBOX_TEST_COMPANIES.awaitsSignatory.companyId);
  });

  test('client validation: the merchant page is asked, and its denial is the answer; nothing is bought', async () => {
    const { sessionId, orderId } = await createSession({ requireClientValidation: true });
    const { page, frame } = await openCheckout(sessionId, 'deny');
    const answer = await client.control('POST', `/sessions/${orderId}/complete`);
    assert.equal(answer.status, 200);
    assert.deepEqual(answer.body, { kind: 'denied', title: 'Purchase order number required', body: 'Enter your PO number in the cart.' });
    assert.equal(answer.headers.get('sandbox-driven-by'), 'page');
    assert.deepEqual(await events(page), ['ledyerCheckoutWaitingForClientValidation']);
    assert.equal(await frame.textContent('#alert-title'), 'Purchase order number required');
    assert.equal((await client.api('GET', `/v1/orders/${orderId}`)).status, 404);
  });

  test('twin: client validation that proceeds completes through the page', async () => {
    const { sessionId, orderId } = await createSession({ requireClientValidation: true });
    const { page } = await openCheckout(sessionId, 'proceed');
    assert.deepEqual((await client.control('POST', `/sessions/${orderId}/complete`)).body, { kind: 'complete', orderId });
    assert.deepEqual(await events(page), ['ledyerCheckoutWaitingForClientValidation', 'ledyerCheckoutOrderComplete']);
  });

  test('no page open: bought server-side; a page that does not answer: bought server-side after the bound', async () => {
    const { orderId } = await createSession();
    const unseen = await client.control('POST', `/sessions/${orderId}/complete`);
    assert.deepEqual(unseen.body, { kind: 'complete', orderId });
    assert.equal(unseen.headers.get('sandbox-driven-by'), 'server');

    // A listener that never takes the command, as a frozen page would.
    const silent = await createSession();
    const abort = new AbortController();
    const stream = await fetch(`${client.url}/checkout/${silent.sessionId}/events`, { signal: abort.signal });
    assert.equal(stream.status, 200);
    try {
      const answer = await client.control('POST', `/sessions/${silent.orderId}/complete`);
      assert.deepEqual(answer.body, { kind: 'complete', orderId: silent.orderId });
      assert.equal(answer.headers.get('sandbox-driven-by'), 'server');
    } finally {
      abort.abort();
    }
  });

  test('a body with an unknown payment method is a 400 naming the field, and nothing is bought', async () => {
    const { orderId } = await createSession();
    const answer = await client.control('POST', `/sessions/${orderId}/complete`, { paymentMethod: 'card' });
    assert.equal(answer.status, 400);
    assert.equal(answer.body.errors[0].path, 'paymentMethod');
    assert.equal((await client.api('GET', `/v1/orders/${orderId}`)).status, 404);
  });

  test('expire reaches an open page: it says so and buying is disabled', async () => {
    const { sessionId, orderId } = await createSession();
    const { frame, problems } = await openCheckout(sessionId);
    assert.equal((await client.control('POST', `/sessions/${orderId}/expire`)).status, 200);
    await frame.getByRole('alert').waitFor();
    assert.equal(await frame.textContent('#alert-title'), 'This checkout has expired');
    assert.equal(await frame.isDisabled('#buy'), true);
    await frame.waitForSelector('html[data-live="closed"]');
    assert.deepEqual(problems, []);
  });
});

describe('the live channel', () => {
  test('an events stream for an unknown session is 404, for an expired one 410', async () => {
    assert.equal((await fetch(`${client.url}/checkout/cs_doesnotexist/events`)).status, 404);
    const { sessionId } = await createSession();
    await client.control('POST', `/sessions/${sessionId}/expire`);
    const expired = await fetch(`${client.url}/checkout/${sessionId}/events`);
    assert.equal(expired.status, 410);
    assert.match(((await expired.json()) as { errors: Array<{ message: string }> }).errors[0]?.message ?? '', /expired/);
  });

  test('a page that disconnects is forgotten: at the cap a new page is refused (429), after one leaves it is let in', async () => {
    const { sessionId } = await createSession();
    const listeners: AbortController[] = [];
    const listen = async (): Promise<number> => {
      const abort = new AbortController();
      listeners.push(abort);
      return (await fetch(`${client.url}/checkout/${sessionId}/events`, { signal: abort.signal })).status;
    };
    try {
      for (let index = 0; index < 8; index += 1) assert.equal(await listen(), 200);
      const refused = await fetch(`${client.url}/checkout/${sessionId}/events`);
      assert.equal(refused.status, 429);
      assert.match(((await refused.json()) as { errors: Array<{ message: string }> }).errors[0]?.message ?? '', /already has 8 open pages/);
      listeners[0]?.abort();
      let status = 429;
      for (let attempt = 0; attempt < 50 && status === 429; attempt += 1) {
        await new Promise((resolve) => setTimeout(resolve, 20));
        status = await listen();
      }
      assert.equal(status, 200, 'the place of the page that left is free again');
    } finally {
      for (const listener of listeners) listener.abort();
    }
  });

  test("sandbox.close() ends open pages' streams (the page loses its channel) and resolves", async () => {
    const own = await startClient();
    const created = await own.api('POST', '/v1/sessions', seedCreateSessionRequest());
    const context = await browser.newContext();
    contexts.push(context);
    const page = await context.newPage();
    await page.goto(`${merchantOrigin}/shop?${new URLSearchParams({ sid: created.body.sessionId, sandbox: own.url })}`);
    const frame = await (await page.waitForSelector('#ledyer-container iframe')).contentFrame();
    await frame!.waitForSelector('html[data-live="connected"]');
    await own.close();
    await frame!.waitForFunction(() => document.documentElement.dataset.live !== 'connected');
  });
});
