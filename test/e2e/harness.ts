/**
 * Shared pieces of the end-to-end suites: the demo started the way `npm start` starts it
 * (on free ports), real Chromium through playwright-core, a page watcher that collects
 * console errors, page errors and CSP violations, the shop's own steps (cart, checkout step,
 * admin calls), and screenshots for the docs.
 *
 * Everything a purchase does inside Ledyer's checkout, and every call to the sandbox's
 * control API, goes through the public testing kit (`ledyer-checkout/testing`, imported from
 * src/testing as the package exports it): the demo's suite is its first merchant-style user.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdirSync } from 'node:fs';
import { after, afterEach, before } from 'node:test';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { startDemo, type RunningDemo } from '../../demo/start-demo.js';
import { connectLedyerSandbox, ledyerCheckout, type LedyerCheckoutPage, type LedyerSandbox } from '../../src/testing/index.js';

export const COFFEE_MACHINE = '111-222-333';
export const BEANS = '111-222-410';

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env['CHROME_PATH'] ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-quic', '--no-first-run'],
  });
}

export function startQuietDemo(): Promise<RunningDemo> {
  // No variables from the developer's shell: the suite always runs on the local sandbox.
  return startDemo({ port: 0, env: {}, logLevel: 'silent' });
}

export interface ShopSuite {
  /** The running demo; only valid inside tests (it starts in `before`). */
  readonly demo: RunningDemo;
  /** The testing kit's handle on the demo's own sandbox: `connectLedyerSandbox(demo.sandboxUrl)`. */
  readonly sandbox: LedyerSandbox;
  /** Opens the shop in a fresh, watched page that the suite closes after the test. */
  shop(viewport?: { width: number; height: number }): Promise<OpenShop>;
}

/**
 * One demo and one browser for a test file, and after each test: the sandbox's faults
 * disarmed, the store's PO policy back to its default, and every page opened by `shop()`
 * closed — and, with `assertPagesClean`, checked for console errors, page errors and CSP
 * violations.
 */
export function useShopSuite(options: { assertPagesClean: boolean }): ShopSuite {
  let demo: RunningDemo | undefined;
  let sandbox: LedyerSandbox | undefined;
  let browser: Browser | undefined;
  const open: OpenShop[] = [];
  const running = (): { demo: RunningDemo; sandbox: LedyerSandbox; browser: Browser } => {
    if (!demo || !sandbox || !browser) throw new Error('the shop suite is not started: use it inside a test');
    return { demo, sandbox, browser };
  };

  before(async () => {
    demo = await startQuietDemo();
    if (!demo.sandboxUrl) throw new Error('the demo started without the local sandbox: the e2e suite needs it');
    sandbox = await connectLedyerSandbox(demo.sandboxUrl);
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    // A connected handle leaves the sandbox running: the demo owns it and stops it.
    await sandbox?.close();
    await demo?.close();
  });
  afterEach(async () => {
    // A fault a failed test left armed must not fail the next one.
    await running().sandbox.clearFaults();
    await shopCall(running().demo, 'PUT', '/api/settings', { requirePurchaseOrderNumber: false }, { admin: true });
    for (const { context, problems } of open.splice(0)) {
      await context.close();
      if (options.assertPagesClean) {
        assert.deepEqual(problems, { expected: [], consoleErrors: [], pageErrors: [], cspViolations: [] }, 'the page stayed clean');
      }
    }
  });

  return {
    get demo() {
      return running().demo;
    },
    get sandbox() {
      return running().sandbox;
    },
    async shop(viewport) {
      const opened = await openShop(running().browser, running().demo, viewport);
      open.push(opened);
      return opened;
    },
  };
}

/** Everything a buyer should never cause: console errors, uncaught exceptions, CSP violations. */
export interface PageProblems {
  /** Console errors a negative test caused on purpose (e.g. the browser logging a 409); checked, then ignored. */
  expected: RegExp[];
  consoleErrors: string[];
  pageErrors: string[];
  cspViolations: string[];
}

/** A shop page: the page itself, its watcher, and the kit's page object for its checkout. */
export interface OpenShop {
  context: BrowserContext;
  page: Page;
  problems: PageProblems;
  /** `ledyerCheckout(page)`, made before the shop loads so it hears every confirmation. */
  checkout: LedyerCheckoutPage;
}

/** A fresh context and page, watched from its first script on. */
export async function openShop(browser: Browser, demo: RunningDemo, viewport = { width: 1280, height: 900 }): Promise<OpenShop> {
  const context = await browser.newContext({ viewport });
  const page = await context.newPage();
  const checkout = ledyerCheckout(page);
  const problems: PageProblems = { expected: [], consoleErrors: [], pageErrors: [], cspViolations: [] };
  page.on('console', (message) => {
    if (message.type() !== 'error') return;
    const text = message.text();
    const expected = problems.expected.findIndex((pattern) => pattern.test(text));
    // Each expected error excuses exactly one occurrence.
    if (expected >= 0) problems.expected.splice(expected, 1);
    else problems.consoleErrors.push(text);
  });
  page.on('pageerror', (error) => problems.pageErrors.push(error.message));
  await page.exposeFunction('__reportCspViolation', (text: string) => problems.cspViolations.push(text));
  // In every frame (the checkout's too), before any of the page's scripts run.
  await context.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (event) => {
      const report = (window as unknown as { __reportCspViolation?: (text: string) => void }).__reportCspViolation;
      const text = `${event.violatedDirective} blocked ${event.blockedURI || 'inline'} on ${location.href}`;
      if (report) void report(text);
    });
  });
  await page.goto(demo.url);
  await page.locator('html[data-ready="true"]').waitFor();
  return { context, page, problems, checkout };
}

export async function addToCart(page: Page, sku: string, quantity: number): Promise<void> {
  const card = page.locator(`li.product[data-sku="${sku}"]`);
  await card.getByRole('spinbutton').fill(String(quantity));
  await card.getByRole('button', { name: 'Add to cart' }).click();
}

/** The shop's step to its checkout; answers once Ledyer's checkout is ready to buy (the kit's `waitForReady`). */
export async function goToCheckout({ page, checkout }: Pick<OpenShop, 'page' | 'checkout'>): Promise<LedyerCheckoutPage> {
  await page.getByRole('button', { name: 'Go to checkout' }).click();
  await checkout.waitForReady();
  return checkout;
}

/** The checkout's order id, as the shop's page keeps it for its cart changes and its order admin. */
export async function checkoutOrderId(page: Page): Promise<string> {
  return (await page.locator('#checkout-host').getAttribute('data-order-id')) ?? '';
}

/** The `ledyer-*` event names in the page's event log, oldest first. */
export function loggedEvents(page: Page): Promise<string[]> {
  return page.locator('#event-log .log-entry').evaluateAll((entries) => entries.map((entry) => entry.getAttribute('data-event') ?? ''));
}

export async function orderIdOnPage(page: Page): Promise<string> {
  const loaded = page.locator('[data-field="order-id"]');
  await loaded.waitFor();
  return (await loaded.textContent()) ?? '';
}

const screenshotDir = fileURLToPath(new URL('../../docs/screenshots/', import.meta.url));

/**
 * Committed screenshots for the docs: written only when asked (`UPDATE_SCREENSHOTS=1`) or
 * when missing, so a CI run never dirties the working tree.
 */
export async function screenshot(page: Page, name: string, options: { fullPage?: boolean } = {}): Promise<void> {
  const file = `${screenshotDir}${name}.png`;
  if (process.env['UPDATE_SCREENSHOTS'] !== '1' && existsSync(file)) return;
  mkdirSync(screenshotDir, { recursive: true });
  // From the top, so the sticky header is drawn where it belongs in a full-page shot.
  if (options.fullPage) await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: file, fullPage: options.fullPage ?? false, animations: 'disabled', caret: 'hide' });
}

/** What the sandbox holds against its memory limits (README, "Memory limits"), and the limits. */
export interface SandboxUsage {
  sessions: number;
  orders: number;
  idempotencyKeys: number;
  tokens: number;
  callbackLog: number;
  limits: Record<string, number>;
}

/**
 * `GET /sandbox/usage`, the one control route the kit does not wrap, kept here on purpose: it
 * is the sandbox's memory gauge, not a purchase step, and a merchant proves "nothing reached
 * Ledyer" with its own client's requests or the kit's callback log. These suites use its
 * counters (sessions, idempotency keys) to prove a refused request wrote nothing at Ledyer.
 */
export async function sandboxUsage(sandbox: Pick<LedyerSandbox, 'url'>): Promise<SandboxUsage> {
  const response = await fetch(new URL('/sandbox/usage', sandbox.url));
  assert.equal(response.status, 200, 'the sandbox answers its usage');
  return (await response.json()) as SandboxUsage;
}

const adminTokens = new WeakMap<RunningDemo, Promise<string>>();

/** This run's admin token, read from the shop's page as the page's own script reads it. */
export function adminToken(demo: RunningDemo): Promise<string> {
  let token = adminTokens.get(demo);
  if (!token) {
    token = fetch(demo.url)
      .then((response) => response.text())
      .then((html) => {
        const found = /<meta name="shop-admin-token" content="([^"]+)"/.exec(html)?.[1];
        if (!found) throw new Error('the shop page carries no admin token');
        return found;
      });
    adminTokens.set(demo, token);
  }
  return token;
}

export interface ShopCallOptions {
  /** Send this run's admin token, as the shop's admin page does. */
  admin?: boolean;
  headers?: Record<string, string>;
}

/**
 * A call to the shop's own API, as any HTTP client (or a tampering buyer) could make it:
 * no Origin and no Sec-Fetch-Site, as curl sends none; with `admin`, the token too.
 */
export async function shopCall(
  demo: RunningDemo,
  method: string,
  path: string,
  body?: unknown,
  options: ShopCallOptions = {},
): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(new URL(path, demo.url), {
    method,
    headers: {
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      ...(options.admin ? { 'x-shop-admin-token': await adminToken(demo) } : {}),
      ...options.headers,
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

/** `shopCall` with the admin token: what the shop's admin page may do. */
export function adminCall(demo: RunningDemo, method: string, path: string, body?: unknown): Promise<{ status: number; body: Record<string, unknown> }> {
  return shopCall(demo, method, path, body, { admin: true });
}
