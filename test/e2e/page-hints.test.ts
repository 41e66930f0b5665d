/**
 * The demo's storefront is sent with `checkoutPageHints` (issue 12.2): a 103 Early Hints and
 * a `Link` header naming Ledyer's origin, exactly the script the element then injects, and
 * the element's module; that script and that module are each fetched once. Twins: nothing
 * else the shop serves carries hints, and the demo pointed at Ledyer's production names
 * Ledyer's own script, not the local sandbox's.
 */
import assert from 'node:assert/strict';
import { request as httpRequest } from 'node:http';
import { after, before, describe, test } from 'node:test';
import type { Browser } from 'playwright-core';
import { startDemo, type RunningDemo } from '../../demo/start-demo.js';
import { ledyerCheckout } from '../../src/testing/index.js';
import { COFFEE_MACHINE, addToCart, goToCheckout, launchBrowser, startQuietDemo } from './harness.js';

/** One request through node:http: the 103's `Link` lines (if any) and the final answer's. */
function headOf(url: string, method = 'GET'): Promise<{ status: number; earlyLinks: string[]; link: string | undefined }> {
  return new Promise((resolve, reject) => {
    const earlyLinks: string[] = [];
    const request = httpRequest(url, { method }, (response) => {
      response.resume();
      response.on('end', () => {
        const { link } = response.headers;
        resolve({ status: response.statusCode ?? 0, earlyLinks, link: Array.isArray(link) ? link.join(', ') : link });
      });
    });
    request.on('information', (info) => {
      if (info.statusCode !== 103) return;
      const link = info.headers['link'];
      earlyLinks.push(...(Array.isArray(link) ? link : link === undefined ? [] : [link]));
    });
    request.on('error', reject);
    request.end();
  });
}

/** `<href>; rel=…` entries of a Link header value, as [rel, href] pairs. */
function parseLink(value: string): Array<[string, string]> {
  return [...value.matchAll(/<([^>]*)>;\s*rel=([a-z]+)/g)].map((match) => [match[2] as string, match[1] as string]);
}

describe('the storefront page carries the checkout hints', () => {
  let demo: RunningDemo;
  let browser: Browser;
  before(async () => {
    demo = await startQuietDemo();
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    await demo?.close();
  });

  test('the page names exactly the script the element loads and its module; each is downloaded once', async () => {
    const context = await browser.newContext();
    try {
      const page = await context.newPage();
      const checkout = ledyerCheckout(page);
      const requested: string[] = [];
      const consoleErrors: string[] = [];
      page.on('request', (request) => requested.push(request.url()));
      page.on('console', (message) => {
        if (message.type() === 'error') consoleErrors.push(message.text());
      });
      const response = await page.goto(demo.url);
      assert.ok(response, 'the storefront answered');
      const link = await response.headerValue('link');
      assert.ok(link, 'the storefront response has a Link header');
      const hints = parseLink(link);
      const bootstrap = `${demo.sandboxUrl}/bootstrap.js`;
      assert.deepEqual(hints, [
        ['preconnect', demo.sandboxUrl],
        ['preload', bootstrap],
        ['modulepreload', '/src/index.ts'],
      ]);
      assert.match(link, /<[^>]*\/bootstrap\.js>; rel=preload; as=script(,|$)/, 'preloaded as a script, without crossorigin (the element sets none)');

      await page.locator('html[data-ready="true"]').waitFor();
      await addToCart(page, COFFEE_MACHINE, 1);
      await goToCheckout({ page, checkout });

      const injected = await page.evaluate(() => [...document.scripts].map((script) => script.src).filter((src) => src.endsWith('/bootstrap.js')));
      assert.deepEqual(injected, [bootstrap], 'the element injected the preloaded script');
      assert.equal(requested.filter((url) => url === bootstrap).length, 1, "Ledyer's script is downloaded once");
      const elementModule = new URL('/src/index.ts', demo.url).href;
      assert.equal(requested.filter((url) => url === elementModule).length, 1, "the element's module is downloaded once");
      assert.deepEqual(consoleErrors, []);
    } finally {
      await context.close();
    }
  });

  test('the 103 Early Hints carries the same links as the page', async () => {
    for (const path of ['/', '/index.html', '/?from=newsletter']) {
      const answer = await headOf(new URL(path, demo.url).href);
      assert.equal(answer.status, 200, path);
      assert.ok(answer.link, `${path} has a Link header`);
      assert.deepEqual(answer.earlyLinks.flatMap(parseLink), parseLink(answer.link), `${path}: the 103 and the 200 agree`);
      assert.equal(parseLink(answer.link).length, 3, path);
    }
  });

  test('twin: nothing else the shop serves carries hints or a 103', async () => {
    for (const path of ['/demo/terms.html', '/demo/app/main.ts', '/api/catalogue', '/favicon.svg', '/src/index.ts']) {
      const answer = await headOf(new URL(path, demo.url).href);
      assert.equal(answer.status, 200, `${path} is served`);
      assert.equal(answer.link, undefined, `${path} has no Link header`);
      assert.deepEqual(answer.earlyLinks, [], `${path} has no 103`);
    }
    const posted = await headOf(demo.url, 'POST');
    assert.equal(posted.link, undefined, 'a POST to the storefront gets no hints');
    assert.deepEqual(posted.earlyLinks, []);
  });
});

describe("twin: the demo on Ledyer's production names Ledyer's script", () => {
  let demo: RunningDemo;
  before(async () => {
    // Never called here: the page's headers are all this reads, and no session is made.
    demo = await startDemo({
      port: 0,
      logLevel: 'silent',
      target: { kind: 'ledyer', environment: 'production', clientId: 'hints-test-id', clientSecret: 'hints-test-secret', publicUrl: null },
    });
  });
  after(async () => {
    await demo?.close();
  });

  test("the hints name checkout.live.ledyer.com and no local sandbox", async () => {
    const answer = await headOf(demo.url);
    assert.equal(answer.status, 200);
    assert.deepEqual(parseLink(answer.link ?? ''), [
      ['preconnect', 'https://checkout.live.ledyer.com'],
      ['preload', 'https://checkout.live.ledyer.com/bootstrap.js'],
      ['modulepreload', '/src/index.ts'],
    ]);
    assert.doesNotMatch(answer.link ?? '', /127\.0\.0\.1|localhost|hints-test/, 'no loopback URL and no credential');
  });
});
