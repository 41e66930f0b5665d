/**
 * `ledyerFixtures`' definitions, called directly the way Playwright calls them (its real
 * runner drives them in packed-kit.e2e.test.ts): the first parameter of each function is the
 * destructuring pattern Playwright reads dependencies from; the worker sandbox lives for
 * `use()` and is closed after it, even when the tests failed; a connected one is left running;
 * the automatic fixture disarms faults after each test.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ledyerFixtures, startLedyerSandbox, type LedyerSandbox } from '../../src/testing/index.js';

/** What Playwright parses: the names inside `({ … }, use)`. */
function dependencies(fixture: (...args: never[]) => unknown): string[] {
  const match = /^async\s*\(\s*\{([^}]*)\}\s*,\s*use\s*\)\s*=>/.exec(fixture.toString());
  assert.ok(match, `Playwright needs a destructuring first parameter: ${fixture.toString().slice(0, 80)}`);
  return (match[1] ?? '')
    .split(',')
    .map((name) => name.trim())
    .filter(Boolean)
    .sort();
}

describe('ledyerFixtures', () => {
  test('each fixture names its dependencies the way Playwright reads them; scopes and options as documented', () => {
    const [sandbox, sandboxScope] = ledyerFixtures.ledyerSandbox;
    assert.deepEqual(dependencies(sandbox), ['ledyerSandboxOptions', 'ledyerSandboxUrl']);
    assert.deepEqual(sandboxScope, { scope: 'worker' });
    assert.deepEqual(dependencies(ledyerFixtures.ledyerCheckout), ['ledyerCheckoutOptions', 'page']);
    const [cleared, clearedOptions] = ledyerFixtures.ledyerFaultsCleared;
    assert.deepEqual(dependencies(cleared), ['ledyerSandbox']);
    assert.deepEqual(clearedOptions, { auto: true });
    assert.deepEqual(ledyerFixtures.ledyerSandboxOptions, [{}, { scope: 'worker', option: true }]);
    assert.deepEqual(ledyerFixtures.ledyerSandboxUrl, [undefined, { scope: 'worker', option: true }]);
    assert.deepEqual(ledyerFixtures.ledyerCheckoutOptions, [{}, { option: true }]);
  });

  test('the worker sandbox runs during use() with the options given, and is closed after it', async () => {
    const [fixture] = ledyerFixtures.ledyerSandbox;
    let handed: LedyerSandbox | undefined;
    await fixture({ ledyerSandboxOptions: { controlTimeoutMs: 5000, sessionTtlMs: 60_000 }, ledyerSandboxUrl: undefined }, async (sandbox) => {
      handed = sandbox;
      assert.equal((await fetch(sandbox.bootstrapUrl)).status, 200);
      assert.deepEqual(await sandbox.faults(), []);
    });
    assert.ok(handed);
    await assert.rejects(fetch(handed.bootstrapUrl), /fetch failed/);
  });

  test('the worker sandbox is closed even when the tests that used it failed', async () => {
    const [fixture] = ledyerFixtures.ledyerSandbox;
    let handed: LedyerSandbox | undefined;
    await assert.rejects(
      fixture({ ledyerSandboxOptions: {}, ledyerSandboxUrl: undefined }, async (sandbox) => {
        handed = sandbox;
        throw new Error('a test failed');
      }),
      /a test failed/,
    );
    assert.ok(handed);
    await assert.rejects(fetch(handed.bootstrapUrl), /fetch failed/);
  });

  test('with ledyerSandboxUrl it connects to that sandbox, with the merchant credentials given, and leaves it running', async () => {
    const merchant = { clientId: 'shop-client', clientSecret: 'shop-secret' };
    const running = await startLedyerSandbox({ merchant });
    try {
      const [fixture] = ledyerFixtures.ledyerSandbox;
      await fixture({ ledyerSandboxOptions: { merchant }, ledyerSandboxUrl: running.url }, async (sandbox) => {
        assert.equal(sandbox.url, running.url);
        assert.equal(sandbox.clientOptions.clientId, 'shop-client');
        assert.equal(sandbox.clientOptions.clientSecret, 'shop-secret');
      });
      assert.equal((await fetch(running.bootstrapUrl)).status, 200, 'still running');
    } finally {
      await running.close();
    }
  });

  test('with a ledyerSandboxUrl where no sandbox runs, the fixture fails saying so', async () => {
    const gone = await startLedyerSandbox();
    await gone.close();
    const [fixture] = ledyerFixtures.ledyerSandbox;
    await assert.rejects(
      fixture({ ledyerSandboxOptions: {}, ledyerSandboxUrl: gone.url }, async () => assert.fail('use() must not run')),
      /no Ledyer sandbox answers there/,
    );
  });

  test('faults armed during a test are disarmed after it', async () => {
    const sandbox = await startLedyerSandbox();
    try {
      const [fixture] = ledyerFixtures.ledyerFaultsCleared;
      await fixture({ ledyerSandbox: sandbox }, async () => {
        await sandbox.fault({ path: '/v1/sessions', kind: 'drop', count: 3 });
        assert.equal((await sandbox.faults()).length, 1, 'armed while the test runs');
      });
      assert.deepEqual(await sandbox.faults(), []);
    } finally {
      await sandbox.close();
    }
  });
});
