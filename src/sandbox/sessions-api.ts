/**
 * `POST v1/sessions`, `GET v1/sessions/{orderId}`, `POST v1/sessions/{orderId}`
 * (LEDYER.md; the path parameter is the orderId, as every plugin passes it).
 */
import type { z } from 'zod';
import {
  checkTotalsAgainstLines,
  createSessionRequestSchema,
  updateSessionRequestSchema,
  type CreateSessionRequest,
  type UpdateSessionRequest,
} from '../server/schemas.js';
import type { SandboxContext } from './context.js';
import { customerFromRequest } from './customer.js';
import { ApiError, formatPath, parseJsonBody, parseOrThrow } from './errors.js';
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
    pending: null,
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
  // A malformed body is refused whatever the session's state.
  const update = parseOrThrow(updateSessionRequestSchema, parseJsonBody(request.rawBody));
  // Behind the order's lock: a purchase in progress decides first, then the update sees its result.
  return context.store.locks.run(orderId, () => {
    if (session.status !== 'open') {
      throw ApiError.of(409, `the session is ${session.status}: a bought session can no longer be updated`, 'session_completed');
    }
    if (isExpired(session, context.now())) throw ApiError.of(409, 'the session has expired: create a new session', 'session_expired');
    const next = applySessionUpdate(session.request, update);
    session.request = next;
    session.customer = customerFromRequest(next, session.customer);
    session.updatedAtMs = context.now();
    return { status: 200, body: { sessionId: session.sessionId, orderId: session.orderId } };
  });
}

/** The defined entries of an object: what an update leaves out keeps its value. */
function definedEntries<T extends object>(value: T | undefined): Partial<T> {
  return Object.fromEntries(Object.entries(value ?? {}).filter(([, entry]) => entry !== undefined)) as Partial<T>;
}

/**
 * An update applied field by field (Ledyer's docs: the three totals are the only required
 * fields; the rest keeps its value when left out). Settings merge one level deeper, so
 * `settings.security` alone (what Ledyer's plugins send) keeps the session's URLs.
 * Throws a 400 when the result is not a coherent session, e.g. totals that disagree with
 * the lines the session keeps.
 */
export function applySessionUpdate(current: CreateSessionRequest, update: UpdateSessionRequest): CreateSessionRequest {
  const { settings, ...fields } = update;
  const next: Record<string, unknown> = { ...current, ...definedEntries(fields) };
  if (settings) {
    const { terms, ...urls } = settings.urls ?? {};
    next['settings'] = {
      ...current.settings,
      ...(settings.customer ? { customer: { ...current.settings.customer, ...definedEntries(settings.customer) } } : {}),
      ...(settings.security ? { security: { ...current.settings.security, ...definedEntries(settings.security) } } : {}),
      urls: { ...current.settings.urls, ...definedEntries(urls), terms: terms || current.settings.urls.terms },
    };
  }
  if (update.orderLines === undefined) {
    const issues: z.core.$ZodRawIssue[] = [];
    checkTotalsAgainstLines(update, current.orderLines ?? [], (issue) => issues.push(issue as z.core.$ZodRawIssue), "the session's kept orderLines (this update sends none)");
    if (issues.length > 0) {
      throw new ApiError(
        400,
        issues.map((issue) => {
          const path = formatPath(issue.path ?? []);
          return { message: `${path}: ${issue.message ?? 'invalid'}`, path, code: 'custom' };
        }),
      );
    }
  }
  // The merged session must stand on its own, as a create body would.
  return parseOrThrow(createSessionRequestSchema, next);
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
