/**
 * Who may call which shop route (issue 11.2). A demo teaches, so its admin is protected the
 * way a careful shop would protect one, in three layers:
 *
 * 1. Same origin: a browser says where a request comes from (`Sec-Fetch-Site`, `Origin`).
 *    When either names another site, the request is refused, whatever it carries. A client
 *    that sends neither (curl, a server) is not a browser page and passes this layer.
 * 2. JSON only: writes must be `application/json`. An HTML form can only send form types or
 *    text/plain, so a cross-site form post is refused even by a browser that sends no `Origin`,
 *    and a cross-origin `fetch` with JSON needs a CORS preflight, which the shop never grants.
 * 3. The admin token: made at start for this run, given only to the shop's own page (in a
 *    `<meta>`), and sent back in a header. Nobody who cannot read the shop's page has it.
 *
 * Ledyer's callbacks are not guarded here: they come server-to-server with no browser
 * headers and no token, and their handlers trust nothing in the body (the validate handler
 * only decides; the notification handler re-reads the order from Ledyer).
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { RouteAccess } from './route-table.js';
import { problem } from './shop-http.js';

/** The header the page sends the admin token in. */
export const ADMIN_TOKEN_HEADER = 'x-shop-admin-token';
/** The `<meta name>` the page reads it from. */
export const ADMIN_TOKEN_META = 'shop-admin-token';

const isJson = (contentType: string | null): boolean => contentType?.split(';', 1)[0]?.trim().toLowerCase() === 'application/json';

/** Compares digests in constant time, so the token cannot be found byte by byte from response times. */
function sameSecret(given: string, expected: string): boolean {
  const digest = (text: string): Buffer => createHash('sha256').update(text).digest();
  return timingSafeEqual(digest(given), digest(expected));
}

/** Why a browser request comes from another site, or null when it does not (or is no browser's). */
function crossSiteReason(request: Request): string | null {
  const site = request.headers.get('sec-fetch-site');
  // `none`: the user typed the URL or used a bookmark; it is their own request.
  if (site !== null && site !== 'same-origin' && site !== 'none') {
    return `the browser says this request comes from another site (Sec-Fetch-Site: ${site.slice(0, 40)})`;
  }
  const origin = request.headers.get('origin');
  const own = new URL(request.url).origin;
  if (origin !== null && origin !== own) return `the request's Origin ${origin.slice(0, 200)} is not this shop's (${own})`;
  return null;
}

/** The refusal for a request `access` does not allow, or null to go on. */
export function guardRequest(request: Request, access: RouteAccess, adminToken: string): Response | null {
  if (access === 'public' || access === 'ledyer') return null;

  const crossSite = crossSiteReason(request);
  if (crossSite) return problem(403, 'cross_site_refused', `${crossSite}: the shop's routes answer only the shop's own pages`);

  const writes = request.method !== 'GET' && request.method !== 'HEAD';
  if (writes && !isJson(request.headers.get('content-type'))) {
    const given = request.headers.get('content-type');
    return problem(
      415,
      'json_only',
      `this route takes application/json only${given ? `, not ${given.slice(0, 100)}` : ' and the request has no Content-Type'}: a plain HTML form cannot post here`,
    );
  }

  if (access === 'admin') {
    const token = request.headers.get(ADMIN_TOKEN_HEADER);
    if (token === null || token === '') {
      return problem(
        403,
        'admin_token_missing',
        `this admin route needs the shop's admin token in the ${ADMIN_TOKEN_HEADER} header; the shop's page has it in <meta name="${ADMIN_TOKEN_META}">`,
      );
    }
    if (!sameSecret(token, adminToken)) {
      return problem(403, 'admin_token_wrong', `the ${ADMIN_TOKEN_HEADER} header is not this run's admin token (a new one is made at every start: reload the page)`);
    }
  }
  return null;
}
