/**
 * Sessions and orders in memory. Mutations of one order (or one session) run through
 * `KeyedLock`, so handlers that await in the middle of a change never interleave.
 */
import type { CreateSessionRequest } from '../server/schemas.js';
import type { CheckoutCustomer } from './checkout-service.js';
import { KeyedLock } from './keyed-lock.js';
import type { NewOrderOptions } from './order-book.js';
import type { OrderRecord } from './order-entity.js';

/** `open` until bought; `pending` awaits a signatory (no order yet); `complete` once the order exists. */
export type SessionStatus = 'open' | 'pending' | 'complete';

export interface SessionRecord {
  sessionId: string;
  orderId: string;
  createdAtMs: number;
  updatedAtMs: number;
  expiresAtMs: number;
  request: CreateSessionRequest;
  customer: CheckoutCustomer;
  status: SessionStatus;
  /** While `pending`: the order to create when the signatory signs. */
  pending: NewOrderOptions | null;
}

export class SandboxStore {
  readonly sessionsByOrderId = new Map<string, SessionRecord>();
  readonly orderIdBySessionId = new Map<string, string>();
  readonly orders = new Map<string, OrderRecord>();
  /** Keys are order ids: a session and its order share one queue. */
  readonly locks = new KeyedLock();

  addSession(session: SessionRecord): void {
    this.sessionsByOrderId.set(session.orderId, session);
    this.orderIdBySessionId.set(session.sessionId, session.orderId);
  }

  sessionByOrderId(orderId: string): SessionRecord | undefined {
    return this.sessionsByOrderId.get(orderId);
  }

  sessionBySessionId(sessionId: string): SessionRecord | undefined {
    const orderId = this.orderIdBySessionId.get(sessionId);
    return orderId === undefined ? undefined : this.sessionsByOrderId.get(orderId);
  }

  /** The control API accepts either id, since tests hold one or the other. */
  sessionByAnyId(id: string): SessionRecord | undefined {
    return this.sessionBySessionId(id) ?? this.sessionByOrderId(id);
  }

  reset(): void {
    this.sessionsByOrderId.clear();
    this.orderIdBySessionId.clear();
    this.orders.clear();
  }
}

export function isExpired(session: SessionRecord, nowMs: number): boolean {
  return session.status === 'open' && nowMs >= session.expiresAtMs;
}
