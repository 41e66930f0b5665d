/**
 * `ledyer-checkout/testing`: test a Ledyer Checkout integration from your own end-to-end
 * suite, offline. Node only (it starts the sandbox, an HTTP server); never in a browser bundle.
 * Importing it starts nothing: `startLedyerSandbox()` does.
 *
 * - `startLedyerSandbox()` / `connectLedyerSandbox(url)`: the sandbox plus a typed control client.
 * - `ledyerCheckout(page)`: Playwright verbs for the checkout (playwright-core's `Page`, types only).
 * - `ledyerFixtures`: `test.extend<LedyerTestFixtures, LedyerWorkerFixtures>(ledyerFixtures)`.
 */
export { startLedyerSandbox, connectLedyerSandbox } from './ledyer-sandbox.js';
export type { LedyerSandbox, LedyerSandboxOptions, LedyerSandboxClientOptions, LedyerSandboxControlOptions, ConnectLedyerSandboxOptions } from './ledyer-sandbox.js';
export type { SandboxControl } from './sandbox-control.js';
export { SandboxControlError, type SandboxControlErrorCode } from './control-errors.js';
export type {
  DeliveryFilter,
  NotificationDelivery,
  NotificationFilter,
  SandboxArmedFault,
  SandboxBuyOptions,
  SandboxDelivery,
  SandboxDriver,
  SandboxExpiry,
  SandboxFaultSpec,
  SandboxPaymentMethod,
  SandboxPurchaseOutcome,
  SandboxSignOutcome,
  ValidationDelivery,
  WaitForNotificationFilter,
  WaitOptions,
} from './control-types.js';
export { ledyerCheckout, LedyerCheckoutTestError, DEFAULT_TEST_BUYER, SANDBOX_CHECKOUT_LABELS } from './checkout-page.js';
export type { LedyerBuyerDetails, LedyerCheckoutLabels, LedyerCheckoutOptions, LedyerCheckoutPage, TimeoutOptions } from './checkout-page.js';
export { ledyerFixtures } from './fixtures.js';
export type { LedyerFixtureDefinitions, LedyerTestFixtures, LedyerWorkerFixtures } from './fixtures.js';
export { SANDBOX_TEST_COMPANIES } from '../sandbox/test-companies.js';
export type { LedyerConfirmationStatus } from '../element/types.js';
