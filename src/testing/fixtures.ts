/**
 * Playwright fixtures: `test.extend<LedyerTestFixtures, LedyerWorkerFixtures>(ledyerFixtures)`.
 * One sandbox per worker (started on first use, closed when the worker ends), a checkout page
 * object per test, and the faults a test armed disarmed after it so they cannot leak into the
 * next one. Plain objects and functions in Playwright's fixture format: nothing here imports
 * `@playwright/test`, so it adds no runtime dependency.
 *
 * Playwright reads which fixtures a function needs from its first parameter's destructuring
 * pattern, so each function below destructures it, even when it needs nothing (`{}`).
 */
import type { Page } from 'playwright-core';
import { createCheckoutPage, type LedyerCheckoutOptions, type LedyerCheckoutPage } from './checkout-page.js';
import { connectLedyerSandbox, startLedyerSandbox, type ConnectLedyerSandboxOptions, type LedyerSandbox, type LedyerSandboxOptions } from './ledyer-sandbox.js';

/** Worker-scoped: shared by the tests of one worker. Override the options with `test.use({ ... })` in a file's top level. */
export interface LedyerWorkerFixtures {
  /** Options for `startLedyerSandbox` (default `{}`: 127.0.0.1, a free port). */
  ledyerSandboxOptions: LedyerSandboxOptions;
  /** Connect to a sandbox already running there (e.g. one `globalSetup` started for your app) instead of starting one. */
  ledyerSandboxUrl: string | undefined;
  ledyerSandbox: LedyerSandbox;
}

/** Test-scoped: one per test. */
export interface LedyerTestFixtures {
  ledyerCheckoutOptions: LedyerCheckoutOptions;
  /** `ledyerCheckout(page, ledyerCheckoutOptions)`, recording confirmations from the test's first navigation. */
  ledyerCheckout: LedyerCheckoutPage;
  /** Automatic: disarms the sandbox's faults after each test. */
  ledyerFaultsCleared: void;
}

type Use<T> = (value: T) => Promise<void>;
type WorkerOption<T> = [T, { scope: 'worker'; option: true }];
type TestOption<T> = [T, { option: true }];

/** The fixture definitions, typed as Playwright's `Fixtures<LedyerTestFixtures, LedyerWorkerFixtures, PlaywrightTestArgs>` expects them. */
export interface LedyerFixtureDefinitions {
  ledyerSandboxOptions: WorkerOption<LedyerSandboxOptions>;
  ledyerSandboxUrl: WorkerOption<string | undefined>;
  ledyerSandbox: [(args: Pick<LedyerWorkerFixtures, 'ledyerSandboxOptions' | 'ledyerSandboxUrl'>, use: Use<LedyerSandbox>) => Promise<void>, { scope: 'worker' }];
  ledyerCheckoutOptions: TestOption<LedyerCheckoutOptions>;
  ledyerCheckout: (args: { page: Page; ledyerCheckoutOptions: LedyerCheckoutOptions }, use: Use<LedyerCheckoutPage>) => Promise<void>;
  ledyerFaultsCleared: [(args: Pick<LedyerWorkerFixtures, 'ledyerSandbox'>, use: Use<void>) => Promise<void>, { auto: true }];
}

export const ledyerFixtures: LedyerFixtureDefinitions = {
  ledyerSandboxOptions: [{}, { scope: 'worker', option: true }],
  ledyerSandboxUrl: [undefined, { scope: 'worker', option: true }],
  ledyerSandbox: [
    async ({ ledyerSandboxOptions, ledyerSandboxUrl }, use) => {
      const sandbox =
        ledyerSandboxUrl === undefined
          ? await startLedyerSandbox(ledyerSandboxOptions)
          : await connectLedyerSandbox(ledyerSandboxUrl, connectOptions(ledyerSandboxOptions));
      try {
        await use(sandbox);
      } finally {
        await sandbox.close();
      }
    },
    { scope: 'worker' },
  ],
  ledyerCheckoutOptions: [{}, { option: true }],
  ledyerCheckout: async ({ page, ledyerCheckoutOptions }, use) => {
    const { checkout, recorderInstalled } = createCheckoutPage(page, ledyerCheckoutOptions);
    await recorderInstalled;
    await use(checkout);
  },
  ledyerFaultsCleared: [
    async ({ ledyerSandbox }, use) => {
      await use();
      await ledyerSandbox.clearFaults();
    },
    { auto: true },
  ],
};

/** The options that still mean something for a sandbox someone else started: its credentials and the control timeout. */
function connectOptions(options: LedyerSandboxOptions): ConnectLedyerSandboxOptions {
  const { clientId, clientSecret } = options.merchant ?? {};
  return {
    ...(options.controlTimeoutMs === undefined ? {} : { controlTimeoutMs: options.controlTimeoutMs }),
    ...(clientId !== undefined && clientSecret !== undefined ? { credentials: { clientId, clientSecret } } : {}),
  };
}
