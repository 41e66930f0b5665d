/**
 * `POST v1/sessions`, `GET v1/sessions/{orderId}`, `POST v1/sessions/{orderId}`
 * (LEDYER.md; the path parameter is the orderId, as every plugin passes it).
 */
import { createSessionRequestSchema, updateSessionRequestSchema } from '../server/schemas.js';
import type { SandboxContext } from './context.js';
import { customerFromRequest } from './customer.js';
import { ApiError, parseJsonBody, parseOrThrow } from './errors.js';
import type { ApiRequest, ApiResponse } from './http-types.js';
import { newId, newSessionId } from './ids.js';
import { isExpired, type SessionRecord } from './store.js';

const iso = (ms: number): string => new Date(ms).toISOString();

function sessionNotFound(orderId: string): ApiError {
  return ApiError.of(404, `no session for orderId ${JSON.stringify(orderId)}`, 'not_found');
}

export function createSession(context: SandboxContext, request: ApiRequest): ApiResponse {
  const body = parseOrThrow(createSessionRequestSchema, parseJsonBody(request.rawBody));
  const nowMs = context.now();
  const session: SessionRecord = {
    sessionId: newSessionId(nowMs),
    orderId: newId('or', nowMs),
    createdAtMs: nowMs,
    updatedAtMs: nowMs,
    expiresAtMs: nowMs + context.sessionTtlMs,
    request: body,
    customer: customerFromRequest(body),
    status: 'open',
  };
  context.store.addSession(session);
  return { status: 200, body: { sessionId: session.sessionId, orderId: session.orderId, expiresAt: iso(session.expiresAtMs) } };
}

export function getSession(context: SandboxContext, orderId: string): ApiResponse {
  const session = context.store.sessionByOrderId(orderId);
  if (!session) throw sessionNotFound(orderId);
  return { status: 200, body: renderSession(session, context.now()) };
}

export function updateSession(context: SandboxContext, orderId: string, request: ApiRequest): Promise<ApiResponse> {
  const session = context.store.sessionByOrderId(orderId);
  if (!session) throw sessionNotFound(orderId);
  const json = parseJsonBody(request.rawBody);
  // Behind the order's lock: a purchase in progress decides first, then the update sees its result.
  return context.store.locks.run(orderId, () => {
    if (session.status !== 'open') {
      throw ApiError.of(409, `the session is ${session.status}: a bought session can no longer be updated`, 'session_completed');
    }
    if (isExpired(session, context.now())) throw ApiError.of(409, 'the session has expired: create a new session', 'session_expired');
    const body = parseOrThrow(updateSessionRequestSchema, json);
    session.request = body;
    session.customer = customerFromRequest(body, session.customer);
    session.updatedAtMs = context.now();
    return { status: 200, body: { sessionId: session.sessionId, orderId: session.orderId } };
  });
}

export function renderSession(session: SessionRecord, nowMs: number): Record<string, unknown> {
  const request = session.request;
  return {
    id: session.sessionId,
    orderId: session.orderId,
    status: isExpired(session, nowMs) ? 'expired' : session.status,
    createdAt: iso(session.createdAtMs),
    updatedAt: iso(session.updatedAtMs),
    expiresAt: iso(session.expiresAtMs),
    country: request.country,
    currency: request.currency,
    locale: request.locale,
    reference: request.reference ?? null,
    settlementReference: request.settlementReference ?? null,
    storeId: request.storeId ?? null,
    source: request.source ?? null,
    metadata: request.metadata ?? {},
    autoCapture: request.autoCapture ?? null,
    customer: session.customer,
    order: {
      orderLines: request.orderLines ?? [],
      totalOrderAmount: request.totalOrderAmount,
      totalOrderAmountExclVat: request.totalOrderAmountExclVat,
      totalOrderVatAmount: request.totalOrderVatAmount,
    },
    settings: request.settings,
  };
}
