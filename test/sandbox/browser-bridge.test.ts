/**
 * bootstrap.js + the hosted page in real Chromium, across two origins: the sandbox's browser
 * routes (with a fake CheckoutService) on one port, a merchant page on another.
 */
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, beforeEach, describe, test } from 'node:test';
import { chromium, type Browser, type BrowserContext, type Frame, type Page } from 'playwright-core';
import { handleBrowserRequest } from '../../src/sandbox/browser-routes.js';
import { createFakeService, SESSION, type FakeService } from './browser-fixtures.js';

const EVENTS = [
  'ledyerCheckoutCustomerUpdated',
  'ledyerCheckoutBillingUpdated',
  'ledyerCheckoutShippingUpdated',
  'ledyerCheckoutWaitingForClientValidation',
  'ledyerCheckoutOrderComplete',
  'ledyerCheckoutOrderPending',
];

let browser: Browser;
let checkoutServer: Server;
let merchantServer: Server;
let checkoutOrigin: string;
let merchantOrigin: string;
let service: FakeService;

function listen(server: Server): Promise<string> {
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`)));
}

/** The merchant's page: a container, bootstrap.js with data attributes, and an event log. */
function merchantPage(url: URL): string {
  const q = url.searchParams;
  const attributes = [
    q.get('sid') !== null ? `data-session-id="${q.get('sid')}"` : '',
    `data-container-id="${q.get('container') ?? 'ledyer-container'}"`,
    'data-env="localhost"',
    q.get('color') ? `data-buy-button-color="${q.get('color')}"` : '',
    q.get('noPadding') ? 'data-no-padding="true"' : '',
  ].join(' ');
  const validation = JSON.stringify(q.get('validation') ?? 'none');
  return `<!doctype html><html><head><title>Shop</title></head><body>
<h1>Shop</h1>
<div id="ledyer-container"></div>
<script>
window.events = [];
for (const name of ${JSON.stringify(EVENTS)}) {
  document.addEventListener(name, (event) => window.events.push({ name, at: performance.now(), detail: event.detail }));
}
const mode = ${validation};
document.addEventListener('ledyerCheckoutWaitingForClientValidation', () => {
  if (mode === 'proceed') setTimeout(() => window.ledyer.api.clientValidation({ shouldProceed: true }), 50);
  if (mode === 'deny-message') window.ledyer.api.clientValidation({ shouldProceed: false, message: { title: 'Out of stock', body: 'The blue widget sold out a minute ago.' } });
  if (mode === 'deny') window.ledyer.api.clientValidation({ shouldProceed: false });
});
window.inject = (sid) => {
  const script = document.createElement('script');
  script.src = ${JSON.stringify('CHECKOUT')} + '/bootstrap.js';
  script.dataset.sessionId = sid;
  script.dataset.containerId = 'ledyer-container';
  script.dataset.env = 'localhost';
  document.body.appendChild(script);
  return new Promise((resolve) => script.addEventListener('load', resolve));
};
</script>
${q.get('script') === 'none' ? '' : `<script src="CHECKOUT/bootstrap.js" ${attributes}></script>`}
</body></html>`;
}

before(async () => {
  service = createFakeService();
  checkoutServer = createServer((req, res) => {
    void (async () => {
      const chunks: Buffer[] = [];
      for await (const chunk of req) chunks.push(chunk as Buffer);
      const headers = new Headers();
      for (const [name, value] of Object.entries(req.headers)) if (typeof value === 'string') headers.set(name, value);
      const hasBody = req.method !== 'GET' && req.method !== 'HEAD';
      const request = new Request(`${checkoutOrigin}${req.url}`, { method: req.method ?? 'GET', headers, ...(hasBody ? { body: Buffer.concat(chunks) } : {}) });
      const response = (await handleBrowserRequest(request, service)) ?? new Response('not found', { status: 404 });
      res.writeHead(response.status, Object.fromEntries(response.headers));
      if (response.body && response.headers.get('content-type')?.startsWith('text/event-stream')) {
        // The live channel: pass events on as they come; a page that leaves cancels it.
        const reader = response.body.getReader();
        res.on('close', () => void reader.cancel().catch(() => undefined));
        res.flushHeaders();
        for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) res.write(chunk.value);
        res.end();
        return;
      }
      res.end(Buffer.from(await response.arrayBuffer()));
    })();
  });
  merchantServer = createServer((req, res) => {
    const url = new URL(req.url ?? '/', merchantOrigin);
    const html = url.pathname === '/shop' ? merchantPage(url).replaceAll('CHECKOUT', checkoutOrigin) : `<!doctype html><title>${url.pathname}</title><p>${url.pathname}</p>`;
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end(html);
  });
  checkoutOrigin = await listen(checkoutServer);
  merchantOrigin = await listen(merchantServer);
  service.redirectTo = `${merchantOrigin}/landed`;
  browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-quic', '--no-first-run'],
  });
});

after(async () => {
  await browser?.close();
  service?.live.close();
  checkoutServer?.closeAllConnections();
  await new Promise((resolve) => checkoutServer?.close(resolve));
  await new Promise((resolve) => merchantServer?.close(resolve));
});

interface Opened {
  context: BrowserContext;
  page: Page;
  /** Console errors, page errors and CSP violations of the page and its frames. */
  problems: string[];
}

let opened: Opened[] = [];
beforeEach(async () => {
  for (const { context } of opened) await context.close();
  opened = [];
});
after(async () => {
  for (const { context } of opened) await context.close();
});

async function open(query: Record<string, string>): Promise<Opened> {
  const context = await browser.newContext();
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console: ${message.text()}`);
  });
  page.on('pageerror', (error) => problems.push(`pageerror: ${error.message}`));
  await context.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (event) => console.error(`CSP violation: ${event.violatedDirective} ${event.blockedURI}`));
  });
  const entry = { context, page, problems };
  opened.push(entry);
  await page.goto(`${merchantOrigin}/shop?${new URLSearchParams(query)}`);
  return entry;
}

/** The checkout frame once its page has rendered and said `ready`. */
async function checkoutFrame(page: Page): Promise<Frame> {
  const handle = await page.waitForSelector('#ledyer-container iframe');
  const frame = await handle.contentFrame();
  assert.ok(frame, 'iframe has a frame');
  await frame.waitForSelector('h1');
  await frame.waitForLoadState('load');
  return frame;
}

const events = (page: Page): Promise<string[]> => page.evaluate(() => (window as unknown as { events: Array<{ name: string }> }).events.map((event) => event.name));

/** Posts from inside the checkout frame to its parent, with the mount's nonce unless overridden. */
function postFromFrame(frame: Frame, body: Record<string, unknown>): Promise<void> {
  return frame.evaluate((payload) => {
    const params = new URLSearchParams(location.hash.slice(1));
    parent.postMessage({ v: 1, nonce: params.get('nonce'), ...payload }, params.get('parentOrigin') ?? '');
  }, body);
}

/** Messages are delivered in order: once the sentinel's event arrived, the ones before it were handled. */
async function settle(page: Page, frame: Frame, count: number): Promise<void> {
  await postFromFrame(frame, { type: 'pending' });
  await page.waitForFunction((n) => (window as unknown as { events: Array<{ name: string }> }).events.filter((event) => event.name === 'ledyerCheckoutOrderPending').length >= n, count);
}

describe('bootstrap.js mounts the checkout', () => {
  test('builds the iframe from the data attributes: URL, nonce, origin, sandbox, allow, title', async () => {
    const { page, problems } = await open({ sid: SESSION.open, color: '#112233', noPadding: 'true' });
    const frame = await checkoutFrame(page);
    const iframe = await page.$eval('#ledyer-container iframe', (element) => ({
      src: (element as HTMLIFrameElement).src,
      title: element.getAttribute('title'),
      sandbox: element.getAttribute('sandbox'),
      allow: element.getAttribute('allow'),
      scrolling: element.getAttribute('scrolling'),
      overflow: (element as HTMLIFrameElement).style.overflow,
    }));
    const src = new URL(iframe.src);
    assert.equal(src.origin, checkoutOrigin);
    assert.equal(src.pathname, `/checkout/${SESSION.open}`);
    assert.equal(src.searchParams.get('buyButtonColor'), '#112233');
    assert.equal(src.searchParams.get('noPadding'), 'true');
    assert.equal(src.searchParams.get('env'), 'localhost');
    const fragment = new URLSearchParams(src.hash.slice(1));
    assert.match(fragment.get('nonce') ?? '', /^[0-9a-f]{32}$/);
    assert.equal(fragment.get('parentOrigin'), merchantOrigin);
    assert.equal(iframe.title, 'Ledyer Checkout');
    assert.match(iframe.sandbox ?? '', /allow-scripts/);
    assert.match(iframe.sandbox ?? '', /allow-same-origin/);
    assert.ok(!/allow-top-navigation/.test(iframe.sandbox ?? ''), 'redirects go through bootstrap');
    assert.match(iframe.allow ?? '', /camera 'none'/);
    assert.equal(iframe.scrolling, 'no');
    assert.equal(iframe.overflow, 'hidden');
    // Dark buy colour → white text; no padding.
    const look = await frame.evaluate(() => ({
      background: getComputedStyle(document.getElementById('buy')!).backgroundColor,
      color: getComputedStyle(document.getElementById('buy')!).color,
      padding: getComputedStyle(document.body).paddingTop,
    }));
    assert.deepEqual(look, { background: 'rgb(17, 34, 51)', color: 'rgb(255, 255, 255)', padding: '0px' });
    assert.deepEqual(problems, []);
  });

  test('a light buy colour gets black text, and the default keeps 12px padding', async () => {
    const { page } = await open({ sid: SESSION.open, color: '#ffee00' });
    const frame = await checkoutFrame(page);
    const look = await frame.evaluate(() => ({
      color: getComputedStyle(document.getElementById('buy')!).color,
      padding: getComputedStyle(document.body).paddingTop,
    }));
    assert.deepEqual(look, { color: 'rgb(0, 0, 0)', padding: '12px' });
    const second = await open({ sid: SESSION.open });
    const nonceOf = (p: Page) => p.$eval('#ledyer-container iframe', (element) => new URLSearchParams(new URL((element as HTMLIFrameElement).src).hash.slice(1)).get('nonce'));
    assert.notEqual(await nonceOf(page), await nonceOf(second.page), 'a nonce per mount');
  });

  test('a missing container or session id is a console.error, nothing thrown, no iframe', async () => {
    const noContainer = await open({ sid: SESSION.open, container: 'nowhere' });
    await noContainer.page.waitForLoadState('load');
    assert.equal(await noContainer.page.$$eval('iframe', (frames) => frames.length), 0);
    assert.ok(noContainer.problems.some((line) => line.includes('no element with id "nowhere"')), noContainer.problems.join('\n'));
    assert.ok(!noContainer.problems.some((line) => line.startsWith('pageerror')));

    const noSession = await open({ container: 'ledyer-container' });
    await noSession.page.waitForLoadState('load');
    assert.equal(await noSession.page.$$eval('iframe', (frames) => frames.length), 0);
    assert.ok(noSession.problems.some((line) => line.includes('no data-session-id')), noSession.problems.join('\n'));
  });

  test('an unknown or expired session shows the service message in the iframe', async () => {
    const unknown = await open({ sid: SESSION.unknown });
    const frame = await checkoutFrame(unknown.page);
    assert.equal(await frame.textContent('#message'), 'This checkout session does not exist.');
    const expired = await open({ sid: SESSION.expired });
    assert.match((await (await checkoutFrame(expired.page)).textContent('#message')) ?? '', /has expired/);
    // A real session shows the form instead of a message.
    const real = await open({ sid: SESSION.open });
    const realFrame = await checkoutFrame(real.page);
    assert.equal(await realFrame.$('#message'), null);
    assert.equal(await realFrame.inputValue('[name="companyId"]'), '559311-3714');
  });
});

describe('events and the bridge', () => {
  test('page messages become the matching document events', async () => {
    const { page } = await open({ sid: SESSION.open });
    const frame = await checkoutFrame(page);
    await postFromFrame(frame, { type: 'customer-updated', changed: ['customer', 'billing', 'shipping'] });
    await postFromFrame(frame, { type: 'complete' });
    await postFromFrame(frame, { type: 'waiting-for-validation' });
    await settle(page, frame, 1);
    assert.deepEqual(await events(page), [
      'ledyerCheckoutCustomerUpdated',
      'ledyerCheckoutBillingUpdated',
      'ledyerCheckoutShippingUpdated',
      'ledyerCheckoutOrderComplete',
      'ledyerCheckoutWaitingForClientValidation',
      'ledyerCheckoutOrderPending',
    ]);
    const detail = await page.evaluate(() => (window as unknown as { events: Array<{ detail: unknown }> }).events[0]?.detail);
    assert.deepEqual(detail, { sessionId: SESSION.open });
  });

  test('a wrong nonce, a wrong version, an unknown type or a bad payload are ignored', async () => {
    const { page, problems } = await open({ sid: SESSION.open });
    const frame = await checkoutFrame(page);
    await postFromFrame(frame, { type: 'complete', nonce: 'not-the-nonce' });
    await postFromFrame(frame, { type: 'complete', v: 2 });
    await postFromFrame(frame, { type: 'explode' });
    await postFromFrame(frame, { type: 'customer-updated', changed: ['everything'] });
    await postFromFrame(frame, { type: 'redirect', location: 'javascript:alert(1)' });
    await settle(page, frame, 1);
    assert.deepEqual(await events(page), ['ledyerCheckoutOrderPending']);
    assert.equal(new URL(page.url()).pathname, '/shop');
    assert.deepEqual(problems, []);
  });

  test('the right message from another window of the checkout origin is ignored', async () => {
    const { page } = await open({ sid: SESSION.open });
    const frame = await checkoutFrame(page);
    const nonce = await frame.evaluate(() => new URLSearchParams(location.hash.slice(1)).get('nonce'));
    // A sibling iframe on the checkout's own origin: same origin, right nonce, wrong window.
    await page.evaluate((src) => {
      const sibling = document.createElement('iframe');
      sibling.name = 'sibling';
      sibling.src = src;
      document.body.appendChild(sibling);
      return new Promise((resolve) => sibling.addEventListener('load', resolve));
    }, `${checkoutOrigin}/checkout/${SESSION.unknown}`);
    const sibling = page.frame({ name: 'sibling' });
    assert.ok(sibling);
    await sibling.evaluate(({ nonce, origin }) => parent.postMessage({ v: 1, nonce, type: 'complete' }, origin), { nonce, origin: merchantOrigin });
    await page.waitForTimeout(200);
    await settle(page, frame, 1);
    assert.deepEqual(await events(page), ['ledyerCheckoutOrderPending']);
  });

  test('the iframe window, navigated to another origin, is no longer trusted', async () => {
    const { page } = await open({ sid: SESSION.open });
    const frame = await checkoutFrame(page);
    const hash = await frame.evaluate(() => location.hash);
    await frame.goto(`${merchantOrigin}/elsewhere${hash}`);
    await postFromFrame(frame, { type: 'complete' });
    await page.waitForTimeout(300);
    assert.deepEqual(await events(page), []);
  });

  test('the page obeys its parent only: wrong nonce or another window cannot suspend it', async () => {
    const { page } = await open({ sid: SESSION.open });
    const frame = await checkoutFrame(page);
    await page.evaluate((origin) => {
      const iframe = document.querySelector<HTMLIFrameElement>('#ledyer-container iframe')!;
      iframe.contentWindow!.postMessage({ v: 1, nonce: 'guess', type: 'suspend' }, origin);
      const sibling = document.createElement('iframe');
      sibling.name = 'merchant-sibling';
      sibling.src = '/sibling';
      document.body.appendChild(sibling);
      return new Promise((resolve) => sibling.addEventListener('load', resolve));
    }, checkoutOrigin);
    const nonce = await frame.evaluate(() => new URLSearchParams(location.hash.slice(1)).get('nonce'));
    // Same origin as the parent, right nonce, but not window.parent.
    await page.frame({ name: 'merchant-sibling' })!.evaluate(({ nonce, origin }) => parent.frames[0]!.postMessage({ v: 1, nonce, type: 'suspend' }, origin), { nonce, origin: checkoutOrigin });
    await page.waitForTimeout(300);
    assert.equal(await frame.isHidden('#overlay'), true);
    await page.evaluate(() => (window as unknown as { ledyer: { api: { suspend(): void } } }).ledyer.api.suspend());
    await frame.waitForSelector('#overlay', { state: 'visible' });
  });

  test('10,000 random messages both ways: nothing happens, nothing throws', async () => {
    const { page, problems } = await open({ sid: SESSION.open });
    const frame = await checkoutFrame(page);
    // Plain source text: tsx would wrap a compiled function in helpers the browser lacks.
    // Plain source text: tsx would wrap a compiled function in helpers the browser lacks.
    // Half of the messages carry the right nonce and version, so payload checks are exercised
    // too; their payloads are always invalid, so still nothing may happen.
    const junk = `(seed, nonce) => {
      let state = seed;
      const random = () => ((state = (state * 1103515245 + 12345) % 2147483648) / 2147483648);
      const pick = (list) => list[Math.floor(random() * list.length)];
      const bad = [null, undefined, -1, 1e12, NaN, 'x', {}, 'javascript:alert(1)', { title: 1 }, ['everything'], '/relative'];
      const anyType = ['ready', 'resize', 'complete', 'pending', 'redirect', 'suspend', 'resume', 'validation-result', 'customer-updated', 'waiting-for-validation', '__proto__', 'constructor', '', 'x'];
      const payloadTypes = ['resize', 'customer-updated', 'redirect', 'validation-result', '__proto__', 'toString', 'x'];
      const messages = [];
      for (let index = 0; index < 5000; index += 1) {
        const roll = random();
        if (roll < 0.2) messages.push(pick(bad));
        else if (roll < 0.5) messages.push({ v: pick([1, 2, '1', undefined, 0]), nonce: pick(['', 'wrong', null, 42, nonce + 'x']), type: pick(anyType) });
        else messages.push({ v: 1, nonce, type: pick(payloadTypes), height: pick(bad), changed: pick(bad), location: pick(bad), shouldProceed: pick(bad), message: pick(bad) });
      }
      return messages;
    }`;
    const heightBefore = await page.$eval('#ledyer-container iframe', (element) => (element as HTMLIFrameElement).style.height);
    await frame.evaluate(`(${junk})(7, new URLSearchParams(location.hash.slice(1)).get('nonce')).forEach((m) => parent.postMessage(m, '*'))`);
    await page.evaluate(`(() => {
      const iframe = document.querySelector('#ledyer-container iframe');
      const nonce = new URLSearchParams(new URL(iframe.src).hash.slice(1)).get('nonce');
      (${junk})(11, nonce).forEach((m) => iframe.contentWindow.postMessage(m, '*'));
    })()`);
    await settle(page, frame, 1);
    await page.waitForTimeout(200);
    assert.deepEqual(await events(page), ['ledyerCheckoutOrderPending']);
    assert.equal(await frame.isHidden('#overlay'), true);
    assert.equal(await frame.isEnabled('#buy'), true);
    assert.equal(await page.$eval('#ledyer-container iframe', (element) => (element as HTMLIFrameElement).style.height), heightBefore);
    assert.equal(new URL(page.url()).pathname, '/shop');
    assert.deepEqual(problems, []);
  });
});

describe('the hosted page', () => {
  test('a full purchase by keyboard: edit, events, buy, confirmation, no CSP violation or console error', async () => {
    const { page, problems } = await open({ sid: SESSION.open });
    const frame = await checkoutFrame(page);
    await frame.fill('[name="email"]', 'ap@ledyer.example');
    await frame.fill('[name="billing.city"]', 'Göteborg');
    await frame.press('[name="billing.city"]', 'Tab');
    await page.waitForFunction(() => (window as unknown as { events: unknown[] }).events.length >= 2);
    assert.deepEqual((await events(page)).sort(), ['ledyerCheckoutBillingUpdated', 'ledyerCheckoutCustomerUpdated']);
    await frame.focus('#buy');
    await frame.press('#buy', 'Enter');
    await page.waitForFunction(() => (window as unknown as { events: Array<{ name: string }> }).events.some((event) => event.name === 'ledyerCheckoutOrderComplete'));
    await frame.waitForSelector('#confirmation', { state: 'visible' });
    assert.equal(await frame.textContent('#confirmation-title'), 'Thank you for your order');
    assert.equal(await frame.isHidden('#checkout-form'), true);
    const focused = await frame.evaluate(() => document.activeElement?.id);
    assert.equal(focused, 'confirmation');
    assert.deepEqual(problems, []);
  });

  test('a new organisation number fills the saved company name and address; a name the buyer typed stays', async () => {
    const { page } = await open({ sid: SESSION.tall });
    const frame = await checkoutFrame(page);
    await frame.fill('[name="companyId"]', '556677-8899');
    await frame.press('[name="companyId"]', 'Tab');
    await frame.waitForFunction(() => (document.querySelector('[name="companyName"]') as HTMLInputElement).value === 'Sandbox Testbolag AB');
    assert.equal(await frame.evaluate(() => document.activeElement?.getAttribute('name')), 'companyName', 'refreshed while focused, untouched');
    assert.equal(await frame.inputValue('[name="billing.streetAddress"]'), 'Testgatan 1');

    const typed = await open({ sid: SESSION.pending });
    const typedFrame = await checkoutFrame(typed.page);
    await typedFrame.fill('[name="companyId"]', '556677-8899');
    await typedFrame.fill('[name="companyName"]', 'Our Own Name AB');
    await typedFrame.press('[name="companyName"]', 'Tab');
    await typedFrame.waitForFunction(() => (document.querySelector('[name="billing.streetAddress"]') as HTMLInputElement).value === 'Testgatan 1');
    assert.equal(await typedFrame.inputValue('[name="companyName"]'), 'Our Own Name AB');
  });

  test('resize: the iframe is as tall as its content, and follows it when it grows', async () => {
    const { page } = await open({ sid: SESSION.tall });
    const frame = await checkoutFrame(page);
    const measure = async () => {
      const content = await frame.evaluate(() => ({ body: Math.ceil(document.body.getBoundingClientRect().height), scroll: document.documentElement.scrollHeight, inner: innerHeight }));
      const iframe = await page.$eval('#ledyer-container iframe', (element) => element.getBoundingClientRect().height);
      return { ...content, iframe };
    };
    await page.waitForFunction(() => document.querySelector('#ledyer-container iframe')!.getBoundingClientRect().height > 1000);
    const tall = await measure();
    assert.equal(tall.iframe, tall.body);
    assert.ok(tall.scroll <= tall.inner, `no inner scrolling: ${tall.scroll} <= ${tall.inner}`);
    // Grow the content: the iframe follows.
    await frame.evaluate(() => {
      const alert = document.getElementById('alert')!;
      alert.hidden = false;
      document.getElementById('alert-body')!.textContent = 'x '.repeat(2000);
    });
    await page.waitForFunction((before) => document.querySelector('#ledyer-container iframe')!.getBoundingClientRect().height > before, tall.iframe);
    const grown = await measure();
    assert.equal(grown.iframe, grown.body);
    // A short session is a shorter iframe, not the tall one's size.
    const short = await open({ sid: SESSION.unknown });
    await checkoutFrame(short.page);
    await short.page.waitForFunction(() => document.querySelector('#ledyer-container iframe')!.getBoundingClientRect().height !== 320);
    assert.ok((await short.page.$eval('#ledyer-container iframe', (element) => element.getBoundingClientRect().height)) < 320);
  });

  test('suspend shows the overlay and blocks buy; resume removes it and buy works', async () => {
    const { page } = await open({ sid: SESSION.open });
    const frame = await checkoutFrame(page);
    const purchases = () => service.calls.filter((entry) => entry.method === 'purchase').length;
    const before = purchases();
    await page.evaluate(() => (window as unknown as { ledyer: { api: { suspend(): void } } }).ledyer.api.suspend());
    await frame.waitForSelector('#overlay', { state: 'visible' });
    assert.equal(await frame.isDisabled('#buy'), true);
    await frame.evaluate(() => (document.getElementById('checkout-form') as HTMLFormElement).requestSubmit());
    await page.waitForTimeout(300);
    assert.equal(purchases(), before, 'no purchase while suspended');
    assert.deepEqual(await events(page), []);
    await page.evaluate(() => (window as unknown as { ledyer: { api: { resume(): void } } }).ledyer.api.resume());
    await frame.waitForSelector('#overlay', { state: 'hidden' });
    assert.equal(await frame.isEnabled('#buy'), true);
    await frame.click('#buy');
    await page.waitForFunction(() => (window as unknown as { events: Array<{ name: string }> }).events.some((event) => event.name === 'ledyerCheckoutOrderComplete'));
  });

  test('a suspend issued before the iframe is ready still takes effect', async () => {
    const { page } = await open({ sid: SESSION.open, script: 'none' });
    await page.evaluate((sid) => {
      const inject = (window as unknown as { inject(sid: string): Promise<void> }).inject(sid);
      return inject.then(() => (window as unknown as { ledyer: { api: { suspend(): void } } }).ledyer.api.suspend());
    }, SESSION.open);
    const frame = await checkoutFrame(page);
    await frame.waitForSelector('#overlay', { state: 'visible' });
  });

  test('outcomes: pending fires OrderPending; declined shows its title and body; a plain decline the default', async () => {
    const pending = await open({ sid: SESSION.pending });
    const pendingFrame = await checkoutFrame(pending.page);
    await pendingFrame.click('#buy');
    await pendingFrame.waitForSelector('#confirmation', { state: 'visible' });
    assert.deepEqual(await events(pending.page), ['ledyerCheckoutOrderPending']);

    const declined = await open({ sid: SESSION.declined });
    const declinedFrame = await checkoutFrame(declined.page);
    await declinedFrame.click('#buy');
    await declinedFrame.waitForSelector('#alert', { state: 'visible' });
    assert.equal(await declinedFrame.textContent('#alert-title'), 'Credit limit reached');
    assert.equal(await declinedFrame.textContent('#alert-body'), 'Your company has reached its credit limit with this store.');
    assert.deepEqual(await events(declined.page), []);

    const plain = await open({ sid: SESSION.declinedPlain });
    const plainFrame = await checkoutFrame(plain.page);
    await plainFrame.click('#buy');
    await plainFrame.waitForSelector('#alert', { state: 'visible' });
    assert.equal(await plainFrame.textContent('#alert-title'), 'The order could not be placed');
  });

  test('a redirect outcome navigates the top page to its location', async () => {
    const { page } = await open({ sid: SESSION.redirect });
    const frame = await checkoutFrame(page);
    await Promise.all([page.waitForURL(`${merchantOrigin}/landed`), frame.click('#buy')]);
  });

  test('a completed session shows its confirmation again, without firing events', async () => {
    const { page } = await open({ sid: SESSION.complete });
    const frame = await checkoutFrame(page);
    assert.equal(await frame.isVisible('#confirmation'), true);
    assert.equal(await frame.isHidden('#checkout-form'), true);
    await page.waitForTimeout(200);
    assert.deepEqual(await events(page), []);
  });
});

describe('client validation', () => {
  test('proceed: the merchant says yes and the order completes', async () => {
    const { page } = await open({ sid: SESSION.validation, validation: 'proceed' });
    const frame = await checkoutFrame(page);
    await frame.click('#buy');
    await frame.waitForSelector('#confirmation', { state: 'visible' });
    assert.deepEqual(await events(page), ['ledyerCheckoutWaitingForClientValidation', 'ledyerCheckoutOrderComplete']);
  });

  test('deny with a message: the page shows its title and body and does not buy', async () => {
    const { page } = await open({ sid: SESSION.validation, validation: 'deny-message' });
    const frame = await checkoutFrame(page);
    const before = service.calls.filter((entry) => entry.method === 'purchase').length;
    await frame.click('#buy');
    await frame.waitForSelector('#alert', { state: 'visible' });
    assert.equal(await frame.textContent('#alert-title'), 'Out of stock');
    assert.equal(await frame.textContent('#alert-body'), 'The blue widget sold out a minute ago.');
    assert.equal(service.calls.filter((entry) => entry.method === 'purchase').length, before);
    assert.equal(await frame.isEnabled('#buy'), true, 'the buyer can try again');
    assert.deepEqual(await events(page), ['ledyerCheckoutWaitingForClientValidation']);
  });

  test('deny without a message: the page shows the default error', async () => {
    const { page } = await open({ sid: SESSION.validation, validation: 'deny' });
    const frame = await checkoutFrame(page);
    await frame.click('#buy');
    await frame.waitForSelector('#alert', { state: 'visible' });
    assert.equal(await frame.textContent('#alert-title'), 'The order could not be placed');
    assert.match((await frame.textContent('#alert-body')) ?? '', /could not accept this order/);
  });

  test('a clientValidation() while nothing is pending changes nothing', async () => {
    const { page } = await open({ sid: SESSION.validation });
    const frame = await checkoutFrame(page);
    await page.evaluate(() => (window as unknown as { ledyer: { api: { clientValidation(r: unknown): void } } }).ledyer.api.clientValidation({ shouldProceed: false }));
    await page.waitForTimeout(200);
    assert.equal(await frame.isHidden('#alert'), true);
  });

  test('no answer: the purchase proceeds after 10 seconds, not before', { timeout: 30000 }, async () => {
    const { page } = await open({ sid: SESSION.validation });
    const frame = await checkoutFrame(page);
    await frame.click('#buy');
    await page.waitForFunction(() => (window as unknown as { events: unknown[] }).events.length >= 1);
    await page.waitForTimeout(9000);
    assert.deepEqual(await events(page), ['ledyerCheckoutWaitingForClientValidation'], 'still waiting at 9 s');
    assert.match((await frame.textContent('#status')) ?? '', /Waiting for the store/);
    await page.waitForFunction(() => (window as unknown as { events: unknown[] }).events.length >= 2, undefined, { timeout: 5000 });
    const timing = await page.evaluate(() => (window as unknown as { events: Array<{ name: string; at: number }> }).events);
    assert.equal(timing[1]?.name, 'ledyerCheckoutOrderComplete');
    const waited = (timing[1]?.at ?? 0) - (timing[0]?.at ?? 0);
    assert.ok(waited >= 10000 && waited < 12000, `proceeded after ${waited} ms`);
  });
});

describe('loading bootstrap.js twice', () => {
  const liveCount = (page: Page) => page.$$eval('iframe[data-ledyer-checkout]', (frames) => frames.length);

  test('a second script tag: the newest mount wins, one iframe, one set of listeners', async () => {
    const { page, problems } = await open({ sid: SESSION.open });
    const first = await checkoutFrame(page);
    const firstMount = await page.evaluate(() => (window as unknown as { ledyer: { sandbox: { mountId: string } } }).ledyer.sandbox.mountId);
    await page.evaluate((sid) => (window as unknown as { inject(sid: string): Promise<void> }).inject(sid), SESSION.pending);
    assert.equal(await liveCount(page), 1);
    const frame = await checkoutFrame(page);
    assert.notEqual(frame, first);
    assert.match(frame.url(), new RegExp(SESSION.pending));
    assert.notEqual(await page.evaluate(() => (window as unknown as { ledyer: { sandbox: { mountId: string } } }).ledyer.sandbox.mountId), firstMount);
    await postFromFrame(frame, { type: 'complete' });
    await settle(page, frame, 1);
    assert.deepEqual(await events(page), ['ledyerCheckoutOrderComplete', 'ledyerCheckoutOrderPending'], 'each message fires once');
    assert.deepEqual(problems, []);
  });

  test('re-injection after the old tag and iframe were removed: still exactly one live checkout', async () => {
    const { page } = await open({ sid: SESSION.open });
    await checkoutFrame(page);
    await page.evaluate(() => {
      document.querySelector('script[data-session-id]')?.remove();
      document.querySelector('#ledyer-container iframe')?.remove();
    });
    await page.evaluate((sid) => (window as unknown as { inject(sid: string): Promise<void> }).inject(sid), SESSION.open);
    await page.evaluate((sid) => (window as unknown as { inject(sid: string): Promise<void> }).inject(sid), SESSION.open);
    assert.equal(await liveCount(page), 1);
    const frame = await checkoutFrame(page);
    await postFromFrame(frame, { type: 'customer-updated', changed: ['customer'] });
    await settle(page, frame, 1);
    assert.deepEqual(await events(page), ['ledyerCheckoutCustomerUpdated', 'ledyerCheckoutOrderPending']);
  });
});
