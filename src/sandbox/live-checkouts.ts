/**
 * The live channel from the sandbox to its open hosted pages: Server-Sent Events at
 * `GET /checkout/{sessionId}/events` (the page's CSP allows `connect-src 'self'`). It is
 * sandbox-only: nothing public says Ledyer has one. Through it the control API
 * (`/sandbox/sessions/{id}/complete|pending|expire`) drives an open checkout exactly as a
 * buyer would:
 *
 *   control API ── `buy` event ──▶ page
 *   page ── POST …/commands/{commandId} { state: 'started' } ──▶ sandbox   (within acknowledgeTimeoutMs)
 *   page runs its buy flow: test defaults, client validation, POST …/purchase { commandId }
 *   the purchase route settles the command with the core's outcome (the truth), and the
 *   page says `shown` once it has shown it and posted the event to bootstrap.js, so the
 *   control API answers after the merchant's page was told, as after a buyer's purchase.
 *   A denial by client validation (which never reaches the server) the page reports itself.
 *
 * No page, a page that does not acknowledge in time, or one that leaves before it is done:
 * `drive` says so and the caller buys server-side instead. Subscribers are capped per
 * session and in total, dropped when their connection closes, and all closed by `close()`.
 */
import type { CheckoutOutcome, SandboxPaymentMethod } from './checkout-service.js';

export interface LiveCheckoutOptions {
  /** Open pages of one session (tabs, reloads) that may listen at once. */
  maxPagesPerSession: number;
  /** Open pages of all sessions together. */
  maxPages: number;
  /** How long a page has to say it started a command before the sandbox buys server-side. */
  acknowledgeTimeoutMs: number;
  /** How long a started command may run: client validation (10 s) and the validate URL (6 s) fit. */
  outcomeTimeoutMs: number;
  /** How long a settled command waits for the page's `shown` before it answers anyway. */
  shownTimeoutMs: number;
  /** A comment line this often keeps idle connections open through proxies and shows dead ones. */
  heartbeatMs: number;
  /**
   * A page served this recently may still be opening its channel: a command waits for it
   * (up to `acknowledgeTimeoutMs`) instead of buying server-side under a loading page.
   */
  connectGraceMs: number;
}

export const DEFAULT_LIVE_CHECKOUT_OPTIONS: Readonly<LiveCheckoutOptions> = Object.freeze({
  maxPagesPerSession: 8,
  maxPages: 256,
  acknowledgeTimeoutMs: 3000,
  outcomeTimeoutMs: 30_000,
  shownTimeoutMs: 5000,
  heartbeatMs: 15_000,
  connectGraceMs: 5000,
});

/** What the control API asks an open page to do. */
export interface BuyCommand {
  /** `pending` buys as the signatory-required test company, `complete` as one that can sign. */
  outcome: 'complete' | 'pending';
  /** The payment method to choose; null keeps the buyer's choice. */
  paymentMethod: SandboxPaymentMethod | null;
}

/** Server → page, one SSE event each: the event name is `type`, the data the JSON of the rest. */
export type LiveEvent = ({ type: 'buy'; commandId: string } & BuyCommand) | { type: 'expired'; message: string };

/** Page → server about a command it received (`POST /checkout/{sessionId}/commands/{commandId}`). */
export type CommandReport =
  | { state: 'started' }
  /** The page showed the purchase's outcome and told the merchant's page. */
  | { state: 'shown' }
  /** This page cannot buy (already bought, expired): let the sandbox answer. */
  | { state: 'unavailable' }
  | { state: 'denied'; title: string | null; body: string | null }
  | { state: 'error'; message: string };

export type DriveResult =
  | { kind: 'settled'; outcome: CheckoutOutcome }
  /** Nobody listens for this session. */
  | { kind: 'no-page' }
  /** A page was told but did not take the command (no answer in time, gone, or unavailable). */
  | { kind: 'no-answer' }
  /** The page started the purchase but did not finish it within `outcomeTimeoutMs`. */
  | { kind: 'timeout' };

export type SubscribeResult =
  | { ok: true; stream: ReadableStream<Uint8Array> }
  | { ok: false; reason: 'session-full' | 'server-full' | 'closed'; message: string };

interface LivePage {
  sessionId: string;
  controller: ReadableStreamDefaultController<Uint8Array>;
}

interface PendingCommand {
  sessionId: string;
  page: LivePage;
  started: boolean;
  /** The server's outcome of the page's purchase, once the purchase route has it. */
  outcome: CheckoutOutcome | null;
  timer: ReturnType<typeof setTimeout>;
  finish(result: DriveResult): void;
}

/** Sessions whose page was served recently; only a hint, so old entries are simply dropped. */
const MAX_SERVED_ENTRIES = 1024;
/**
 * Commands that already answered, by id → session: a page on a slow machine may say `shown`
 * after `shownTimeoutMs` answered for it, and that late report is no error. Only a hint too.
 */
const MAX_FINISHED_ENTRIES = 1024;

const encoder = new TextEncoder();

export class LiveCheckouts {
  readonly options: Readonly<LiveCheckoutOptions>;
  private readonly pages = new Map<string, Set<LivePage>>();
  private readonly commands = new Map<string, PendingCommand>();
  private readonly served = new Map<string, number>();
  private readonly finished = new Map<string, string>();
  private readonly waiters = new Map<string, Set<(page: LivePage | null) => void>>();
  private heartbeat: ReturnType<typeof setInterval> | undefined;
  private total = 0;
  private closed = false;

  constructor(options: Partial<LiveCheckoutOptions> = {}) {
    this.options = Object.freeze({ ...DEFAULT_LIVE_CHECKOUT_OPTIONS, ...options });
  }

  /** Open pages listening for `sessionId`, or for every session. */
  pageCount(sessionId?: string): number {
    return sessionId === undefined ? this.total : (this.pages.get(sessionId)?.size ?? 0);
  }

  /** The page route calls this when it serves an open session's page (see `connectGraceMs`). */
  pageServed(sessionId: string): void {
    this.served.delete(sessionId);
    this.served.set(sessionId, Date.now());
    if (this.served.size > MAX_SERVED_ENTRIES) {
      const oldest = this.served.keys().next().value;
      if (oldest !== undefined) this.served.delete(oldest);
    }
  }

  /** A new page's event stream; it ends when the page disconnects (cancel) or on `expire`/`close`. */
  subscribe(sessionId: string): SubscribeResult {
    if (this.closed) return { ok: false, reason: 'closed', message: 'the sandbox is shutting down' };
    const pages = this.pages.get(sessionId) ?? new Set<LivePage>();
    if (pages.size >= this.options.maxPagesPerSession) {
      return { ok: false, reason: 'session-full', message: `this session already has ${pages.size} open pages listening (the limit)` };
    }
    if (this.total >= this.options.maxPages) {
      return { ok: false, reason: 'server-full', message: `the sandbox already has ${this.total} open pages listening (the limit)` };
    }
    let page: LivePage | undefined;
    const stream = new ReadableStream<Uint8Array>({
      start: (controller) => {
        page = { sessionId, controller };
        pages.add(page);
        this.pages.set(sessionId, pages);
        this.total += 1;
        // `retry` paces EventSource's reconnects; the comment makes the response start at once.
        controller.enqueue(encoder.encode('retry: 2000\n: connected\n\n'));
        this.startHeartbeat();
        const waiting = this.waiters.get(sessionId);
        this.waiters.delete(sessionId);
        for (const wake of waiting ?? []) wake(page);
      },
      cancel: () => {
        if (page) this.remove(page);
      },
    });
    return { ok: true, stream };
  }

  /**
   * Asks the newest open page of the session to buy, and waits for what came of it.
   * Resolves, never rejects; every path is bounded by the options' timeouts.
   */
  async drive(sessionId: string, command: BuyCommand): Promise<DriveResult> {
    let page = this.newestPage(sessionId);
    if (!page && this.recentlyServed(sessionId)) page = (await this.waitForPage(sessionId)) ?? undefined;
    if (!page || this.closed) return { kind: 'no-page' };
    const target = page;
    const commandId = crypto.randomUUID();
    return new Promise<DriveResult>((resolve) => {
      const pending: PendingCommand = {
        sessionId,
        page: target,
        started: false,
        outcome: null,
        timer: setTimeout(() => pending.finish({ kind: 'no-answer' }), this.options.acknowledgeTimeoutMs),
        finish: (result) => {
          if (this.commands.get(commandId) !== pending) return;
          clearTimeout(pending.timer);
          this.commands.delete(commandId);
          this.rememberFinished(commandId, sessionId);
          resolve(result);
        },
      };
      this.commands.set(commandId, pending);
      this.send(target, { type: 'buy', commandId, ...command });
    });
  }

  /**
   * A page reports on a command. Answers false when there is no such command for this
   * session (unknown, already settled, or timed out): the page must then not buy.
   */
  report(sessionId: string, commandId: string, report: CommandReport): boolean {
    const pending = this.commands.get(commandId);
    if (!pending || pending.sessionId !== sessionId) {
      // Too late to start (the sandbox may have bought server-side), but a report about a
      // command that already answered changes nothing and is acknowledged.
      return report.state !== 'started' && this.finished.get(commandId) === sessionId;
    }
    switch (report.state) {
      case 'started':
        if (!pending.started) {
          pending.started = true;
          clearTimeout(pending.timer);
          pending.timer = setTimeout(() => pending.finish({ kind: 'timeout' }), this.options.outcomeTimeoutMs);
        }
        return true;
      case 'shown':
        if (!pending.outcome) return false;
        pending.finish({ kind: 'settled', outcome: pending.outcome });
        return true;
      case 'unavailable':
        pending.finish({ kind: 'no-answer' });
        return true;
      case 'denied':
        pending.finish({ kind: 'settled', outcome: { kind: 'denied', title: report.title, body: report.body } });
        return true;
      case 'error':
        pending.finish({ kind: 'settled', outcome: { kind: 'error', message: report.message } });
        return true;
    }
  }

  /**
   * The purchase route settles a command with the server's own outcome of its purchase;
   * the command answers once the page says it showed it (or after `shownTimeoutMs`).
   */
  settle(sessionId: string, commandId: string, outcome: CheckoutOutcome): boolean {
    const pending = this.commands.get(commandId);
    if (!pending || pending.sessionId !== sessionId || !pending.started || pending.outcome) return false;
    pending.outcome = outcome;
    clearTimeout(pending.timer);
    pending.timer = setTimeout(() => pending.finish({ kind: 'settled', outcome }), this.options.shownTimeoutMs);
    return true;
  }

  /** Tells the session's open pages it expired, then ends their streams. Answers how many were told. */
  expire(sessionId: string, message: string): number {
    const pages = [...(this.pages.get(sessionId) ?? [])];
    for (const page of pages) {
      this.send(page, { type: 'expired', message });
      this.end(page);
    }
    return pages.length;
  }

  /** Ends every stream, answers every waiting command, stops every timer. Idempotent. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    for (const pages of [...this.pages.values()]) for (const page of [...pages]) this.end(page);
    for (const pending of [...this.commands.values()]) pending.finish(pending.outcome ? { kind: 'settled', outcome: pending.outcome } : { kind: 'no-answer' });
    for (const waiting of this.waiters.values()) for (const wake of waiting) wake(null);
    this.waiters.clear();
    this.served.clear();
    this.finished.clear();
    this.stopHeartbeat();
  }

  private rememberFinished(commandId: string, sessionId: string): void {
    this.finished.set(commandId, sessionId);
    if (this.finished.size > MAX_FINISHED_ENTRIES) {
      const oldest = this.finished.keys().next().value;
      if (oldest !== undefined) this.finished.delete(oldest);
    }
  }

  private newestPage(sessionId: string): LivePage | undefined {
    return [...(this.pages.get(sessionId) ?? [])].at(-1);
  }

  private recentlyServed(sessionId: string): boolean {
    const at = this.served.get(sessionId);
    return at !== undefined && Date.now() - at <= this.options.connectGraceMs;
  }

  private waitForPage(sessionId: string): Promise<LivePage | null> {
    return new Promise((resolve) => {
      const waiting = this.waiters.get(sessionId) ?? new Set();
      const wake = (page: LivePage | null): void => {
        clearTimeout(timer);
        waiting.delete(wake);
        resolve(page);
      };
      const timer = setTimeout(() => {
        waiting.delete(wake);
        if (waiting.size === 0 && this.waiters.get(sessionId) === waiting) this.waiters.delete(sessionId);
        resolve(null);
      }, this.options.acknowledgeTimeoutMs);
      waiting.add(wake);
      this.waiters.set(sessionId, waiting);
    });
  }

  private send(page: LivePage, event: LiveEvent): void {
    const { type, ...data } = event;
    this.write(page, `event: ${type}\ndata: ${JSON.stringify(data)}\n\n`);
  }

  private write(page: LivePage, text: string): void {
    try {
      page.controller.enqueue(encoder.encode(text));
    } catch {
      // The stream is already closed: the page is gone.
      this.remove(page);
    }
  }

  private end(page: LivePage): void {
    this.remove(page);
    try {
      page.controller.close();
    } catch {
      // Already closed or cancelled.
    }
  }

  private remove(page: LivePage): void {
    const pages = this.pages.get(page.sessionId);
    if (!pages?.delete(page)) return;
    this.total -= 1;
    if (pages.size === 0) this.pages.delete(page.sessionId);
    for (const pending of [...this.commands.values()]) {
      // A page that leaves mid-command cannot finish it; the caller decides what to do instead.
      // One that leaves after its purchase (a redirect navigates it away) still bought.
      if (pending.page === page) pending.finish(pending.outcome ? { kind: 'settled', outcome: pending.outcome } : { kind: 'no-answer' });
    }
    if (this.total === 0) this.stopHeartbeat();
  }

  private startHeartbeat(): void {
    if (this.heartbeat !== undefined) return;
    this.heartbeat = setInterval(() => {
      for (const pages of [...this.pages.values()]) for (const page of [...pages]) this.write(page, ': ping\n\n');
    }, this.options.heartbeatMs);
    // Open pages alone must not keep a process alive that is otherwise done.
    this.heartbeat.unref?.();
  }

  private stopHeartbeat(): void {
    clearInterval(this.heartbeat);
    this.heartbeat = undefined;
  }
}
