/**
 * The server-to-server calls Ledyer makes to the merchant (LEDYER.md, "Server callbacks"):
 * - validate: POST before the order is created, 6 s deadline; 200 (optional `{ reference }`)
 *   proceeds, 303 + Location redirects, 400 declines, 422 declines with `{ title, body }`;
 *   no answer in time (or no connection) counts as valid.
 * - notification: POST per order event; a non-200 is retried at once, then on a schedule.
 *   Ledyer's schedule runs for hours (5 s … 10 h); the sandbox uses a short, bounded one.
 * Every attempt is logged so tests can assert what was sent and what came back; the log
 * keeps the newest `maxLog` entries.
 */

export interface CallbackDelivery {
  kind: 'validate' | 'notification';
  url: string;
  body: Record<string, unknown>;
  /** 1 for the first try of this payload, 2 for the immediate retry, and so on. */
  attempt: number;
  sentAt: string;
  /** The merchant's HTTP status, or null when there was no answer (timeout, network error). */
  status: number | null;
  responseBody: string | null;
  error: string | null;
  durationMs: number;
}

export type ValidateResult =
  | { kind: 'proceed'; reference: string | null }
  | { kind: 'redirect'; location: string }
  | { kind: 'declined'; title: string | null; body: string | null };

export interface CallbackOptions {
  validateTimeoutMs: number;
  notificationRetryDelaysMs: readonly number[];
  notificationTimeoutMs: number;
  /** Entries the delivery log keeps (the newest); default 1000. */
  maxLog?: number;
}

/** What `GET /sandbox/callbacks` may filter on. */
export interface DeliveryFilter {
  kind?: CallbackDelivery['kind'];
  /** Deliveries whose body names this orderId. */
  orderId?: string;
  /** Deliveries whose body names this sessionId (session-level notifications). */
  sessionId?: string;
}

const MAX_LOGGED_BODY = 4096;

interface Attempt {
  status: number | null;
  headers: Headers | null;
  text: string | null;
  error: string | null;
}

export class CallbackDispatcher {
  readonly deliveries: CallbackDelivery[] = [];
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly inFlight = new Set<AbortController>();
  private closed = false;
  /** Bumped by `cancelPending()` so retry loops started before it stop. */
  private generation = 0;

  constructor(private readonly options: CallbackOptions) {}

  async validate(url: string, body: Record<string, unknown>): Promise<ValidateResult> {
    const result = await this.post('validate', url, body, 1, this.options.validateTimeoutMs);
    const status = result.status;
    if (status === 200) {
      const reference = readJson(result.text)?.['reference'];
      // Ledyer caps references at 50 characters; a longer one is not applied.
      return { kind: 'proceed', reference: typeof reference === 'string' && reference.length <= 50 ? reference : null };
    }
    if (status === 303) {
      const location = result.headers?.get('location');
      // Returned raw: the caller fills `{order.id}` / `{session.id}` before resolving it against `url`.
      if (location) return { kind: 'redirect', location };
    }
    if (status === 400) return { kind: 'declined', title: null, body: null };
    if (status === 422) {
      const answer = readJson(result.text);
      const text = (value: unknown): string | null => (typeof value === 'string' && value !== '' ? value : null);
      return { kind: 'declined', title: text(answer?.['title']), body: text(answer?.['body']) };
    }
    // No answer in time, no connection, or an answer outside Ledyer's list: Ledyer's rule is
    // that a silent merchant does not block the buyer, and the sandbox extends that to the rest.
    return { kind: 'proceed', reference: null };
  }

  /**
   * Delivers one notification. Resolves after the first attempt so callers can keep the order
   * of events; the retries continue in the background until a 200, the end of the schedule,
   * or `close()`.
   */
  async notify(url: string, body: Record<string, unknown>): Promise<void> {
    if (this.closed) return;
    const generation = this.generation;
    const stopped = (): boolean => this.closed || generation !== this.generation;
    const first = await this.post('notification', url, body, 1, this.options.notificationTimeoutMs);
    if (first.status === 200 || stopped()) return;
    void this.retry(url, body, stopped);
  }

  private async retry(url: string, body: Record<string, unknown>, stopped: () => boolean): Promise<void> {
    const delays = [0, ...this.options.notificationRetryDelaysMs];
    for (let index = 0; index < delays.length; index += 1) {
      const delay = delays[index] ?? 0;
      if (delay > 0) await this.sleep(delay);
      if (stopped()) return;
      const attempt = await this.post('notification', url, body, index + 2, this.options.notificationTimeoutMs);
      if (attempt.status === 200 || stopped()) return;
    }
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.timers.delete(timer);
        resolve();
      }, ms);
      this.timers.add(timer);
    });
  }

  private async post(kind: CallbackDelivery['kind'], url: string, body: Record<string, unknown>, attempt: number, timeoutMs: number): Promise<Attempt> {
    const controller = new AbortController();
    this.inFlight.add(controller);
    const timer = setTimeout(() => controller.abort(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
    const started = Date.now();
    let result: Attempt;
    try {
      const response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'user-agent': 'ledyer-sandbox' },
        body: JSON.stringify(body),
        // A 303 from validate is an answer to read, not a redirect to follow.
        redirect: 'manual',
        signal: controller.signal,
      });
      const text = await response.text();
      result = { status: response.status, headers: response.headers, text, error: null };
    } catch (error) {
      const reason = controller.signal.aborted ? controller.signal.reason : error;
      result = { status: null, headers: null, text: null, error: reason instanceof Error ? reason.message : String(reason) };
    } finally {
      clearTimeout(timer);
      this.inFlight.delete(controller);
    }
    this.deliveries.push({
      kind,
      url,
      body,
      attempt,
      sentAt: new Date(started).toISOString(),
      status: result.status,
      responseBody: result.text === null ? null : result.text.slice(0, MAX_LOGGED_BODY),
      error: result.error,
      durationMs: Date.now() - started,
    });
    const overflow = this.deliveries.length - (this.options.maxLog ?? 1000);
    if (overflow > 0) this.deliveries.splice(0, overflow);
    return result;
  }

  /** The log, oldest first, narrowed by `filter`. */
  log(filter: DeliveryFilter = {}): CallbackDelivery[] {
    return this.deliveries.filter(
      (delivery) =>
        (filter.kind === undefined || delivery.kind === filter.kind) &&
        (filter.orderId === undefined || delivery.body['orderId'] === filter.orderId) &&
        (filter.sessionId === undefined || delivery.body['sessionId'] === filter.sessionId),
    );
  }

  clearLog(): void {
    this.deliveries.length = 0;
  }

  /** Cancels scheduled retries and aborts calls in flight (the control API's reset). */
  cancelPending(): void {
    this.generation += 1;
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    for (const controller of this.inFlight) controller.abort(new Error('sandbox reset or closed'));
  }

  /** As `cancelPending()`, and nothing is sent afterwards. */
  close(): void {
    this.closed = true;
    this.cancelPending();
  }
}

function readJson(text: string | null): Record<string, unknown> | null {
  if (!text) return null;
  try {
    const value: unknown = JSON.parse(text);
    return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}
