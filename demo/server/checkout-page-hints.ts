/**
 * The demo's storefront page shows `<ledyer-checkout>`, so it is sent with the server helper's
 * `checkoutPageHints`, as the README tells a merchant to: a 103 Early Hints response and the
 * same `Link` header on the page itself (preconnect to Ledyer's origin, preload of the script
 * the element will inject, modulepreload of the element's module). The element there gets the
 * same `environment` and `bootstrap-url` (index.html's meta tags), so the preload names
 * exactly the script it loads and the browser downloads it once.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { checkoutPageHints, type CheckoutPageHints } from '../../src/server/page-hints.js';
import type { DemoTarget } from './environment.js';

/**
 * The element's module as the page loads it: Vite serves demo/app/main.ts's
 * `import '../../src/index.js'` as this URL, so the modulepreload and that import are one fetch.
 */
export const ELEMENT_MODULE_URL = '/src/index.ts';

/** The paths that answer with the storefront (index.html); every other one gets no hints. */
const STOREFRONT_PATHS = new Set(['/', '/index.html']);

export function demoPageHints(target: DemoTarget, sandboxUrl: string | null): CheckoutPageHints {
  if (target.kind === 'ledyer') return checkoutPageHints({ environment: target.environment, elementUrl: ELEMENT_MODULE_URL });
  if (!sandboxUrl) throw new Error('the local sandbox did not start');
  return checkoutPageHints({ environment: 'sandbox', bootstrapUrl: `${sandboxUrl}/bootstrap.js`, elementUrl: ELEMENT_MODULE_URL });
}

/**
 * A connect middleware: on a GET or HEAD of the storefront it sends the 103 and sets the
 * `Link` header the page's 200 carries (Vite's HTML serving keeps headers already set), then
 * lets Vite serve the page.
 */
export function checkoutPageHintsMiddleware({ link, links }: CheckoutPageHints) {
  return (request: IncomingMessage, response: ServerResponse, next: () => void): void => {
    const { pathname } = new URL(request.url ?? '/', 'http://shop.invalid');
    if ((request.method === 'GET' || request.method === 'HEAD') && STOREFRONT_PATHS.has(pathname)) {
      // Node refuses several links in one string here and takes them as an array.
      response.writeEarlyHints({ link: links });
      response.setHeader('Link', link);
    }
    next();
  };
}
