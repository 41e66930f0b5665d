/**
 * `/sandbox/...`: test controls no real Ledyer has. No OAuth, but only from loopback
 * (the server refuses other addresses before it gets here).
 *
 *   POST   /sandbox/sessions/{id}/complete   buy the session, ending complete   body (optional): { paymentMethod }
 *   POST   /sandbox/sessions/{id}/pending    buy it, ending awaiting a signatory body (optional): { paymentMethod }
 *   POST   /sandbox/sessions/{id}/sign       the signatory signed: the order is ready for capture
 *   POST   /sandbox/sessions/{id}/expire     the session expires now; an open page is told
 *   GET    /sandbox/faults                   faults still armed
 *   POST   /sandbox/faults                   arm { path, method?, count, kind, status? | ms? }
 *   DELETE /sandbox/faults                   disarm all
 *   GET    /sandbox/callbacks                validate / notification deliveries, oldest first;
 *                                            ?kind=validate|notification&orderId=…&sessionId=… narrow it
 *   DELETE /sandbox/callbacks                clear that log
 *   GET    /sandbox/usage                    what is held against each memory limit
 *   POST   /sandbox/reset                    forget sessions, orders, keys, faults, callbacks
 * `{id}` is a sessionId or an orderId.
 *
 * complete and pending drive an open hosted page when there is one: over the live channel
 * (live-checkouts.ts) the page is told to buy and runs its own buy flow, filling test
 * defaults into empty required fields (the signatory-required test company for pending),
 * asking the merchant's page for client validation when the session requires it, then
 * buying; the merchant's page gets the same `ledyerCheckout*` events as from a buyer, and
 * the call answers that purchase's outcome, a client-validation denial included
 * (`{ kind: 'denied', title, body }`). With no page open, or none that takes the command
 * within a few seconds, the session is bought server-side. The answer's body is the outcome
 * as before; the header `sandbox-driven-by: page | server` says which happened.
 */
import { z } from 'zod';
import type { DrivenOutcome } from './checkout-core.js';
import type { CheckoutOutcome } from './checkout-service.js';
import type { SandboxContext } from './context.js';
import { ApiError, parseJsonBody, parseOrThrow } from './errors.js';
import { faultSpecSchema } from './faults.js';
import type { ApiRequest, ApiResponse } from './http-types.js';

const deliveryFilterSchema = z.strictObject({
  kind: z.enum(['validate', 'notification'], 'kind must be "validate" or "notification"').optional(),
  orderId: z.string().min(1, 'orderId must not be empty').optional(),
  sessionId: z.string().min(1, 'sessionId must not be empty').optional(),
});

const buyControlBodySchema = z.strictObject({
  paymentMethod: z.enum(['invoice', 'advanceInvoice'], 'expected "invoice" or "advanceInvoice"').optional(),
});

function outcomeResponse(outcome: CheckoutOutcome): ApiResponse {
  if (outcome.kind === 'error') throw ApiError.of(409, outcome.message, 'purchase_failed');
  if (outcome.kind === 'session-changed') {
    throw ApiError.of(409, 'the session changed while the open page was buying; the page shows the new order', 'session_changed');
  }
  return { status: 200, body: outcome };
}

function drivenResponse(driven: DrivenOutcome): ApiResponse {
  const { driven: by, ...outcome } = driven;
  const headers = { 'sandbox-driven-by': by };
  if (outcome.kind === 'page-timeout') return { status: 504, headers, body: { errors: [{ message: outcome.message, code: 'page_timeout' }] } };
  try {
    return { ...outcomeResponse(outcome), headers };
  } catch (error) {
    if (error instanceof ApiError) return { status: error.status, headers, body: { errors: error.errors } };
    throw error;
  }
}

export async function handleControl(context: SandboxContext, request: ApiRequest): Promise<ApiResponse> {
  const { method, pathname } = request;
  const sessionRoute = /^\/sandbox\/sessions\/([^/]+)\/(complete|pending|sign|expire)$/.exec(pathname);
  if (sessionRoute) {
    if (method !== 'POST') throw ApiError.of(405, `use POST for ${pathname}`, 'method_not_allowed');
    const id = decodeURIComponent(sessionRoute[1] ?? '');
    const session = context.store.sessionByAnyId(id);
    if (!session) throw ApiError.of(404, `no session with sessionId or orderId ${JSON.stringify(id)}`, 'not_found');
    switch (sessionRoute[2]) {
      case 'complete':
      case 'pending': {
        // The body is optional: no body (or an empty one) buys with the buyer's payment method.
        const body = request.rawBody.trim() === '' ? {} : parseOrThrow(buyControlBodySchema, parseJsonBody(request.rawBody));
        return drivenResponse(await context.core.driveCheckout(session.sessionId, { outcome: sessionRoute[2], paymentMethod: body.paymentMethod ?? null }));
      }
      case 'sign':
        return outcomeResponse(await context.core.signSession(session.sessionId));
      default:
        context.core.expireSession(session.sessionId);
        return {
          status: 200,
          body: { sessionId: session.sessionId, orderId: session.orderId, expiresAt: new Date(session.expiresAtMs).toISOString() },
        };
    }
  }
  const route = `${method} ${pathname.replace(/\/$/, '')}`;
  switch (route) {
    case 'GET /sandbox/faults':
      return { status: 200, body: { faults: context.faults.list() } };
    case 'POST /sandbox/faults': {
      const spec = parseOrThrow(faultSpecSchema, parseJsonBody(request.rawBody));
      return { status: 201, body: context.faults.add(spec) };
    }
    case 'DELETE /sandbox/faults':
      context.faults.clear();
      return { status: 200, body: { faults: [] } };
    case 'GET /sandbox/callbacks': {
      const filter = parseOrThrow(deliveryFilterSchema, Object.fromEntries(request.query));
      return { status: 200, body: { deliveries: context.callbacks.log(filter) } };
    }
    case 'GET /sandbox/usage':
      return {
        status: 200,
        body: {
          sessions: context.store.sessionCount,
          orders: context.store.orders.size,
          idempotencyKeys: context.idempotency.size,
          tokens: context.tokens.size,
          callbackLog: context.callbacks.deliveries.length,
          limits: context.limits,
        },
      };
    case 'DELETE /sandbox/callbacks':
      context.callbacks.clearLog();
      return { status: 200, body: { deliveries: [] } };
    case 'POST /sandbox/reset':
      context.store.reset();
      context.faults.clear();
      context.idempotency.reset();
      context.callbacks.cancelPending();
      context.callbacks.clearLog();
      return { status: 200, body: { reset: true } };
    default:
      throw ApiError.of(404, `no sandbox control route ${method} ${pathname}`, 'not_found');
  }
}
