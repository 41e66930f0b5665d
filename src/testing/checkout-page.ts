/**
 * `ledyerCheckout(page)`: a page object for `<ledyer-checkout>` and the checkout in its
 * iframe, for Playwright (playwright-core's `Page`, which `@playwright/test` hands out too).
 * Small verbs that read like the test: wait for the checkout, fill in the buyer, buy, expect a
 * denial or a total, wait for the confirmation. Every verb waits on its own up to a timeout
 * and, when it gives up, says what the page showed instead.
 *
 * Only types come from playwright-core, so importing this module loads no Playwright.
 * `waitForReady`, `sessionId` and `waitForConfirmation` read the element alone and work on
 * Ledyer's real checkout too; the others drive the hosted page, whose labels are the
 * sandbox's (Ledyer's own are not public: pass `labels` to match another page).
 */
import type { FrameLocator, Locator, Page } from 'playwright-core';
import type { LedyerConfirmationStatus } from '../element/types.js';
import { SANDBOX_TEST_COMPANIES } from '../sandbox/test-companies.js';
import { probeSource, RECORDER_SOURCE, type CheckoutProbe } from './page-scripts.js';

/** The accessible names of the hosted page's fields and buy button. */
export interface LedyerCheckoutLabels {
  companyId: string;
  companyName: string;
  firstName: string;
  lastName: string;
  email: string;
  phone: string;
  reference: string;
  buy: string;
}

/** The sandbox's hosted page (README, "Stable names for browser tests"). */
export const SANDBOX_CHECKOUT_LABELS: Readonly<LedyerCheckoutLabels> = Object.freeze({
  companyId: 'Organisation number',
  companyName: 'Company name',
  firstName: 'First name',
  lastName: 'Last name',
  email: 'Email',
  phone: 'Phone',
  reference: 'Your reference',
  buy: 'Place order',
});

export interface LedyerCheckoutOptions {
  /** The element to drive (default `ledyer-checkout`, the first match). */
  selector?: string;
  /** How long each verb waits, in ms (default 15000); each verb also takes its own. */
  timeout?: number;
  /** Other accessible names for the hosted page's fields and button. */
  labels?: Partial<LedyerCheckoutLabels>;
}

export interface TimeoutOptions {
  /** In ms; default the helper's `timeout`. */
  timeout?: number;
}

/**
 * What `fillBuyer` types. A field left out gets its default (`DEFAULT_TEST_BUYER`) or is left
 * alone; `null` leaves it alone; `''` clears it. Fields the page does not show (first and last
 * name unless the session asks for them) may only be left out.
 */
export interface LedyerBuyerDetails {
  companyId?: string | null;
  companyName?: string | null;
  firstName?: string | null;
  lastName?: string | null;
  email?: string | null;
  phone?: string | null;
  reference?: string | null;
}

/** A buyer for the test company that can sign: the purchase ends `complete`. */
export const DEFAULT_TEST_BUYER = Object.freeze({
  companyId: SANDBOX_TEST_COMPANIES.canSign.companyId,
  companyName: SANDBOX_TEST_COMPANIES.canSign.companyName,
  email: 'buyer@example.com',
} satisfies LedyerBuyerDetails);

export interface LedyerCheckoutPage {
  readonly page: Page;
  /** The `<ledyer-checkout>` element. */
  readonly element: Locator;
  /** The checkout inside the element's iframe. */
  readonly frame: FrameLocator;
  /** The element's current `session-id`, once it has one. */
  sessionId(options?: TimeoutOptions): Promise<string>;
  /** Waits until the checkout iframe has loaded (the element's `ready`) and, on the sandbox, its live channel is open. Fails at once when the element reports an error. */
  waitForReady(options?: TimeoutOptions): Promise<void>;
  /** Types the buyer's details into the checkout: the test company that can sign, unless told otherwise. */
  fillBuyer(details?: LedyerBuyerDetails, options?: TimeoutOptions): Promise<void>;
  /** Presses the checkout's buy button once it is enabled. */
  buy(options?: TimeoutOptions): Promise<void>;
  /** Waits for an alert inside the checkout (a denial, a decline, an expired session) containing `text`; answers its text. */
  expectDenied(text?: string | RegExp, options?: TimeoutOptions): Promise<string>;
  /** Waits until the checkout's total reads `text` (the sandbox's `#total`, e.g. `SEK 5,100.00`). */
  expectTotal(text: string | RegExp, options?: TimeoutOptions): Promise<void>;
  /** Waits for the element's `ledyer-confirmation` event and answers its `status`. */
  waitForConfirmation(options?: TimeoutOptions): Promise<LedyerConfirmationStatus>;
}

/** A verb that gave up: which one, and what the page showed instead. */
export class LedyerCheckoutTestError extends Error {
  override readonly name = 'LedyerCheckoutTestError';
  constructor(
    /** The verb, e.g. `expectTotal`. */
    readonly action: string,
    message: string,
    /** What the page showed instead, where that is one value (a total, an alert's text). */
    readonly actual: string | null = null,
    options?: { cause?: unknown },
  ) {
    super(`ledyerCheckout.${action}: ${message}`, options);
  }
}

const DEFAULT_TIMEOUT_MS = 15_000;
const POLL_MS = 100;
/** For reading an element already found: it is there, so this only bounds a stalled page. */
const READ_MS = 2000;
const READY_STATES = new Set(['ready', 'suspended', 'validating', 'complete']);
const BUYER_FIELDS = ['companyId', 'companyName', 'firstName', 'lastName', 'email', 'phone', 'reference'] as const;

/** A page object for the checkout on `page`. Create it before the purchase, ideally before `page.goto`, so it hears the confirmation. */
export function ledyerCheckout(page: Page, options: LedyerCheckoutOptions = {}): LedyerCheckoutPage {
  return createCheckoutPage(page, options).checkout;
}

/** As `ledyerCheckout`, plus a promise that settles once the confirmation recorder is in every document the page opens from now on. */
export function createCheckoutPage(page: Page, options: LedyerCheckoutOptions = {}): { checkout: LedyerCheckoutPage; recorderInstalled: Promise<void> } {
  const selector = options.selector ?? 'ledyer-checkout';
  const defaultTimeout = options.timeout ?? DEFAULT_TIMEOUT_MS;
  const labels: LedyerCheckoutLabels = { ...SANDBOX_CHECKOUT_LABELS, ...options.labels };
  const element = page.locator(selector).first();
  const frame = element.locator('iframe').first().contentFrame();
  // Registered now so a page the test opens next records from its first script; a failure
  // (a closed page) surfaces at the first verb instead.
  const recorderInstalled = page.addInitScript(RECORDER_SOURCE).then(
    () => undefined,
    () => undefined,
  );

  const budget = (opts?: TimeoutOptions): { timeout: number; deadline: number } => {
    const timeout = opts?.timeout ?? defaultTimeout;
    if (!(timeout >= 0) || !Number.isFinite(timeout)) throw new TypeError(`ledyerCheckout: timeout must be a number of ms, got ${String(timeout)}`);
    return { timeout, deadline: Date.now() + timeout };
  };
  const left = (deadline: number): number => Math.max(1, deadline - Date.now());

  async function ensureRecorder(action: string): Promise<void> {
    await recorderInstalled;
    try {
      await page.evaluate(RECORDER_SOURCE);
    } catch (error) {
      if (page.isClosed()) throw new LedyerCheckoutTestError(action, 'the page is closed', null, { cause: error });
      // Navigating: the init script records in the next document.
    }
  }

  /** The element as the page sees it now; null while the page navigates. */
  async function probe(action: string): Promise<CheckoutProbe | null> {
    try {
      return (await page.evaluate(probeSource(selector))) as CheckoutProbe;
    } catch (error) {
      if (page.isClosed()) throw new LedyerCheckoutTestError(action, 'the page is closed', null, { cause: error });
      return null;
    }
  }

  function explain(found: CheckoutProbe | null): string {
    if (!found) return 'the page was navigating';
    if (found.missing) return `no element matches ${JSON.stringify(selector)} on ${page.url()}`;
    if (found.error) return `the element is in error: ${found.error}`;
    const session = found.sessionId ? ` session ${JSON.stringify(found.sessionId)}` : '';
    if (!found.sessionId) return 'the element has no session-id yet';
    if (!found.state) return `the element has${session} but has not started (is <ledyer-checkout> defined on the page?)`;
    if (found.state === 'loading' || !found.hasFrame) return `the element is still loading${session}`;
    return `the element is ${found.state} with${session}`;
  }

  /** Visible alerts inside the checkout, their text normalised. */
  async function alerts(): Promise<string[]> {
    const texts = await frame
      .getByRole('alert')
      .allInnerTexts()
      .catch(() => [] as string[]);
    return texts.map(normalise).filter((text) => text !== '');
  }

  async function until<T>(deadline: number, check: () => Promise<T | undefined>): Promise<T | undefined> {
    for (;;) {
      const value = await check();
      if (value !== undefined) return value;
      const remaining = deadline - Date.now();
      if (remaining <= 0) return undefined;
      await new Promise((resolve) => setTimeout(resolve, Math.min(POLL_MS, remaining)));
    }
  }

  /** Wraps a Playwright action: on failure, says what the checkout looked like. */
  async function act(action: string, what: string, timeout: number, run: () => Promise<void>): Promise<void> {
    try {
      await run();
    } catch (error) {
      if (error instanceof LedyerCheckoutTestError) throw error;
      const found = await probe(action).catch(() => null);
      const shown = await alerts();
      const alert = shown.length > 0 ? `; the checkout shows: ${JSON.stringify(shown.join(' | '))}` : '';
      throw new LedyerCheckoutTestError(action, `could not ${what} within ${timeout} ms: ${explain(found)}${alert}`, null, { cause: error });
    }
  }

  const checkout: LedyerCheckoutPage = {
    page,
    element,
    frame,

    async sessionId(opts) {
      const { timeout, deadline } = budget(opts);
      await ensureRecorder('sessionId');
      let last: CheckoutProbe | null = null;
      const id = await until(deadline, async () => {
        last = await probe('sessionId');
        return last?.sessionId ?? undefined;
      });
      if (id === undefined) throw new LedyerCheckoutTestError('sessionId', `no session id within ${timeout} ms: ${explain(last)}`);
      return id;
    },

    async waitForReady(opts) {
      const { timeout, deadline } = budget(opts);
      await ensureRecorder('waitForReady');
      let last: CheckoutProbe | null = null;
      const ready = await until(deadline, async () => {
        last = await probe('waitForReady');
        if (last?.error) throw new LedyerCheckoutTestError('waitForReady', `the checkout failed to load: ${last.error}`, last.error);
        return last && last.hasFrame && last.state !== null && READY_STATES.has(last.state) ? true : undefined;
      });
      if (!ready) throw new LedyerCheckoutTestError('waitForReady', `the checkout was not ready within ${timeout} ms: ${explain(last)}`);
      // The sandbox's page opens its live channel just after it loads: wait for it, so a
      // control call made next drives this page. Pages without one (Ledyer's) pass at once.
      const settled = await until(deadline, async () => {
        const live = await frame
          .locator(':root')
          .getAttribute('data-live', { timeout: left(deadline) })
          .catch(() => 'connecting');
        return live === 'connecting' ? undefined : true;
      });
      if (!settled) throw new LedyerCheckoutTestError('waitForReady', `the sandbox checkout's live channel did not connect within ${timeout} ms`);
    },

    async fillBuyer(details = {}, opts) {
      const { timeout, deadline } = budget(opts);
      await ensureRecorder('fillBuyer');
      const buyer = buyerFor(details);
      // By accessible name, as a screen reader announces the field (a required marker is aria-hidden).
      const field = (key: (typeof BUYER_FIELDS)[number]): Locator => frame.getByRole('textbox', { name: labels[key], exact: true }).first();
      await act('fillBuyer', `find the checkout's ${JSON.stringify(labels.companyId)} field`, timeout, () =>
        field('companyId').waitFor({ state: 'visible', timeout: left(deadline) }),
      );
      for (const key of BUYER_FIELDS) {
        const value = buyer[key];
        if (value === undefined || value === null) continue;
        const input = field(key);
        if ((await input.count()) === 0) {
          // A default for a field this page does not show is simply not needed.
          if (details[key] === undefined) continue;
          const shown = (await frame.locator('label').allInnerTexts()).map(normalise).map((text) => text.replace(/\s*\*$/, ''));
          throw new LedyerCheckoutTestError('fillBuyer', `the checkout has no field ${JSON.stringify(labels[key])} for ${key} (its fields: ${shown.join(', ')})`);
        }
        await act('fillBuyer', `fill ${JSON.stringify(labels[key])}`, timeout, async () => {
          await input.fill(value, { timeout: left(deadline) });
          // A buyer moves on to the next field: the page saves on `change`, which needs a blur.
          await input.blur({ timeout: left(deadline) });
        });
      }
    },

    async buy(opts) {
      const { timeout, deadline } = budget(opts);
      await ensureRecorder('buy');
      await act('buy', `press ${JSON.stringify(labels.buy)}`, timeout, () =>
        frame.getByRole('button', { name: labels.buy, exact: true }).click({ timeout: left(deadline) }),
      );
    },

    async expectDenied(text, opts) {
      const { timeout, deadline } = budget(opts);
      let shown: string[] = [];
      const found = await until(deadline, async () => {
        shown = await alerts();
        return shown.find((alert) => matches(alert, text));
      });
      if (found !== undefined) return found;
      const wanted = text === undefined ? 'an alert' : `an alert containing ${describe(text)}`;
      if (shown.length > 0) {
        throw new LedyerCheckoutTestError('expectDenied', `expected ${wanted} in the checkout within ${timeout} ms, but it shows ${JSON.stringify(shown.join(' | '))}`, shown.join(' | '));
      }
      throw new LedyerCheckoutTestError('expectDenied', `expected ${wanted} in the checkout within ${timeout} ms, but it shows none (${explain(await probe('expectDenied'))})`);
    },

    async expectTotal(text, opts) {
      const { timeout, deadline } = budget(opts);
      const total = frame.locator('#total').first();
      let actual: string | null = null;
      const found = await until(deadline, async () => {
        // The last total read is kept: the final, hurried read at the deadline must not blank it.
        if ((await total.count().catch(() => 0)) === 0) actual = null;
        else actual = normalise((await total.innerText({ timeout: READ_MS }).catch(() => null)) ?? actual ?? '');
        return actual !== null && (typeof text === 'string' ? actual === normalise(text) : text.test(actual)) ? true : undefined;
      });
      if (found) return;
      if (actual === null) {
        throw new LedyerCheckoutTestError('expectTotal', `expected the checkout's total to be ${describe(text)}, but it shows no total (#total) within ${timeout} ms: ${explain(await probe('expectTotal'))}`);
      }
      throw new LedyerCheckoutTestError('expectTotal', `expected the checkout's total to be ${describe(text)}, but it shows ${JSON.stringify(actual)} (waited ${timeout} ms)`, actual);
    },

    async waitForConfirmation(opts) {
      const { timeout, deadline } = budget(opts);
      await ensureRecorder('waitForConfirmation');
      let last: CheckoutProbe | null = null;
      const status = await until(deadline, async () => {
        last = await probe('waitForConfirmation');
        if (last?.error) throw new LedyerCheckoutTestError('waitForConfirmation', `the checkout reported an error: ${last.error}`, last.error);
        if (last?.confirmation) return last.confirmation;
        // The element sets `complete` and fires the event in one task: seen complete with
        // nothing recorded, the event fired before anything listened, and will not come again.
        if (last?.state === 'complete' && last.recording) {
          throw new LedyerCheckoutTestError(
            'waitForConfirmation',
            'the checkout is complete, but its ledyer-confirmation fired before this helper listened: create ledyerCheckout(page) before the purchase (before page.goto is best)',
          );
        }
        return undefined;
      });
      if (status !== undefined) return status;
      const shown = await alerts();
      const alert = shown.length > 0 ? `; the checkout shows: ${JSON.stringify(shown.join(' | '))}` : '';
      throw new LedyerCheckoutTestError('waitForConfirmation', `no ledyer-confirmation within ${timeout} ms: ${explain(last)}${alert}`, shown.join(' | ') || null);
    },
  };
  return { checkout, recorderInstalled };
}

function buyerFor(details: LedyerBuyerDetails): LedyerBuyerDetails {
  const buyer: LedyerBuyerDetails = { ...DEFAULT_TEST_BUYER, ...details };
  // A test company given by number gets its own name, not the default company's.
  if (details.companyId !== undefined && details.companyName === undefined) {
    const known = [SANDBOX_TEST_COMPANIES.canSign, SANDBOX_TEST_COMPANIES.awaitsSignatory].find((company) => digits(company.companyId) === digits(details.companyId ?? ''));
    buyer.companyName = known?.companyName ?? null;
  }
  return buyer;
}

function digits(value: string): string {
  return value.replace(/\D/g, '');
}

/** Text as a person reads it: no-break and narrow spaces as spaces, runs of space as one. */
function normalise(text: string): string {
  return text.replace(/[\u00a0\u202f]/g, ' ').replace(/\s+/g, ' ').trim();
}

function matches(alert: string, text: string | RegExp | undefined): boolean {
  if (text === undefined) return true;
  return typeof text === 'string' ? alert.includes(normalise(text)) : text.test(alert);
}

function describe(text: string | RegExp): string {
  return typeof text === 'string' ? JSON.stringify(text) : String(text);
}
