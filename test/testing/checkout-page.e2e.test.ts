/**
 * The testing kit as a merchant's suite uses it: `startLedyerSandbox()` and
 * `ledyerCheckout(page)` in real Chromium against a tiny merchant (test/testing/merchant-shop.ts)
 * whose page embeds `<ledyer-checkout>` on the kit's sandbox. Every purchase path a merchant
 * tests, each verb, and how each verb fails.
 */
import assert from 'node:assert/strict';
import { after, afterEach, before, describe, test } from 'node:test';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import {
  ledyerCheckout,
  LedyerCheckoutTestError,
  SandboxControlError,
  SANDBOX_TEST_COMPANIES,
  startLedyerSandbox,
  type LedyerCheckoutPage,
  type LedyerSandbox,
} from '../../src/testing/index.js';
import { createLedyerClient } from '../../src/server/index.js';
import { CREDIT_DECLINE, launchChromium, PO_DENIAL, startMerchantShop, type MerchantShop } from './merchant-shop.js';

let kit: LedyerSandbox;
let shop: MerchantShop;
let browser: Browser;
let context: BrowserContext | undefined;

before(async () => {
  kit = await startLedyerSandbox();
  shop = await startMerchantShop(kit);
  browser = await launchChromium();
});

afterEach(async () => {
  await context?.close();
  context = undefined;
  shop.validateAnswer = 'proceed';
  shop.failNotifications = 0;
  await kit.clearFaults();
});

after(async () => {
  await browser?.close();
  await shop?.close();
  await kit?.close();
});

/** The merchant's checkout page in a fresh context, with the kit's page object made before the navigation. */
async function openShop(query = ''): Promise<{ page: Page; checkout: LedyerCheckoutPage }> {
  context = await browser.newContext();
  const page = await context.newPage();
  const checkout = ledyerCheckout(page, { timeout: 10_000 });
  await page.goto(`${shop.url}/${query}`);
  return { page, checkout };
}

/** Asserts `run` rejects with a kit error whose message matches, and answers how long it took. */
async function failsWith(run: () => Promise<unknown>, message: RegExp): Promise<{ error: LedyerCheckoutTestError; elapsedMs: number }> {
  const started = Date.now();
  const error = await run().then(
    () => assert.fail(`expected a failure matching ${message}`),
    (reason: unknown) => reason,
  );
  const elapsedMs = Date.now() - started;
  assert.ok(error instanceof LedyerCheckoutTestError, `a LedyerCheckoutTestError, got ${String(error)}`);
  assert.match(error.message, message);
  return { error, elapsedMs };
}

describe('purchase paths', () => {
  test('a buyer completes it: fillBuyer + buy → confirmation complete, the total shown, the order created', async () => {
    const { checkout } = await openShop('?qty=10');
    await checkout.waitForReady();
    await checkout.expectTotal('SEK 5,100.00');
    await checkout.fillBuyer();
    await checkout.buy();
    assert.equal(await checkout.waitForConfirmation(), 'complete');

    const orderId = shop.orderIds.get(await checkout.sessionId()) ?? '';
    const [validation] = await kit.validations({ orderId });
    assert.equal(validation?.status, 200, 'the shop approved the order on its validate URL');
    const created = await kit.waitForNotification({ orderId, eventType: 'com.ledyer.order.create' });
    assert.equal(created.status, 200);
  });

  test('a cart change while the checkout is open: expectTotal waits for the new total, and that is what is bought', async () => {
    const { page, checkout } = await openShop('?qty=10');
    await checkout.waitForReady();
    await checkout.expectTotal('SEK 5,100.00');
    await page.evaluate('window.changeQuantity(2)');
    await checkout.expectTotal('SEK 1,100.00');
    await checkout.fillBuyer();
    await checkout.buy();
    assert.equal(await checkout.waitForConfirmation(), 'complete');
    const orderId = shop.orderIds.get(await checkout.sessionId()) ?? '';
    const order = await createLedyerClient(kit.clientOptions).getOrder(orderId);
    assert.equal(order.orderAmount.minorUnits, 110000);
  });

  test('kit.complete while the page is open: the page buys, the element confirms, drivenBy page', async () => {
    const { checkout } = await openShop();
    await checkout.waitForReady();
    const outcome = await kit.complete(await checkout.sessionId());
    assert.equal(outcome.kind, 'complete');
    assert.equal(outcome.drivenBy, 'page');
    assert.equal(await checkout.waitForConfirmation(), 'complete');
    assert.ok(outcome.kind === 'complete' && outcome.orderId.length > 0);
  });

  test('denied by client validation: expectDenied shows the page’s message; kit.complete answers denied', async () => {
    const { checkout } = await openShop('?validation=deny');
    await checkout.waitForReady();
    await checkout.fillBuyer();
    await checkout.buy();
    const alert = await checkout.expectDenied(PO_DENIAL.title);
    assert.match(alert, new RegExp(PO_DENIAL.message));

    const outcome = await kit.complete(await checkout.sessionId());
    assert.deepEqual(outcome, { kind: 'denied', title: PO_DENIAL.title, body: PO_DENIAL.message, drivenBy: 'page' });
  });

  test('client validation that proceeds completes', async () => {
    const { checkout } = await openShop('?validation=proceed');
    await checkout.waitForReady();
    await checkout.fillBuyer();
    await checkout.buy();
    assert.equal(await checkout.waitForConfirmation(), 'complete');
  });

  test('pending with the signatory test company; kit.sign creates the order', async () => {
    const { checkout } = await openShop();
    await checkout.waitForReady();
    await checkout.fillBuyer({ companyId: SANDBOX_TEST_COMPANIES.awaitsSignatory.companyId });
    await checkout.buy();
    assert.equal(await checkout.waitForConfirmation(), 'pending');

    const sessionId = await checkout.sessionId();
    const awaiting = await kit.waitForNotification({ sessionId, eventType: 'com.ledyer.checkout.session.awaiting_signatory' });
    assert.equal(awaiting.status, 200);
    const signed = await kit.sign(sessionId);
    assert.equal(signed.kind, 'complete');
    const created = await kit.waitForNotification({ orderId: signed.orderId, eventType: 'com.ledyer.order.create' });
    assert.equal(created.body.orderId, signed.orderId);
  });

  test('kit.pending while the page is open: the page ends pending, drivenBy page', async () => {
    const { checkout } = await openShop();
    await checkout.waitForReady();
    const outcome = await kit.pending(await checkout.sessionId());
    assert.equal(outcome.kind, 'pending');
    assert.equal(outcome.drivenBy, 'page');
    assert.equal(await checkout.waitForConfirmation(), 'pending');
  });

  test('an expired session: the open page says so, and kit.complete is refused', async () => {
    const { checkout } = await openShop();
    await checkout.waitForReady();
    const sessionId = await checkout.sessionId();
    await kit.expire(sessionId);
    await checkout.expectDenied('This checkout has expired');
    await assert.rejects(kit.complete(sessionId), (error: unknown) => {
      assert.ok(error instanceof SandboxControlError);
      assert.equal(error.status, 409);
      assert.match(error.message, /expired/);
      return true;
    });
  });

  test('the shop’s validate URL declines: expectDenied shows its title; kit.validations has the 422', async () => {
    shop.validateAnswer = 'decline';
    const { checkout } = await openShop();
    await checkout.waitForReady();
    await checkout.fillBuyer();
    await checkout.buy();
    await checkout.expectDenied(CREDIT_DECLINE.title);
    const [validation] = await kit.validations({ orderId: shop.orderIds.get(await checkout.sessionId()) ?? '' });
    assert.equal(validation?.status, 422);
    assert.deepEqual(JSON.parse(validation?.responseBody ?? '{}'), CREDIT_DECLINE);
  });

  test('notifications: what the shop received, and the retry after its 500', async () => {
    shop.failNotifications = 1;
    const { checkout } = await openShop();
    await checkout.waitForReady();
    const outcome = await kit.complete(await checkout.sessionId());
    assert.ok(outcome.kind === 'complete');
    const ready = await kit.waitForNotification({ orderId: outcome.orderId, eventType: 'com.ledyer.order.ready_for_capture', status: 200 });
    const all = await kit.notifications({ orderId: outcome.orderId });
    assert.deepEqual(
      all.map((delivery) => [delivery.body.eventType, delivery.attempt, delivery.status]),
      [
        ['com.ledyer.order.create', 1, 500],
        ['com.ledyer.order.create', 2, 200],
        ['com.ledyer.order.ready_for_capture', 1, 200],
      ],
    );
    assert.equal(ready.attempt, 1);
    assert.deepEqual(
      shop.received.filter((event) => event.orderId === outcome.orderId).map((event) => event.eventType),
      ['com.ledyer.order.create', 'com.ledyer.order.ready_for_capture'],
    );
  });

  test('a fault armed on create session breaks the shop’s checkout; cleared, it works again', async () => {
    const armed = await kit.fault({ path: '/v1/sessions', method: 'POST', kind: 'status', status: 503, count: 5 });
    assert.equal(armed.remaining, 5);
    const broken = await openShop();
    await assert.doesNotReject(broken.page.getByRole('alert').filter({ hasText: 'could not be started (502)' }).waitFor());
    // The shop's client tried twice (one retry).
    assert.equal((await kit.faults())[0]?.remaining, 3);
    await failsWith(() => broken.checkout.waitForReady({ timeout: 500 }), /no session-id yet/);

    await kit.clearFaults();
    assert.deepEqual(await kit.faults(), []);
    await context?.close();
    const { checkout } = await openShop();
    await checkout.waitForReady();
    await checkout.expectTotal('SEK 5,100.00');
  });
});

describe('how the verbs fail', () => {
  test('on a page without the element, each verb fails within its timeout saying there is no element', async () => {
    context = await browser.newContext();
    const page = await context.newPage();
    await page.setContent('<h1>Not a checkout</h1>');
    const checkout = ledyerCheckout(page, { timeout: 600 });
    for (const [name, run] of [
      ['waitForReady', () => checkout.waitForReady()],
      ['fillBuyer', () => checkout.fillBuyer()],
      ['buy', () => checkout.buy()],
      ['waitForConfirmation', () => checkout.waitForConfirmation()],
      ['expectTotal', () => checkout.expectTotal('SEK 1.00')],
      ['expectDenied', () => checkout.expectDenied()],
      ['sessionId', () => checkout.sessionId()],
    ] as const) {
      const { elapsedMs } = await failsWith(run, new RegExp(`^ledyerCheckout\\.${name}: .*no element matches "ledyer-checkout"`));
      // It gives up at its timeout (600 ms) rather than hanging: generous slack for a busy machine.
      assert.ok(elapsedMs < 8000, `${name} gave up after ${elapsedMs} ms`);
    }
  });

  test('expectTotal with a wrong total fails showing the actual total', async () => {
    const { checkout } = await openShop('?qty=2');
    await checkout.waitForReady();
    const { error } = await failsWith(() => checkout.expectTotal('SEK 5,100.00', { timeout: 500 }), /expected the checkout's total to be "SEK 5,100.00", but it shows "SEK 1,100.00"/);
    assert.equal(error.actual, 'SEK 1,100.00');
    await checkout.expectTotal(/^SEK 1,100\.00$/);
  });

  test('expectDenied fails when nothing was denied, and when the alert says something else', async () => {
    const { checkout } = await openShop('?validation=deny');
    await checkout.waitForReady();
    await failsWith(() => checkout.expectDenied(undefined, { timeout: 300 }), /expected an alert in the checkout within 300 ms, but it shows none/);
    await checkout.fillBuyer();
    await checkout.buy();
    const { error } = await failsWith(() => checkout.expectDenied('Credit limit', { timeout: 2000 }), /expected an alert containing "Credit limit".*but it shows "Purchase order number required/);
    assert.match(error.actual ?? '', /Enter your PO number/);
  });

  test('waitForConfirmation after a denial fails, quoting the checkout’s alert', async () => {
    const { checkout } = await openShop('?validation=deny');
    await checkout.waitForReady();
    await checkout.fillBuyer();
    await checkout.buy();
    await checkout.expectDenied();
    await failsWith(() => checkout.waitForConfirmation({ timeout: 300 }), /no ledyer-confirmation within 300 ms: the element is ready .*; the checkout shows: "Purchase order number required/);
  });

  test('waitForReady fails at once with the element’s error when its script cannot load', async () => {
    const closed = await startLedyerSandbox();
    await closed.close();
    const { checkout } = await openShop(`?${new URLSearchParams({ sid: 'cs_2abcdefghijklmnop', bootstrap: closed.bootstrapUrl })}`);
    const { elapsedMs } = await failsWith(() => checkout.waitForReady({ timeout: 60_000 }), /the checkout failed to load: script-load-failed/);
    assert.ok(elapsedMs < 30_000, `it did not wait out its 60 s timeout (${elapsedMs} ms)`);
  });

  test('fillBuyer names a field the checkout does not show', async () => {
    const { checkout } = await openShop();
    await checkout.waitForReady();
    await failsWith(() => checkout.fillBuyer({ firstName: 'Jan' }), /the checkout has no field "First name" for firstName \(its fields: Organisation number, Company name, Email/);
  });

  test('waitForConfirmation from a helper made after the purchase says the event was missed', async () => {
    context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${shop.url}/`);
    await page.waitForSelector('ledyer-checkout[state="ready"]');
    await kit.complete(String(await page.evaluate('document.querySelector("ledyer-checkout").sessionId')));
    await page.waitForSelector('ledyer-checkout[state="complete"]');
    const late = ledyerCheckout(page);
    await failsWith(() => late.waitForConfirmation({ timeout: 60_000 }), /complete, but its ledyer-confirmation fired before this helper listened: create ledyerCheckout\(page\) before the purchase/);
  });

  test('buy on a bought checkout fails: its button is gone', async () => {
    const { checkout } = await openShop();
    await checkout.waitForReady();
    await kit.complete(await checkout.sessionId());
    await checkout.waitForConfirmation();
    await failsWith(() => checkout.buy({ timeout: 500 }), /could not press "Place order" within 500 ms: the element is (ready|complete)/);
  });
});
