/**
 * Shared pieces of the end-to-end suites: the demo started the way `npm start` starts it
 * (on free ports), real Chromium through playwright-core, a page watcher that collects
 * console errors, page errors and CSP violations, buyer steps, and screenshots for the docs.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdirSync } from 'node:fs';
import { after, afterEach, before } from 'node:test';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserContext, type FrameLocator, type Page } from 'playwright-core';
import { startDemo, type RunningDemo } from '../../demo/start-demo.js';

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
  /** Opens the shop in a fresh, watched page that the suite closes after the test. */
  shop(viewport?: { width: number; height: number }): Promise<{ context: BrowserContext; page: Page; problems: PageProblems }>;
}

/**
 * One demo and one browser for a test file, and after each test: the store's PO policy back
 * to its default, and every page opened by `shop()` closed — and, with `assertPagesClean`,
 * checked for console errors, page errors and CSP violations.
 */
export function useShopSuite(options: { assertPagesClean: boolean }): ShopSuite {
  let demo: RunningDemo | undefined;
  let browser: Browser | undefined;
  const open: Array<{ context: BrowserContext; problems: PageProblems }> = [];
  const running = (): { demo: RunningDemo; browser: Browser } => {
    if (!demo || !browser) throw new Error('the shop suite is not started: use it inside a test');
    return { demo, browser };
  };

  before(async () => {
    demo = await startQuietDemo();
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    await demo?.close();
  });
  afterEach(async () => {
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

/** A fresh context and page, watched from its first script on. */
export async function openShop(browser: Browser, demo: RunningDemo, viewport = { width: 1280, height: 900 }): Promise<{ context: BrowserContext; page: Page; problems: PageProblems }> {
  const context = await browser.newContext({ viewport });
  const page = await context.newPage();
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
  return { context, page, problems };
}

export async function addToCart(page: Page, sku: string, quantity: number): Promise<void> {
  const card = page.locator(`li.product[data-sku="${sku}"]`);
  await card.getByRole('spinbutton').fill(String(quantity));
  await card.getByRole('button', { name: 'Add to cart' }).click();
}

export function checkoutFrame(page: Page): FrameLocator {
  return page.frameLocator('ledyer-checkout iframe');
}

export async function goToCheckout(page: Page): Promise<FrameLocator> {
  await page.getByRole('button', { name: 'Go to checkout' }).click();
  await page.locator('ledyer-checkout[state="ready"]').waitFor();
  return checkoutFrame(page);
}

/** The buyer's details inside Ledyer's checkout, then "Place order". */
export async function placeOrder(frame: FrameLocator, options: { fill?: boolean } = {}): Promise<void> {
  if (options.fill ?? true) {
    await frame.getByLabel('Organisation number').fill('559311-3714');
    await frame.getByLabel('Company name').fill('Ledyer AB');
    await frame.getByLabel('Email').fill('jan.jonsson@business.com');
  }
  await frame.getByRole('button', { name: 'Place order' }).click();
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

/** A call to the sandbox's control API (test-only routes: buy a session without a browser, arm faults). */
export async function sandboxControl(demo: RunningDemo, path: string, body?: unknown): Promise<{ status: number; body: Record<string, unknown> }> {
  if (!demo.sandboxUrl) throw new Error('the demo runs without the local sandbox');
  const response = await fetch(new URL(path, demo.sandboxUrl), {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: body === undefined ? '' : JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
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
