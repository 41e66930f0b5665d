/**
 * Head hints for a server-rendered page that shows the checkout. Ledyer's plain snippet is a
 * classic `<script>` the browser fetches while it parses the HTML; `<ledyer-checkout>` can
 * only inject that script once its own module has loaded and run. These hints start both
 * downloads with the response (or before it, in a 103 Early Hints): a connection to Ledyer's
 * origin, Ledyer's script, and the element's module.
 *
 * Pure and Fetch-runtime safe: no `node:` import, no zod. The script URL comes from the
 * element's own resolver (src/element/script-url.ts), so the preload names exactly the URL
 * the element injects; any other URL, or a `crossorigin` the element's `<script>` lacks,
 * and the browser downloads the script twice.
 */
import { ledyerScript } from '../element/script-url.js';
import type { LedyerEnvironment } from '../element/types.js';
import { LedyerValidationError, type LedyerValidationIssue } from './errors.js';

export interface CheckoutPageHintsOptions {
  /** As the element's `environment`: `sandbox` (the default, as on the element) or `production`. */
  environment?: LedyerEnvironment;
  /** As the element's `bootstrap-url`, absolute: https, or http on a loopback host (the local sandbox). */
  bootstrapUrl?: string;
  /** The element's module as the page loads it (`<script type="module" src>`): an absolute http(s) URL or a path from `/`. */
  elementUrl?: string;
}

export interface CheckoutPageHints {
  /** A `Link` header value: for a 103 Early Hints response and for the page's own response. */
  link: string;
  /**
   * The same, one link per entry: Node's `writeEarlyHints({ link })` refuses several links in
   * one string and takes them as an array (`setHeader('Link', links)` sends one line each).
   */
  links: string[];
  /** The same hints as `<link>` tags, for the page's `<head>`. */
  html: string;
}

interface Hint {
  rel: 'preconnect' | 'preload' | 'modulepreload';
  href: string;
}

const OPTION_NAMES = ['environment', 'bootstrapUrl', 'elementUrl'];
const WHAT = 'checkoutPageHints options';

/**
 * The hints for the page that will show `<ledyer-checkout>` with this configuration (pass the
 * same `environment` and `bootstrap-url` the page gives the element). Throws
 * `LedyerValidationError` for a bad environment or URL, naming the option and what it takes.
 *
 * @example
 * const hints = checkoutPageHints({ environment: 'production', elementUrl: '/assets/ledyer-checkout.js' });
 * response.writeEarlyHints({ link: hints.links }); // node:http, Express
 * response.setHeader('Link', hints.link);
 */
export function checkoutPageHints(options: CheckoutPageHintsOptions = {}): CheckoutPageHints {
  const issues: LedyerValidationIssue[] = [];
  const issue = (path: string, message: string, code = 'invalid_value') => issues.push({ path: [path], message, code });
  if (typeof options !== 'object' || options === null) {
    throw new LedyerValidationError(WHAT, [{ path: [], message: `expected an object, got ${describe(options)}`, code: 'invalid_type' }]);
  }
  for (const name of Object.keys(options)) {
    if (!OPTION_NAMES.includes(name)) issue(name, `unknown option; expected ${OPTION_NAMES.join(', ')}`, 'unrecognized_keys');
  }
  const { environment = 'sandbox', bootstrapUrl, elementUrl } = options;

  if (environment !== 'sandbox' && environment !== 'production') {
    issue('environment', `expected "sandbox" or "production", got ${describe(environment)}`);
  }
  // The element takes an empty `bootstrap-url` as none; here it is a slip (an unset variable) worth saying.
  if (bootstrapUrl !== undefined && (typeof bootstrapUrl !== 'string' || bootstrapUrl === '' || Array.isArray(ledyerScript('sandbox', bootstrapUrl)))) {
    const empty = bootstrapUrl === '' ? '; leave it out for Ledyer\'s own script' : '';
    issue('bootstrapUrl', `expected an absolute https URL, or http on a loopback host (127.0.0.0/8, localhost, [::1]), got ${describe(bootstrapUrl)}${empty}`);
  }

  let element: string | undefined;
  if (elementUrl !== undefined) {
    element = moduleHref(elementUrl);
    if (element === undefined) issue('elementUrl', `expected an absolute http(s) URL or a path from "/", got ${describe(elementUrl)}`);
  }

  const script = ledyerScript(environment, bootstrapUrl);
  if (issues.length > 0 || Array.isArray(script)) throw new LedyerValidationError(WHAT, issues);

  const hints: Hint[] = [
    // The script's preload opens this connection too; named first, the connection starts
    // before the browser has decided on the preload, and in Early Hints it is honoured alone.
    { rel: 'preconnect', href: new URL(script.url).origin },
    { rel: 'preload', href: script.url },
    ...(element === undefined ? [] : [{ rel: 'modulepreload' as const, href: element }]),
  ];
  // RFC 8288. `as=script` and no `crossorigin`: the element's `<script>` has none either.
  const links = hints.map(({ rel, href }) => `<${href}>; rel=${rel}${rel === 'preload' ? '; as=script' : ''}`);
  return {
    link: links.join(', '),
    links,
    html: hints.map(({ rel, href }) => `<link rel="${rel}"${rel === 'preload' ? ' as="script"' : ''} href="${href.replace(/&/g, '&amp;')}">`).join(''),
  };
}

/**
 * An absolute http(s) URL, or a path from `/` (resolved by the browser against the page),
 * serialised by the URL parser: percent-encoded, so it cannot break out of `<…>` in the
 * header or out of the attribute in HTML. Anything else: `undefined`.
 */
function moduleHref(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const isPath = value.startsWith('/') && !value.startsWith('//');
  try {
    const url = new URL(value, isPath ? 'http://page.invalid' : undefined);
    if (url.protocol !== 'https:' && url.protocol !== 'http:') return undefined;
    return isPath ? url.pathname + url.search + url.hash : url.href;
  } catch {
    return undefined;
  }
}

function describe(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (value === null || typeof value !== 'object') return String(value);
  return Array.isArray(value) ? 'an array' : 'an object';
}
