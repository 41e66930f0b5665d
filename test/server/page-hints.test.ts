/** `checkoutPageHints`: the head hints for a server-rendered checkout page, and what a server can send with them. */
import assert from 'node:assert/strict';
import { createServer, IncomingMessage, request as httpRequest, ServerResponse, type IncomingHttpHeaders } from 'node:http';
import { Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { describe, test } from 'node:test';
import { checkoutPageHints, type CheckoutPageHintsOptions } from '../../src/server/page-hints.js';
import { LedyerValidationError } from '../../src/server/errors.js';

/** The message and the option paths of the error `checkoutPageHints` throws for `options`. */
function refusal(options: unknown): { message: string; paths: string[] } {
  try {
    checkoutPageHints(options as CheckoutPageHintsOptions);
  } catch (error) {
    assert.ok(error instanceof LedyerValidationError, `expected LedyerValidationError, got ${String(error)}`);
    return { message: error.message, paths: error.issues.map((issue) => issue.path.join('.')) };
  }
  assert.fail(`accepted ${JSON.stringify(options)}`);
}

describe('checkoutPageHints', () => {
  test('production: preconnect to Ledyer\'s live origin, preload of its script, modulepreload of the element', () => {
    const hints = checkoutPageHints({ environment: 'production', elementUrl: '/assets/ledyer-checkout.js' });
    assert.equal(
      hints.link,
      '<https://checkout.live.ledyer.com>; rel=preconnect, <https://checkout.live.ledyer.com/bootstrap.js>; rel=preload; as=script, </assets/ledyer-checkout.js>; rel=modulepreload',
    );
    assert.equal(
      hints.html,
      '<link rel="preconnect" href="https://checkout.live.ledyer.com">' +
        '<link rel="preload" as="script" href="https://checkout.live.ledyer.com/bootstrap.js">' +
        '<link rel="modulepreload" href="/assets/ledyer-checkout.js">',
    );
  });

  test('without options: Ledyer\'s sandbox, as the element defaults to, and no modulepreload', () => {
    const hints = checkoutPageHints();
    assert.equal(hints.link, '<https://checkout.sandbox.ledyer.com>; rel=preconnect, <https://checkout.sandbox.ledyer.com/bootstrap.js>; rel=preload; as=script');
    assert.equal(checkoutPageHints({ environment: 'sandbox' }).link, hints.link);
    assert.doesNotMatch(hints.html, /modulepreload/);
  });

  test('links: the same hints one per entry, which together are the Link value', () => {
    const hints = checkoutPageHints({ environment: 'production', elementUrl: '/assets/ledyer-checkout.js' });
    assert.deepEqual(hints.links, [
      '<https://checkout.live.ledyer.com>; rel=preconnect',
      '<https://checkout.live.ledyer.com/bootstrap.js>; rel=preload; as=script',
      '</assets/ledyer-checkout.js>; rel=modulepreload',
    ]);
    assert.equal(hints.links.join(', '), hints.link);
  });

  test('no hint asks for CORS: the element\'s script tag has no crossorigin, and a mismatch downloads twice', () => {
    const { link, html } = checkoutPageHints({ environment: 'production', elementUrl: 'https://cdn.example/ledyer-checkout.js' });
    assert.doesNotMatch(link, /crossorigin/i);
    assert.doesNotMatch(html, /crossorigin/i);
  });

  test('a bootstrap-url override is preloaded as the element resolves it: the local sandbox over http on loopback, a proxy over https', () => {
    const local = checkoutPageHints({ bootstrapUrl: 'http://127.0.0.1:4000/bootstrap.js' });
    assert.equal(local.link, '<http://127.0.0.1:4000>; rel=preconnect, <http://127.0.0.1:4000/bootstrap.js>; rel=preload; as=script');
    const proxy = checkoutPageHints({ environment: 'production', bootstrapUrl: 'https://Shop.Example/ledyer/../ledyer/bootstrap.js' });
    assert.match(proxy.link, /^<https:\/\/shop\.example>; rel=preconnect, <https:\/\/shop\.example\/ledyer\/bootstrap\.js>; rel=preload; as=script$/);
  });

  test('an element URL with a query is encoded for the header and escaped for HTML', () => {
    const { link, html } = checkoutPageHints({ elementUrl: '/assets/ledyer-checkout.js?v=2&x="<b>"' });
    assert.match(link, /<\/assets\/ledyer-checkout\.js\?v=2&x=%22%3Cb%3E%22>; rel=modulepreload$/);
    assert.match(html, /<link rel="modulepreload" href="\/assets\/ledyer-checkout\.js\?v=2&amp;x=%22%3Cb%3E%22">$/);
  });

  test('refuses an unknown environment, naming the option and the values it takes', () => {
    const { message, paths } = refusal({ environment: 'live' });
    assert.deepEqual(paths, ['environment']);
    assert.equal(message, 'checkoutPageHints options is invalid: environment: expected "sandbox" or "production", got "live"');
  });

  for (const [label, bootstrapUrl] of [
    ['plain http off loopback', 'http://example.com/bootstrap.js'],
    ['a relative path (the server cannot know the page\'s scheme)', '/ledyer/bootstrap.js'],
    ['not a URL', 'bootstrap js'],
    ['empty', ''],
    ['not a string', 42],
  ] as const) {
    test(`refuses a bootstrapUrl that is ${label}`, () => {
      const { message, paths } = refusal({ bootstrapUrl });
      assert.deepEqual(paths, ['bootstrapUrl']);
      assert.match(message, /bootstrapUrl: expected an absolute https URL, or http on a loopback host/);
      assert.ok(message.includes(`got ${typeof bootstrapUrl === 'string' ? JSON.stringify(bootstrapUrl) : bootstrapUrl}`), message);
    });
  }

  for (const elementUrl of ['assets/ledyer-checkout.js', '//cdn.example/ledyer-checkout.js', 'javascript:alert(1)', 'data:text/javascript,1']) {
    test(`refuses elementUrl ${elementUrl}`, () => {
      const { message, paths } = refusal({ elementUrl });
      assert.deepEqual(paths, ['elementUrl']);
      assert.match(message, /elementUrl: expected an absolute http\(s\) URL or a path from "\/"/);
    });
  }

  test('refuses a misspelt option instead of silently using the default environment', () => {
    const { message, paths } = refusal({ enviroment: 'production' });
    assert.deepEqual(paths, ['enviroment']);
    assert.match(message, /enviroment: unknown option; expected environment, bootstrapUrl, elementUrl/);
  });

  test('reports every bad option at once, and refuses a non-object', () => {
    assert.deepEqual(refusal({ environment: 'prod', bootstrapUrl: 'ftp://127.0.0.1/b.js', elementUrl: 'x.js' }).paths, ['environment', 'bootstrapUrl', 'elementUrl']);
    assert.match(refusal(null).message, /expected an object, got null/);
    assert.match(refusal('production').message, /expected an object, got "production"/);
  });
});

describe('sending the hints', () => {
  test('node:http: a 103 Early Hints with the links, then the page with the same Link header', async () => {
    const hints = checkoutPageHints({ environment: 'production', elementUrl: '/assets/ledyer-checkout.js' });
    // The README's node:http example.
    const server = createServer((_req, res) => {
      res.writeEarlyHints({ link: hints.links });
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', link: hints.link });
      res.end(`<!doctype html><head>${hints.html}</head>`);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = server.address() as AddressInfo;
      const seen = await new Promise<{ early: IncomingHttpHeaders[]; final: IncomingHttpHeaders; status: number }>((resolve, reject) => {
        const early: IncomingHttpHeaders[] = [];
        const req = httpRequest({ host: '127.0.0.1', port, path: '/checkout' }, (res) => {
          res.resume();
          res.on('end', () => resolve({ early, final: res.headers, status: res.statusCode ?? 0 }));
        });
        req.on('information', (info) => {
          if (info.statusCode === 103) early.push(info.headers);
        });
        req.on('error', reject);
        req.end();
      });
      assert.equal(seen.status, 200);
      assert.deepEqual(seen.early.map((headers) => headers.link), [hints.link]);
      assert.equal(seen.final.link, hints.link);
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });

  test('node:http refuses the joined value in an Early Hint: the reason for links', () => {
    const { link } = checkoutPageHints({ environment: 'production', elementUrl: '/assets/ledyer-checkout.js' });
    const response = new ServerResponse(new IncomingMessage(new Socket()));
    assert.throws(() => response.writeEarlyHints({ link }), { code: 'ERR_INVALID_ARG_VALUE' });
  });

  test('a Fetch-API Response (a Next.js route handler) takes the Link value as it is', () => {
    const { link } = checkoutPageHints({ environment: 'sandbox', elementUrl: 'https://cdn.example/ledyer-checkout.js' });
    const response = new Response('<!doctype html>', { headers: { 'content-type': 'text/html', link } });
    assert.equal(response.headers.get('link'), link);
  });
});
