/**
 * The testing kit as a merchant installs it: `npm pack`, then the `.tgz` installed into a
 * fresh project outside the repository with playwright-core (and `@playwright/test`), both
 * from npm's cache where it has them. There:
 * - a merchant-style node:test suite of a few lines buys through the system Chromium;
 * - the README's Playwright example runs under the real `@playwright/test` runner with
 *   `launchOptions.executablePath`, two workers, one sandbox each, torn down after;
 * - the example type-checks against the installed `.d.ts` and Playwright's own types, and
 *   a file of wrong usages fails on exactly its marked lines;
 * - the kit imports no Playwright at runtime and starts nothing on import.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));
const scratch = mkdtempSync(join(tmpdir(), 'ledyer-kit-'));
const app = join(scratch, 'merchant-app');
const chromiumPath = process.env['CHROME_PATH'] ?? '/usr/bin/chromium';
const playwrightVersion = (JSON.parse(readFileSync(join(root, 'node_modules/playwright-core/package.json'), 'utf8')) as { version: string }).version;
/** Why `@playwright/test` could not be installed here, if it could not. */
let playwrightTestMissing: string | null = null;

function run(command: string, args: string[], cwd: string, timeout = 240_000): { status: number | null; stdout: string; stderr: string } {
  // Without NODE_TEST_CONTEXT a child `node --test` reports on its stdout, not to this runner.
  const { NODE_TEST_CONTEXT: _runner, ...env } = process.env;
  const result = spawnSync(command, args, { cwd, encoding: 'utf8', env: { ...env, NODE_OPTIONS: '', CHROME_PATH: chromiumPath }, timeout });
  return { status: result.status, stdout: result.stdout ?? '', stderr: result.stderr ?? '' };
}
const npm = (args: string[], cwd: string) => run('npm', [...args, '--no-audit', '--no-fund', '--loglevel=error'], cwd);

/** The merchant's app: a page with the element on a session its server created. */
const SHOP = `// @ts-check
import { createServer } from 'node:http';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { buildOrder } from 'ledyer-checkout/server';

const element = readFileSync(createRequire(import.meta.url).resolve('ledyer-checkout/standalone'));

/** @param {{ ledyer: import('ledyer-checkout/server').LedyerClient, bootstrapUrl: string }} options */
export async function startShop({ ledyer, bootstrapUrl }) {
  const server = createServer(async (request, response) => {
    if (request.url === '/element.js') return void response.writeHead(200, { 'content-type': 'text/javascript' }).end(element);
    const order = buildOrder([{ reference: 'coffee-x200', description: 'Coffee Machine X200', quantity: 2, unitPrice: 50000, vat: 2500 }]);
    const { sessionId } = await ledyer.createSession({ country: 'SE', currency: 'SEK', locale: 'sv-SE', settings: { urls: { terms: 'https://shop.example/terms' } }, ...order });
    response.writeHead(200, { 'content-type': 'text/html' });
    response.end('<script type="module" src="/element.js"></script><ledyer-checkout bootstrap-url="' + bootstrapUrl + '" session-id="' + sessionId + '"></ledyer-checkout>');
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(undefined)));
  const address = /** @type {import('node:net').AddressInfo} */ (server.address());
  return { url: 'http://127.0.0.1:' + address.port, close: () => new Promise((resolve) => server.close(resolve)) };
}
`;

/** A merchant's node:test suite with playwright-core: a few lines per purchase. */
const NODE_TEST = `import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { chromium } from 'playwright-core';
import { createLedyerClient } from 'ledyer-checkout/server';
import { ledyerCheckout, startLedyerSandbox } from 'ledyer-checkout/testing';
import { startShop } from './shop.mjs';

let kit, shop, browser;
before(async () => {
  kit = await startLedyerSandbox();
  shop = await startShop({ ledyer: createLedyerClient(kit.clientOptions), bootstrapUrl: kit.bootstrapUrl });
  browser = await chromium.launch({ executablePath: process.env.CHROME_PATH, args: ['--no-sandbox'] });
});
after(async () => { await browser.close(); await shop.close(); await kit.close(); });

test('a buyer places an order', async () => {
  const page = await browser.newPage();
  const checkout = ledyerCheckout(page);
  await page.goto(shop.url);
  await checkout.expectTotal('SEK 1,000.00');
  await checkout.fillBuyer();
  await checkout.buy();
  assert.equal(await checkout.waitForConfirmation(), 'complete');
});

test('the sandbox buys for the buyer on the open page', async () => {
  const page = await browser.newPage();
  const checkout = ledyerCheckout(page);
  await page.goto(shop.url);
  await checkout.waitForReady();
  const outcome = await kit.complete(await checkout.sessionId());
  assert.deepEqual([outcome.kind, outcome.drivenBy], ['complete', 'page']);
  assert.equal(await checkout.waitForConfirmation(), 'complete');
});
`;

/** The README's example, verbatim but for where the shop comes from. */
function readmeExample(): string {
  const readme = readFileSync(join(root, 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('## Testing your integration'));
  const example = /```ts\n([\s\S]*?)```/.exec(section)?.[1];
  assert.ok(example, 'the README has a ts example under "Testing your integration"');
  assert.ok(example.trim().split('\n').length < 20, `the example is under 20 lines (it has ${example.trim().split('\n').length})`);
  assert.match(example, /from '\.\/shop\.js'/, 'the example imports the merchant shop from ./shop.js');
  return example.replace("from './shop.js'", "from '../shop.mjs'");
}

/** A second spec in its own file, so a second worker (with its own sandbox) runs it. */
const FAULTS_SPEC = `import { test as base, expect } from '@playwright/test';
import { ledyerFixtures, type LedyerTestFixtures, type LedyerWorkerFixtures } from 'ledyer-checkout/testing';

const test = base.extend<LedyerTestFixtures, LedyerWorkerFixtures>(ledyerFixtures);
test.describe.configure({ mode: 'serial' });

test('a test arms a fault and leaves it', async ({ ledyerSandbox }) => {
  test.info().annotations.push({ type: 'sandbox', description: ledyerSandbox.url });
  await ledyerSandbox.fault({ path: '/v1/sessions', kind: 'status', status: 503, count: 5 });
  expect(await ledyerSandbox.faults()).toHaveLength(1);
});

test('the next test in the worker finds no fault armed', async ({ ledyerSandbox }) => {
  test.info().annotations.push({ type: 'sandbox', description: ledyerSandbox.url });
  expect(await ledyerSandbox.faults()).toEqual([]);
});
`;

/** Wrong usages, one per marked line: each must be a type error there, and nothing else may be. */
const WRONG_USAGE = `import { test as base } from '@playwright/test';
import { ledyerFixtures, type LedyerTestFixtures, type LedyerWorkerFixtures } from 'ledyer-checkout/testing';

const test = base.extend<LedyerTestFixtures, LedyerWorkerFixtures>(ledyerFixtures);
test('wrong', async ({ ledyerCheckout, ledyerSandbox }) => {
  await ledyerCheckout.expectTotal(510000); // wrong
  await ledyerCheckout.fillBuyer({ orgNumber: '559311-3714' }); // wrong
  await ledyerSandbox.complete(); // wrong
  await ledyerSandbox.fault({ path: '/v1/sessions', kind: 'explode' }); // wrong
  const status: 'complete' = await ledyerCheckout.waitForConfirmation(); // wrong
  void status;
});
test('an unknown fixture', async ({ ledyerShop }) => {}); // wrong
`;

const PLAYWRIGHT_CONFIG = `import { defineConfig } from '@playwright/test';
export default defineConfig({
  testDir: 'tests',
  workers: 2,
  reporter: 'json',
  use: { launchOptions: { executablePath: process.env.CHROME_PATH, args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'] } },
});
`;

const TSCONFIG = (typeRoots: string) =>
  JSON.stringify({
    compilerOptions: { target: 'ES2022', module: 'NodeNext', moduleResolution: 'NodeNext', strict: true, noEmit: true, allowJs: true, checkJs: true, skipLibCheck: false, types: ['node'], typeRoots: [typeRoots], lib: ['ES2022', 'DOM'] },
    include: ['tests', 'shop.mjs'],
  });

before(() => {
  const build = run(process.execPath, ['scripts/build.mjs'], root);
  assert.equal(build.status, 0, `npm run build failed:\n${build.stdout}\n${build.stderr}`);
  const packed = npm(['pack', '--pack-destination', scratch, '--silent'], root);
  assert.equal(packed.status, 0, packed.stderr);
  const tarball = join(scratch, packed.stdout.trim().split('\n').at(-1)!);
  mkdirSync(join(app, 'tests'), { recursive: true });
  writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'merchant-app', private: true, type: 'module' }));
  const install = npm(['install', '--prefer-offline', '--ignore-scripts', tarball, `playwright-core@${playwrightVersion}`], app);
  assert.equal(install.status, 0, `npm install of the tarball and playwright-core failed:\n${install.stderr}`);
  // Only for the fixture check: where the registry cannot be reached and npm's cache lacks it, that check is skipped.
  const runner = npm(['install', '--prefer-offline', '--ignore-scripts', `@playwright/test@${playwrightVersion}`], app);
  if (runner.status !== 0) playwrightTestMissing = `@playwright/test@${playwrightVersion} could not be installed: ${runner.stderr.trim().split('\n')[0]}`;
  writeFileSync(join(app, 'shop.mjs'), SHOP);
});

after(() => rmSync(scratch, { recursive: true, force: true }));

test('the kit ships built, imports no Playwright at runtime, and starts nothing on import', () => {
  const dist = join(app, 'node_modules/ledyer-checkout/dist/testing');
  const runtimeImports = readdirSync(dist)
    .filter((file) => file.endsWith('.js'))
    .flatMap((file) => [...readFileSync(join(dist, file), 'utf8').matchAll(/^import .* from '([^']+)';$/gm)].map((match) => match[1]));
  assert.ok(runtimeImports.length > 0);
  assert.deepEqual(runtimeImports.filter((specifier) => /playwright/.test(specifier ?? '')), []);
  const imported = run(
    process.execPath,
    ['--input-type=module', '-e', "const kit = await import('ledyer-checkout/testing'); console.log(Object.keys(kit).sort().join(','))"],
    app,
    60_000,
  );
  assert.equal(imported.status, 0, imported.stderr);
  assert.equal(imported.stdout.trim(), 'DEFAULT_TEST_BUYER,LedyerCheckoutTestError,SANDBOX_CHECKOUT_LABELS,SANDBOX_TEST_COMPANIES,SandboxControlError,connectLedyerSandbox,ledyerCheckout,ledyerFixtures,startLedyerSandbox');
});

test('a merchant-style node:test suite buys with playwright-core and the system Chromium', () => {
  writeFileSync(join(app, 'checkout.test.mjs'), NODE_TEST);
  const result = run(process.execPath, ['--test', '--test-reporter=tap', 'checkout.test.mjs'], app);
  assert.equal(result.status, 0, `${result.stdout}\n${result.stderr}`);
  assert.match(result.stdout, /^# pass 2$/m);
  assert.match(result.stdout, /^# fail 0$/m);
});

test('the README example and ledyerFixtures under @playwright/test: one sandbox per worker, torn down after', async (t) => {
  if (playwrightTestMissing) return t.skip(playwrightTestMissing);
  writeFileSync(join(app, 'playwright.config.mjs'), PLAYWRIGHT_CONFIG);
  writeFileSync(join(app, 'tests/checkout.spec.ts'), `${readmeExample()}\ntest.afterEach(({ ledyerSandbox }) => { test.info().annotations.push({ type: 'sandbox', description: ledyerSandbox.url }); });\n`);
  writeFileSync(join(app, 'tests/faults.spec.ts'), FAULTS_SPEC);
  const result = run(process.execPath, [join(app, 'node_modules/@playwright/test/cli.js'), 'test', '--config', 'playwright.config.mjs'], app);
  const report = JSON.parse(result.stdout) as {
    stats: { expected: number; unexpected: number; skipped: number };
    suites: Array<{ file: string; specs: Array<{ title: string; tests: Array<{ results: Array<{ workerIndex: number; status: string; annotations: Array<{ type: string; description?: string }>; errors: Array<{ message?: string }> }> }> }> }>;
  };
  const results = report.suites.flatMap((suite) => suite.specs.flatMap((spec) => spec.tests.flatMap((one) => one.results.map((result) => ({ file: suite.file, title: spec.title, ...result })))));
  assert.deepEqual(
    results.map(({ file, title, status, errors }) => [file, title, status, errors.map((error) => error.message).join('\n')]),
    [
      ['checkout.spec.ts', 'a buyer places an order', 'passed', ''],
      ['faults.spec.ts', 'a test arms a fault and leaves it', 'passed', ''],
      ['faults.spec.ts', 'the next test in the worker finds no fault armed', 'passed', ''],
    ],
  );
  assert.equal(result.status, 0, result.stderr);
  const sandboxByWorker = new Map<number, Set<string>>();
  for (const { workerIndex, annotations } of results) {
    for (const { type, description } of annotations) if (type === 'sandbox' && description) sandboxByWorker.set(workerIndex, (sandboxByWorker.get(workerIndex) ?? new Set()).add(description));
  }
  assert.equal(sandboxByWorker.size, 2, 'two workers ran');
  const urls = [...sandboxByWorker.values()].map((set) => [...set]);
  assert.ok(urls.every((list) => list.length === 1), `one sandbox per worker: ${JSON.stringify(urls)}`);
  assert.notEqual(urls[0]?.[0], urls[1]?.[0], 'each worker its own sandbox');
  for (const [url] of urls) await assert.rejects(fetch(`${url}/bootstrap.js`), /fetch failed/, `${url} was closed with its worker`);
});

test('the example type-checks against the installed types; each wrong usage is an error on its line', (t) => {
  if (playwrightTestMissing) return t.skip(playwrightTestMissing);
  writeFileSync(join(app, 'tsconfig.json'), TSCONFIG(join(root, 'node_modules/@types')));
  writeFileSync(join(app, 'tests/checkout.spec.ts'), readmeExample());
  const tsc = [join(root, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.json'];
  const clean = run(process.execPath, tsc, app);
  assert.equal(clean.status, 0, `the example must type-check:\n${clean.stdout}`);

  writeFileSync(join(app, 'tests/wrong-usage.spec.ts'), WRONG_USAGE);
  const wrong = run(process.execPath, tsc, app);
  rmSync(join(app, 'tests/wrong-usage.spec.ts'));
  const marked = WRONG_USAGE.split('\n').flatMap((line, index) => (line.includes('// wrong') ? [index + 1] : []));
  const reported = [...new Set([...wrong.stdout.matchAll(/^tests\/wrong-usage\.spec\.ts\((\d+),\d+\): error/gm)].map((match) => Number(match[1])))];
  assert.notEqual(wrong.status, 0);
  assert.deepEqual(reported, marked, wrong.stdout);
  assert.doesNotMatch(wrong.stdout, /^(?!tests\/wrong-usage)\S+\(\d+,\d+\): error/m, 'no error outside the wrong-usage file');
});
