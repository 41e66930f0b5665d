/**
 * `/sandbox/...`: test controls no real Ledyer has. No OAuth, but only from loopback
 * (the server refuses other addresses before it gets here).
 *
 *   POST   /sandbox/sessions/{id}/complete   buy the session as the hosted page would
 *   POST   /sandbox/sessions/{id}/pending    buy it, leaving the order awaiting a signatory
 *   POST   /sandbox/sessions/{id}/sign       the signatory signed: the order is ready for capture
 *   POST   /sandbox/sessions/{id}/expire     the session expires now
 *   GET    /sandbox/faults                   faults still armed
 *   POST   /sandbox/faults                   arm { path, method?, count, kind, status? | ms? }
 *   DELETE /sandbox/faults                   disarm all
 *   GET    /sandbox/callbacks                validate / notification deliveries, oldest first;
 *                                            ?kind=validate|notification&orderId=…&sessionId=… narrow it
 *   DELETE /sandbox/callbacks                clear that log
 *   GET    /sandbox/usage                    what is held against each memory limit
 *   POST   /sandbox/reset                    forget sessions, orders, keys, faults, callbacks
 * `{id}` is a sessionId or an orderId.
 */
import { z } from 'zod';
import type { PurchaseOutcome } from './checkout-service.js';
import type { SandboxContext } from './context.js';
import { ApiError, parseJsonBody, parseOrThrow } from './errors.js';
import { faultSpecSchema } from './faults.js';
import type { ApiRequest, ApiResponse } from './http-types.js';

const deliveryFilterSchema = z.strictObject({
  kind: z.enum(['validate', 'notification'], 'kind must be "validate" or "notification"').optional(),
  orderId: z.string().min(1, 'orderId must not be empty').optional(),
  sessionId: z.string().min(1, 'sessionId must not be empty').optional(),
});

function outcomeResponse(outcome: PurchaseOutcome): ApiResponse {
  if (outcome.kind === 'error') throw ApiError.of(409, outcome.message, 'purchase_failed');
  return { status: 200, body: outcome };
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
        return outcomeResponse(await context.core.completeSession(session.sessionId, { awaitSignatory: false }));
      case 'pending':
        return outcomeResponse(await context.core.completeSession(session.sessionId, { awaitSignatory: true }));
      case 'sign':
        return outcomeResponse(await context.core.signSession(session.sessionId));
      default:
        session.expiresAtMs = Math.min(session.expiresAtMs, context.now());
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
