/**
 * The sandbox's browser side over the Fetch API: `GET /bootstrap.js`, the hosted checkout
 * page in its iframe (`GET /checkout/{sessionId}` and its assets) and the page's own calls:
 *
 *   GET  /checkout/{sessionId}/state                 the page's state, to re-render after resume()
 *   GET  /checkout/{sessionId}/events                the live channel (Server-Sent Events)
 *   POST /checkout/{sessionId}/customer              save what the buyer typed
 *   POST /checkout/{sessionId}/purchase              buy: { version, paymentMethod, commandId? }
 *   POST /checkout/{sessionId}/commands/{commandId}  report on a control API command
 *
 * Everything about sessions goes through `CheckoutService`; this module only renders,
 * serves and guards.
 */
import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import type { CheckoutCustomer, CheckoutLineView, CheckoutPageState, CheckoutService, CheckoutView, PurchaseOutcome } from './checkout-service.js';
import { zodErrors } from './errors.js';
import type { CommandReport } from './live-checkouts.js';
import { SANDBOX_TEST_COMPANIES } from './test-companies.js';

export interface BrowserRouteOptions {
  /** Folder with bootstrap.js, protocol.js and the page's assets; defaults to `./browser/` beside this module. */
  assetsUrl?: URL;
}

/**
 * Ledyer's session id format is not public (LEDYER.md), so ids are opaque, but they are
 * URL-safe tokens: anything else is refused before it reaches the service or a page.
 */
const SESSION_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_-]{0,127}$/;

/** The marker in bootstrap.js that the protocol module replaces (see `assembleBootstrap`). */
export const PROTOCOL_MARKER = '/* LEDYER_PROTOCOL */ undefined';

/** The hosted page runs only its own scripts and styles and talks only to its own origin. */
export const CHECKOUT_PAGE_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "form-action 'self'",
  "base-uri 'none'",
  "object-src 'none'",
].join('; ');

const ASSETS: Record<string, string> = {
  'checkout.js': 'text/javascript; charset=utf-8',
  'checkout.css': 'text/css; charset=utf-8',
  'protocol.js': 'text/javascript; charset=utf-8',
};

const defaultAssetsUrl = new URL('./browser/', import.meta.url);

/** What the page says when the session changed under it (also shown in its alert). */
export const SESSION_CHANGED_MESSAGE = 'The order was updated; check the new total and place the order again.';

/** The e-mail a page driven by the control API fills into an empty Email field. */
export const TEST_BUYER_EMAIL = 'buyer@example.com';

const purchaseBodySchema = z.strictObject({
  version: z.string('expected the version string the page was rendered with').min(1).max(64),
  paymentMethod: z.enum(['invoice', 'advanceInvoice'], 'expected "invoice" or "advanceInvoice"'),
  commandId: z.string('expected the commandId of the buy event').min(1).max(64).optional(),
});

const commandReportSchema = z.discriminatedUnion(
  'state',
  [
    z.strictObject({ state: z.literal('started') }),
    z.strictObject({ state: z.literal('shown') }),
    z.strictObject({ state: z.literal('unavailable') }),
    z.strictObject({ state: z.literal('denied'), title: z.string().max(500).nullable(), body: z.string().max(2000).nullable() }),
    z.strictObject({ state: z.literal('error'), message: z.string().max(2000) }),
  ],
  'expected state "started", "shown", "unavailable", "denied" or "error"',
);

export async function handleBrowserRequest(request: Request, service: CheckoutService, options: BrowserRouteOptions = {}): Promise<Response | null> {
  const assetsUrl = options.assetsUrl ?? defaultAssetsUrl;
  const url = new URL(request.url);
  const path = url.pathname;
  const method = request.method.toUpperCase();
  const isRead = method === 'GET' || method === 'HEAD';

  if (path === '/bootstrap.js') {
    if (!isRead) return methodNotAllowed('GET, HEAD');
    return new Response(await assembleBootstrap(assetsUrl), {
      headers: {
        'content-type': 'text/javascript; charset=utf-8',
        'cache-control': 'no-cache',
        'x-content-type-options': 'nosniff',
        // Merchant pages load it cross-origin, possibly under Cross-Origin-Embedder-Policy.
        'cross-origin-resource-policy': 'cross-origin',
      },
    });
  }

  const asset = /^\/checkout\/assets\/([^/]+)$/.exec(path)?.[1];
  if (asset !== undefined) {
    const type = ASSETS[asset];
    if (!type) return jsonError(404, `no such asset: ${asset}`, 'not_found');
    if (!isRead) return methodNotAllowed('GET, HEAD');
    return new Response(await readFile(new URL(asset, assetsUrl), 'utf8'), {
      headers: { 'content-type': type, 'cache-control': 'no-cache', 'x-content-type-options': 'nosniff' },
    });
  }

  const match = /^\/checkout\/([^/]+)(?:\/(customer|purchase|state|events|commands\/([^/]+)))?$/.exec(path);
  if (!match) return null;
  const sessionId = decodeSegment(match[1] ?? '');
  const action = match[2]?.startsWith('commands/') ? 'commands' : match[2];
  if (sessionId === null || !SESSION_ID_PATTERN.test(sessionId)) {
    return action ? jsonError(400, 'malformed session id', 'invalid_session_id') : htmlPage(400, messagePage('This checkout link is not valid.', 'The session id in the address is malformed.'));
  }

  if (!action) {
    if (!isRead) return methodNotAllowed('GET, HEAD');
    return checkoutPage(service, sessionId, url);
  }
  if (action === 'state' || action === 'events') {
    if (method !== 'GET') return methodNotAllowed('GET');
    const found = service.lookup(sessionId);
    if (!found.ok) return jsonError(found.reason === 'expired-session' ? 410 : 404, found.message, found.reason);
    if (action === 'state') return json(200, pageState(found.view));
    if (found.view.status !== 'open') return jsonError(409, `this session is ${found.view.status}: there is nothing left to drive`, 'session_completed');
    return eventStream(service, sessionId);
  }
  if (method !== 'POST') return methodNotAllowed('POST');
  const refusal = guardPost(request, url);
  if (refusal) return refusal;

  let body: unknown;
  try {
    body = await request.json();
  } catch {
    return jsonError(400, 'the body is not valid JSON', 'invalid_json');
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return jsonError(400, 'the body must be a JSON object', 'invalid_body');

  if (action === 'commands') {
    const commandId = decodeSegment(match[3] ?? '') ?? '';
    const report = commandReportSchema.safeParse(body);
    if (!report.success) return json(400, { errors: zodErrors(report.error) });
    // No such command for this session (unknown, answered, or timed out): the page must not buy.
    if (!service.live.report(sessionId, commandId, report.data satisfies CommandReport)) {
      return jsonError(410, 'no such command is waiting for this page (it was answered or timed out)', 'command_gone');
    }
    return json(200, { accepted: true });
  }

  const found = service.lookup(sessionId);
  if (!found.ok) {
    if (action === 'purchase') settleCommand(service, sessionId, body, { kind: 'error', message: found.message });
    return jsonError(found.reason === 'expired-session' ? 410 : 404, found.message, found.reason);
  }

  if (action === 'customer') {
    // The service validates the fields themselves (names, types, lengths) and says what is wrong.
    const result = service.updateCustomer(sessionId, body as Partial<CheckoutCustomer>);
    if (!result.ok) return jsonError(400, result.message, 'customer_rejected');
    const after = service.lookup(sessionId);
    return json(200, { changed: result.changed, customer: after.ok ? after.view.customer : found.view.customer });
  }

  const parsed = purchaseBodySchema.safeParse(body);
  if (!parsed.success) return json(400, { errors: zodErrors(parsed.error) });
  const { commandId, ...purchase } = parsed.data;
  let outcome: PurchaseOutcome;
  try {
    outcome = await service.purchase(sessionId, purchase);
  } catch (error) {
    // The buyer gets a sentence, the operator the stack; nothing of the request is logged.
    console.error('ledyer-sandbox: purchase failed', error);
    const message = 'The purchase could not be completed. Please try again.';
    if (commandId) service.live.settle(sessionId, commandId, { kind: 'error', message });
    return jsonError(500, message, 'internal');
  }
  if (commandId) service.live.settle(sessionId, commandId, outcome);
  if (outcome.kind === 'session-changed') {
    return json(409, { errors: [{ message: SESSION_CHANGED_MESSAGE, code: 'session_changed' }], state: pageState(outcome.view) });
  }
  return json(200, outcome);
}

/** A refused purchase still answers the control API call that asked for it. */
function settleCommand(service: CheckoutService, sessionId: string, body: unknown, outcome: PurchaseOutcome): void {
  const commandId = (body as { commandId?: unknown }).commandId;
  if (typeof commandId === 'string') service.live.settle(sessionId, commandId, outcome);
}

/** The page's live channel; refused (429) once the caps on listening pages are reached. */
function eventStream(service: CheckoutService, sessionId: string): Response {
  const subscribed = service.live.subscribe(sessionId);
  if (!subscribed.ok) return jsonError(subscribed.reason === 'closed' ? 503 : 429, subscribed.message, 'too_many_listeners');
  return new Response(subscribed.stream, {
    headers: {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store',
      'x-content-type-options': 'nosniff',
      // Proxies must pass events on as they come.
      'x-accel-buffering': 'no',
    },
  });
}

/** The page's state, in the page's data block and from `GET …/state`: one shape, one builder. */
export function pageState(view: CheckoutView): CheckoutPageState {
  return {
    sessionId: view.sessionId,
    version: view.version,
    status: view.status,
    country: view.customer.billingAddress.country,
    customer: view.customer,
    requireClientValidation: view.settings.requireClientValidation,
    orderLines: view.orderLines,
    totalOrderAmount: view.totalOrderAmount,
    totalOrderVatAmount: view.totalOrderVatAmount,
    totalOrderAmountExclVat: view.totalOrderAmountExclVat,
    testDefaults: {
      canSignCompanyId: SANDBOX_TEST_COMPANIES.canSign.companyId,
      awaitsSignatoryCompanyId: SANDBOX_TEST_COMPANIES.awaitsSignatory.companyId,
      email: TEST_BUYER_EMAIL,
    },
  };
}

/** bootstrap.js with protocol.js in place of its marker: one protocol, two consumers. */
export async function assembleBootstrap(assetsUrl: URL = defaultAssetsUrl): Promise<string> {
  const [bootstrap, protocol] = await Promise.all([readFile(new URL('bootstrap.js', assetsUrl), 'utf8'), readFile(new URL('protocol.js', assetsUrl), 'utf8')]);
  if (!bootstrap.includes(PROTOCOL_MARKER)) throw new Error('bootstrap.js has lost its protocol marker');
  const names = [...protocol.matchAll(/^export (?:const|function) (\w+)/gm)].map((found) => found[1]);
  const body = protocol.replace(/^\/\/ @ts-check\n/m, '').replace(/^export (?=const|function)/gm, '');
  const inlined = `(function () {\n${body}\nreturn { ${names.join(', ')} };\n})()`;
  return bootstrap.replace(PROTOCOL_MARKER, () => inlined);
}

function decodeSegment(segment: string): string | null {
  try {
    return decodeURIComponent(segment);
  } catch {
    return null;
  }
}

/**
 * The page's calls are same-origin fetches with a JSON body. Requiring JSON keeps plain
 * cross-site form posts out; a browser's Origin header, when present, must be ours.
 */
function guardPost(request: Request, url: URL): Response | null {
  const origin = request.headers.get('origin');
  if (origin !== null && origin !== url.origin) return jsonError(403, 'cross-origin calls are not accepted', 'forbidden_origin');
  const type = request.headers.get('content-type') ?? '';
  if (!/^application\/json\b/i.test(type)) return jsonError(415, 'the body must be application/json', 'unsupported_media_type');
  return null;
}

function checkoutPage(service: CheckoutService, sessionId: string, url: URL): Response {
  const found = service.lookup(sessionId);
  if (!found.ok) {
    const title = found.reason === 'expired-session' ? 'This checkout has expired' : 'This checkout could not be found';
    return htmlPage(found.reason === 'expired-session' ? 410 : 404, messagePage(title, found.message));
  }
  const noPadding = url.searchParams.get('noPadding') === 'true';
  // The page is about to open its live channel; a control API command may wait for it.
  if (found.view.status === 'open') service.live.pageServed(sessionId);
  return htmlPage(200, sessionPage(found.view, noPadding));
}

// ---- rendering ----------------------------------------------------------------------------

const escapes: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Text and attribute values alike: everything from a session passes through here. */
export function escapeHtml(value: string | number): string {
  return String(value).replace(/[&<>"']/g, (char) => escapes[char] ?? char);
}

/** A JSON data block (`type="application/json"`, never executed); `<` escaped so it cannot close the element. */
function jsonDataBlock(value: unknown): string {
  return `<script type="application/json" id="checkout-data">${JSON.stringify(value).replace(/</g, '\\u003c')}</script>`;
}

function isHttpUrl(value: string | null): value is string {
  if (!value) return false;
  try {
    const url = new URL(value);
    return url.protocol === 'https:' || url.protocol === 'http:';
  } catch {
    return false;
  }
}

function document(title: string, bodyClass: string, content: string, data: unknown): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<link rel="stylesheet" href="/checkout/assets/checkout.css">
<script type="module" src="/checkout/assets/checkout.js"></script>
</head>
<body${bodyClass ? ` class="${escapeHtml(bodyClass)}"` : ''}>
<span class="sandbox-badge">Ledyer sandbox</span>
${content}
${jsonDataBlock(data)}
</body>
</html>
`;
}

function messagePage(title: string, message: string): string {
  return document(
    'Ledyer Checkout',
    '',
    `<main class="message">
<h1>${escapeHtml(title)}</h1>
<p id="message" role="alert">${escapeHtml(message)}</p>
</main>`,
    { sessionId: null },
  );
}

function input(name: string, label: string, value: string, options: { type?: string; autocomplete?: string; required?: boolean; describedBy?: string } = {}): string {
  const id = `field-${name.replace('.', '-')}`;
  return `<div class="field"><label for="${id}">${escapeHtml(label)}${options.required ? ' <span aria-hidden="true">*</span>' : ''}</label><input type="${options.type ?? 'text'}" id="${id}" name="${escapeHtml(name)}" value="${escapeHtml(value)}"${options.autocomplete ? ` autocomplete="${options.autocomplete}"` : ''}${options.describedBy ? ` aria-describedby="${options.describedBy}"` : ''}${options.required ? ' required' : ''}></div>`;
}

function lineRow(line: CheckoutLineView): string {
  return `<tr><td>${escapeHtml(line.description || line.reference)}</td><td class="amount">${escapeHtml(line.quantity)}</td><td class="amount">${escapeHtml(line.totalAmount)}</td></tr>`;
}

function sessionPage(view: CheckoutView, noPadding: boolean): string {
  const { customer, settings } = view;
  const done = view.status !== 'open';
  const shipping = customer.shippingAddress;
  const names = settings.showNameFields
    ? input('firstName', 'First name', customer.firstName, { autocomplete: 'given-name' }) + input('lastName', 'Last name', customer.lastName, { autocomplete: 'family-name' })
    : '';
  const shippingFieldset = settings.allowShippingAddress
    ? `<fieldset><legend>Delivery address</legend>
<div class="check"><input type="checkbox" id="ship-elsewhere"${shipping ? ' checked' : ''}><label for="ship-elsewhere">Deliver to another address</label></div>
<div id="shipping-fields"${shipping ? '' : ' hidden'}>
${input('shipping.companyName', 'Company name', shipping?.companyName ?? '', { autocomplete: 'shipping organization' })}
${settings.showShippingAddressContact ? input('shipping.attentionName', 'Contact person', shipping?.attentionName ?? '', { autocomplete: 'shipping name' }) : ''}
${input('shipping.streetAddress', 'Street address', shipping?.streetAddress ?? '', { autocomplete: 'shipping street-address' })}
${input('shipping.postalCode', 'Postal code', shipping?.postalCode ?? '', { autocomplete: 'shipping postal-code' })}
${input('shipping.city', 'City', shipping?.city ?? '', { autocomplete: 'shipping address-level2' })}
</div>
</fieldset>`
    : '';
  const terms = isHttpUrl(view.termsUrl)
    ? `<a href="${escapeHtml(view.termsUrl)}" target="_blank" rel="noopener noreferrer">terms of purchase</a>`
    : 'terms of purchase';
  const privacy = isHttpUrl(view.privacyUrl)
    ? ` and the <a href="${escapeHtml(view.privacyUrl)}" target="_blank" rel="noopener noreferrer">privacy policy</a>`
    : '';
  const confirmationTitle = view.status === 'pending' ? 'Your order is waiting for approval' : 'Thank you for your order';
  const confirmationBody =
    view.status === 'pending'
      ? 'The order is placed and waits for a signatory at your company to approve it.'
      : 'The order is placed. An invoice will be sent to the billing address.';

  const content = `<main class="checkout">
<h1>Checkout</h1>
<div id="alert" class="alert" role="alert" hidden><h2 id="alert-title"></h2><p id="alert-body"></p></div>
<section id="confirmation" class="confirmation" tabindex="-1"${done ? '' : ' hidden'}>
<h2 id="confirmation-title">${escapeHtml(confirmationTitle)}</h2>
<p id="confirmation-body">${escapeHtml(confirmationBody)}</p>
</section>
<section aria-labelledby="summary-heading">
<h2 id="summary-heading">Order summary</h2>
<table>
<thead><tr><th scope="col">Item</th><th scope="col" class="amount">Quantity</th><th scope="col" class="amount">Amount</th></tr></thead>
<tbody id="order-lines">${view.orderLines.map(lineRow).join('')}</tbody>
<tfoot>
<tr><th scope="row" colspan="2">Excluding VAT</th><td class="amount" id="total-excl-vat">${escapeHtml(view.totalOrderAmountExclVat)}</td></tr>
<tr><th scope="row" colspan="2">VAT</th><td class="amount" id="total-vat">${escapeHtml(view.totalOrderVatAmount)}</td></tr>
<tr class="total"><th scope="row" colspan="2">Total</th><td class="amount" id="total">${escapeHtml(view.totalOrderAmount)}</td></tr>
</tfoot>
</table>
</section>
<form id="checkout-form" aria-describedby="status"${done ? ' hidden' : ''}>
<fieldset><legend>Company</legend>
${input('companyId', 'Organisation number', customer.companyId, { autocomplete: 'off', required: true, describedBy: 'company-hint' })}
${input('companyName', 'Company name', customer.companyName, { autocomplete: 'organization' })}
<p class="hint" id="company-hint">(sandbox) use ${escapeHtml(SANDBOX_TEST_COMPANIES.awaitsSignatory.companyId)} to test a purchase that awaits a signatory</p>
</fieldset>
<fieldset><legend>Contact</legend>
${names}
${input('email', 'Email', customer.email, { type: 'email', autocomplete: 'email', required: true })}
${input('phone', 'Phone', customer.phone, { type: 'tel', autocomplete: 'tel' })}
${input('reference1', 'Your reference', customer.reference1)}
</fieldset>
<fieldset><legend>Billing address</legend>
${input('billing.streetAddress', 'Street address', customer.billingAddress.streetAddress, { autocomplete: 'billing street-address' })}
${input('billing.postalCode', 'Postal code', customer.billingAddress.postalCode, { autocomplete: 'billing postal-code' })}
${input('billing.city', 'City', customer.billingAddress.city, { autocomplete: 'billing address-level2' })}
</fieldset>
${shippingFieldset}
<fieldset><legend>Payment method</legend>
<div class="check"><input type="radio" id="payment-invoice" name="paymentMethod" value="invoice" checked><label for="payment-invoice">Invoice</label></div>
<div class="check"><input type="radio" id="payment-advance-invoice" name="paymentMethod" value="advanceInvoice"><label for="payment-advance-invoice">Advance invoice</label></div>
</fieldset>
<p class="terms">By placing the order you accept the ${terms}${privacy}.</p>
<button type="submit" id="buy" class="buy">Place order</button>
</form>
<p id="status" class="status" role="status" aria-live="polite"></p>
</main>
<div id="overlay" class="overlay" hidden><div class="spinner" aria-hidden="true"></div><span class="visually-hidden">The checkout is paused</span></div>`;

  return document('Ledyer Checkout', noPadding ? 'no-padding' : '', content, pageState(view));
}

// ---- responses ----------------------------------------------------------------------------

function htmlPage(status: number, html: string): Response {
  return new Response(html, {
    status,
    headers: {
      'content-type': 'text/html; charset=utf-8',
      'content-security-policy': CHECKOUT_PAGE_CSP,
      'x-content-type-options': 'nosniff',
      'cache-control': 'no-store',
      'referrer-policy': 'strict-origin-when-cross-origin',
    },
  });
}

function json(status: number, body: unknown): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', 'x-content-type-options': 'nosniff' },
  });
}

/** The same error shape as the sandbox's API: `{ errors: [{ message, code }] }`. */
function jsonError(status: number, message: string, code: string): Response {
  return json(status, { errors: [{ message, code }] });
}

function methodNotAllowed(allow: string): Response {
  const response = jsonError(405, `method not allowed; use ${allow}`, 'method_not_allowed');
  response.headers.set('allow', allow);
  return response;
}
