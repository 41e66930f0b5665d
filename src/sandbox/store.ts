/**
 * Sessions and orders in memory, bounded. Mutations of one order (or one session) run through
 * `KeyedLock`, so handlers that await in the middle of a change never interleave.
 *
 * A session and its order count as one entry against `maxSessions`. Expired sessions are
 * forgotten `expiredSessionRetentionMs` after they expired, bought ones (with their order)
 * `finishedSessionRetentionMs` after their last change; when the store is full, the oldest of
 * those go first, whatever their age. Open, unexpired sessions are never evicted: when only
 * they are left, a new session is refused with 503 `sandbox_full`.
 */
import type { CreateSessionRequest } from '../server/schemas.js';
import type { CheckoutCustomer } from './checkout-service.js';
import { ApiError } from './errors.js';
import { KeyedLock } from './keyed-lock.js';
import { DEFAULT_SANDBOX_LIMITS, type SandboxLimits } from './limits.js';
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

export type StoreLimits = Pick<SandboxLimits, 'maxSessions' | 'expiredSessionRetentionMs' | 'finishedSessionRetentionMs'>;

/** Age-based eviction runs at most this often (or as often as the shortest retention); a full store always tries at once. */
const SWEEP_INTERVAL_MS = 1000;

export class SandboxStore {
  readonly sessionsByOrderId = new Map<string, SessionRecord>();
  readonly orderIdBySessionId = new Map<string, string>();
  readonly orders = new Map<string, OrderRecord>();
  /** Keys are order ids: a session and its order share one queue. */
  readonly locks = new KeyedLock();
  private lastSweepMs = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly limits: StoreLimits = DEFAULT_SANDBOX_LIMITS,
    private readonly now: () => number = Date.now,
  ) {}

  /** Stores a new session, making room first; 503 `sandbox_full` when nothing can be evicted. */
  addSession(session: SessionRecord): void {
    const nowMs = this.now();
    const interval = Math.min(SWEEP_INTERVAL_MS, this.limits.expiredSessionRetentionMs, this.limits.finishedSessionRetentionMs);
    if (nowMs - this.lastSweepMs >= interval) this.sweep(nowMs);
    if (this.sessionsByOrderId.size >= this.limits.maxSessions && !this.evictOne(nowMs)) {
      throw ApiError.of(
        503,
        `the sandbox holds ${this.sessionsByOrderId.size} sessions (limits.maxSessions) and all of them are open and unexpired, so none can be evicted: ` +
          'free space with POST /sandbox/reset, or start the sandbox with a higher limits.maxSessions',
        'sandbox_full',
      );
    }
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

  get sessionCount(): number {
    return this.sessionsByOrderId.size;
  }

  reset(): void {
    this.sessionsByOrderId.clear();
    this.orderIdBySessionId.clear();
    this.orders.clear();
  }

  /** Forgets sessions (and their orders) past their retention. */
  sweep(nowMs = this.now()): void {
    this.lastSweepMs = nowMs;
    for (const session of [...this.sessionsByOrderId.values()]) {
      const since = this.evictableSince(session, nowMs);
      if (since === null) continue;
      const retention = session.status === 'complete' ? this.limits.finishedSessionRetentionMs : this.limits.expiredSessionRetentionMs;
      if (nowMs - since >= retention) this.remove(session);
    }
  }

  /** Evicts the session that has been evictable longest; false when there is none. */
  private evictOne(nowMs: number): boolean {
    let oldest: SessionRecord | null = null;
    let oldestSince = Number.POSITIVE_INFINITY;
    for (const session of this.sessionsByOrderId.values()) {
      const since = this.evictableSince(session, nowMs);
      if (since !== null && since < oldestSince) {
        oldest = session;
        oldestSince = since;
      }
    }
    if (oldest) this.remove(oldest);
    return oldest !== null;
  }

  /**
   * Since when a session may be evicted, or null if it may not: expired ones (a pending one too:
   * its signatory did not sign within the session's lifetime) since they expired, bought ones
   * since their last change. Never while a call is working on it.
   */
  private evictableSince(session: SessionRecord, nowMs: number): number | null {
    if (this.locks.isBusy(session.orderId)) return null;
    if (session.status === 'complete') {
      const lastEvent = this.orders.get(session.orderId)?.events.at(-1);
      const orderChangedMs = lastEvent ? Date.parse(lastEvent.createdAt) : Number.NEGATIVE_INFINITY;
      return Math.max(session.updatedAtMs, orderChangedMs);
    }
    return nowMs >= session.expiresAtMs ? session.expiresAtMs : null;
  }

  private remove(session: SessionRecord): void {
    this.sessionsByOrderId.delete(session.orderId);
    this.orderIdBySessionId.delete(session.sessionId);
    this.orders.delete(session.orderId);
  }
}

export function isExpired(session: SessionRecord, nowMs: number): boolean {
  return session.status === 'open' && nowMs >= session.expiresAtMs;
}
