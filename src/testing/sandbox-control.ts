/**
 * A typed client for the sandbox's control API (`/sandbox/...`, README "Control API"): drive
 * a purchase, expire a session, arm faults, read the callbacks the sandbox made. It talks HTTP
 * only, so it works on a sandbox in this process or in another one (`connectLedyerSandbox`).
 */
import { SandboxControlError } from './control-errors.js';
import type {
  DeliveryFilter,
  NotificationDelivery,
  NotificationFilter,
  SandboxArmedFault,
  SandboxBuyOptions,
  SandboxDriver,
  SandboxExpiry,
  SandboxFaultSpec,
  SandboxPurchaseOutcome,
  SandboxSignOutcome,
  ValidationDelivery,
  WaitForNotificationFilter,
  WaitOptions,
} from './control-types.js';

export interface SandboxControl {
  /** Buys the session as a buyer would: the newest open page runs its buy flow, or the sandbox buys server-side. */
  complete(sessionId: string, options?: SandboxBuyOptions): Promise<SandboxPurchaseOutcome>;
  /** As `complete`, as the test company that needs a signatory: it ends `pending`, with no order yet. */
  pending(sessionId: string, options?: SandboxBuyOptions): Promise<SandboxPurchaseOutcome>;
  /** The signatory of a pending purchase signed: the order is created. */
  sign(sessionId: string): Promise<SandboxSignOutcome>;
  /** The session expires now; an open page shows it and stops buying. */
  expire(sessionId: string): Promise<SandboxExpiry>;
  /** Arms a fault on the sandbox's Ledyer API (never on `/sandbox/...`). */
  fault(spec: SandboxFaultSpec): Promise<SandboxArmedFault>;
  /** The faults still armed, with what remains of each. */
  faults(): Promise<SandboxArmedFault[]>;
  clearFaults(): Promise<void>;
  /** Every notification attempt, oldest first: the body sent, the merchant's answer, the attempt. */
  notifications(filter?: NotificationFilter): Promise<NotificationDelivery[]>;
  /** Every validate callback, oldest first, with the merchant's answer. */
  validations(filter?: DeliveryFilter): Promise<ValidationDelivery[]>;
  /** The first notification attempt that matches, once there is one (notifications are sent after the purchase answers). */
  waitForNotification(filter: WaitForNotificationFilter, options?: WaitOptions): Promise<NotificationDelivery>;
  /** Forgets the callback log. */
  clearCallbacks(): Promise<void>;
  /** Forgets sessions, orders, idempotency keys, faults and the callback log. */
  reset(): Promise<void>;
}

export interface SandboxControlOptions {
  /** Per call, in ms (default 60000: a driven purchase may wait 30 s for its page, plus the validate URL). */
  timeoutMs?: number;
  /** Whether the handle was closed; calls after that reject at once. */
  isClosed?: () => boolean;
}

interface Answer {
  status: number;
  drivenBy: SandboxDriver | null;
  body: unknown;
}

const PURCHASE_KINDS = new Set(['complete', 'pending', 'declined', 'redirect', 'denied']);
const POLL_INTERVAL_MS = 50;

export function createSandboxControl(baseUrl: string, options: SandboxControlOptions = {}): SandboxControl {
  const origin = new URL(baseUrl).origin;
  const timeoutMs = options.timeoutMs ?? 60_000;

  async function request(call: string, method: 'GET' | 'POST' | 'DELETE', path: string, body?: unknown): Promise<Answer> {
    if (options.isClosed?.()) throw new SandboxControlError(call, 'closed', 'this sandbox handle is closed');
    let response: Response;
    try {
      response = await fetch(`${origin}/sandbox${path}`, {
        method,
        ...(body === undefined ? {} : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (error) {
      const reason = error instanceof Error && error.name === 'TimeoutError' ? `no answer within ${timeoutMs} ms` : describeNetworkError(error);
      throw new SandboxControlError(call, 'sandbox-unreachable', `the sandbox at ${origin} could not be reached: ${reason}`, { cause: error });
    }
    const by = response.headers.get('sandbox-driven-by');
    const drivenBy: SandboxDriver | null = by === 'page' || by === 'server' ? by : null;
    const text = await response.text();
    let parsed: unknown;
    try {
      parsed = text === '' ? null : JSON.parse(text);
    } catch {
      throw new SandboxControlError(call, 'unexpected-answer', `${origin} answered ${response.status} with a body that is not JSON; is it a Ledyer sandbox?`, { status: response.status });
    }
    if (!response.ok) {
      const errors = readErrors(parsed);
      if (!errors) {
        throw new SandboxControlError(call, 'unexpected-answer', `${origin} answered ${response.status} without the sandbox's { errors } body; is it a Ledyer sandbox?`, { status: response.status });
      }
      const sandboxMessage = errors.map((entry) => entry.message).join('; ');
      const sandboxCode = errors.find((entry) => entry.code)?.code ?? null;
      throw new SandboxControlError(call, 'sandbox-refused', `the sandbox answered ${response.status}${sandboxCode ? ` ${sandboxCode}` : ''}: ${sandboxMessage}`, {
        status: response.status,
        sandboxCode,
        sandboxMessage,
        drivenBy,
      });
    }
    return { status: response.status, drivenBy, body: parsed };
  }

  function unexpected(call: string, answer: Answer, what: string): SandboxControlError {
    return new SandboxControlError(call, 'unexpected-answer', `${origin} answered ${answer.status} without ${what} (${JSON.stringify(answer.body)?.slice(0, 200)}); is it a Ledyer sandbox?`, {
      status: answer.status,
    });
  }

  async function buy(name: 'complete' | 'pending', sessionId: string, buyOptions: SandboxBuyOptions = {}): Promise<SandboxPurchaseOutcome> {
    const call = `sandbox.${name}(${JSON.stringify(sessionId)})`;
    const answer = await request(call, 'POST', `/sessions/${sessionPath(call, sessionId)}/${name}`, buyOptions);
    const body = answer.body as { kind?: unknown } | null;
    if (!body || typeof body.kind !== 'string' || !PURCHASE_KINDS.has(body.kind)) throw unexpected(call, answer, 'a purchase outcome');
    // A sandbox from before the live channel always bought server-side and sent no header.
    return { ...(body as Omit<SandboxPurchaseOutcome, 'drivenBy'>), drivenBy: answer.drivenBy ?? 'server' } as SandboxPurchaseOutcome;
  }

  async function deliveries(call: string, kind: 'validate' | 'notification', filter: DeliveryFilter): Promise<unknown[]> {
    const query = new URLSearchParams({ kind });
    if (filter.orderId !== undefined) query.set('orderId', filter.orderId);
    if (filter.sessionId !== undefined) query.set('sessionId', filter.sessionId);
    const answer = await request(call, 'GET', `/callbacks?${query}`);
    const list = (answer.body as { deliveries?: unknown } | null)?.deliveries;
    if (!Array.isArray(list)) throw unexpected(call, answer, 'a list of deliveries');
    return list;
  }

  async function notifications(filter: NotificationFilter = {}, call = `sandbox.notifications(${describeFilter(filter)})`): Promise<NotificationDelivery[]> {
    const list = (await deliveries(call, 'notification', filter)) as NotificationDelivery[];
    return filter.eventType === undefined ? list : list.filter((delivery) => delivery.body.eventType === filter.eventType);
  }

  return {
    complete: (sessionId, buyOptions) => buy('complete', sessionId, buyOptions),
    pending: (sessionId, buyOptions) => buy('pending', sessionId, buyOptions),

    async sign(sessionId) {
      const call = `sandbox.sign(${JSON.stringify(sessionId)})`;
      const answer = await request(call, 'POST', `/sessions/${sessionPath(call, sessionId)}/sign`);
      const body = answer.body as { kind?: unknown; orderId?: unknown } | null;
      if (body?.kind !== 'complete' || typeof body.orderId !== 'string') throw unexpected(call, answer, 'the signed order');
      return { kind: 'complete', orderId: body.orderId, drivenBy: 'server' };
    },

    async expire(sessionId) {
      const call = `sandbox.expire(${JSON.stringify(sessionId)})`;
      const answer = await request(call, 'POST', `/sessions/${sessionPath(call, sessionId)}/expire`);
      const body = answer.body as Partial<SandboxExpiry> | null;
      if (typeof body?.sessionId !== 'string' || typeof body.orderId !== 'string' || typeof body.expiresAt !== 'string') throw unexpected(call, answer, 'the expired session');
      return { sessionId: body.sessionId, orderId: body.orderId, expiresAt: body.expiresAt };
    },

    async fault(spec) {
      const call = `sandbox.fault(${JSON.stringify(spec)})`;
      const answer = await request(call, 'POST', '/faults', spec);
      const body = answer.body as Partial<SandboxArmedFault> | null;
      if (typeof body?.id !== 'number') throw unexpected(call, answer, 'the armed fault');
      return body as SandboxArmedFault;
    },

    async faults() {
      const call = 'sandbox.faults()';
      const answer = await request(call, 'GET', '/faults');
      const list = (answer.body as { faults?: unknown } | null)?.faults;
      if (!Array.isArray(list)) throw unexpected(call, answer, 'a list of faults');
      return list as SandboxArmedFault[];
    },

    async clearFaults() {
      await request('sandbox.clearFaults()', 'DELETE', '/faults');
    },

    notifications: (filter) => notifications(filter),

    async validations(filter = {}) {
      return (await deliveries(`sandbox.validations(${describeFilter(filter)})`, 'validate', filter)) as ValidationDelivery[];
    },

    async waitForNotification(filter, waitOptions = {}) {
      const timeout = waitOptions.timeout ?? 10_000;
      const call = `sandbox.waitForNotification(${describeFilter(filter)})`;
      const { status, ...rest } = filter;
      const deadline = Date.now() + timeout;
      let seen: NotificationDelivery[] = [];
      for (;;) {
        seen = await notifications(rest, call);
        const found = seen.find((delivery) => status === undefined || delivery.status === status);
        if (found) return found;
        if (Date.now() >= deadline) break;
        await new Promise((resolve) => setTimeout(resolve, Math.min(POLL_INTERVAL_MS, Math.max(0, deadline - Date.now()))));
      }
      const sent = seen.length === 0 ? 'none was sent' : `sent: ${seen.map((delivery) => `${delivery.body.eventType} attempt ${delivery.attempt} → ${delivery.status ?? delivery.error}`).join(', ')}`;
      throw new SandboxControlError(call, 'timeout', `no matching notification within ${timeout} ms (${sent})`);
    },

    async clearCallbacks() {
      await request('sandbox.clearCallbacks()', 'DELETE', '/callbacks');
    },

    async reset() {
      await request('sandbox.reset()', 'POST', '/reset');
    },
  };
}

/** The session id as one path segment; a programmer's mistake is said before anything is sent. */
function sessionPath(call: string, sessionId: unknown): string {
  if (typeof sessionId !== 'string' || sessionId.trim() === '') {
    throw new TypeError(`${call}: sessionId must be a non-empty string (a sessionId or an orderId), got ${JSON.stringify(sessionId) ?? String(sessionId)}`);
  }
  return encodeURIComponent(sessionId);
}

function readErrors(body: unknown): Array<{ message: string; code?: string }> | null {
  const errors = (body as { errors?: unknown } | null)?.errors;
  if (!Array.isArray(errors) || errors.length === 0) return null;
  return errors.map((entry: unknown) => {
    const { message, code } = (entry ?? {}) as { message?: unknown; code?: unknown };
    return { message: typeof message === 'string' ? message : JSON.stringify(entry), ...(typeof code === 'string' ? { code } : {}) };
  });
}

function describeFilter(filter: object): string {
  return Object.keys(filter).length === 0 ? '' : JSON.stringify(filter);
}

/** `fetch failed` alone says nothing: the cause (`ECONNREFUSED`, …) does. */
function describeNetworkError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = error.cause as { code?: unknown; message?: unknown } | undefined;
  if (cause && typeof cause.code === 'string') return `${error.message} (${cause.code})`;
  if (cause && typeof cause.message === 'string') return `${error.message} (${cause.message})`;
  return error.message;
}
