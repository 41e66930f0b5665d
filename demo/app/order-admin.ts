/**
 * The "order admin" panel: what a merchant's back office does after the purchase. The order
 * and its payment status are read server-side from Ledyer; edits, captures, refunds and the
 * cancel go through the shop's server, which builds Ledyer's bodies from the order's own
 * lines: the browser only picks lines and quantities (or a refund amount).
 *
 * While it is open it re-reads the order every few seconds, so Ledyer's events and the
 * notifications the shop receives appear as they happen. The forms are redrawn only when
 * the ledgers changed and the admin has not started typing into them.
 */
import type { OrderAdminView } from '../api-types.js';
import { shopApi } from './api.js';
import { h, replaceChildren } from './dom.js';
import { capturedLedgerSection, eventsTable, notificationsList, otherRefunds, summary, uncapturedSection, type AdminActions } from './order-admin-view.js';

const REFRESH_MS = 2000;

/** The parts of a view the forms are drawn from. */
const ledgersOf = (view: OrderAdminView): string =>
  JSON.stringify([view.order.uncaptured, view.order.captured, view.order.refunded, view.ledgers, view.order.status]);

export class OrderAdmin {
  #view: OrderAdminView | null = null;
  #busy = false;
  /** The admin typed into a form since it was drawn: a refresh must not wipe that out. */
  #typing = false;
  readonly #stop = new AbortController();
  readonly #parts = {
    summary: h('div', { class: 'admin-part' }),
    // A fieldset: disabling it disables every control drawn in it while an action runs.
    forms: h('fieldset', { class: 'admin-part admin-forms' }),
    status: h('div', { class: 'admin-part' }),
    activity: h('div', { class: 'admin-part' }),
  };

  constructor(
    root: HTMLElement,
    private readonly orderId: string,
  ) {
    const { summary: top, forms, status, activity } = this.#parts;
    const refresh = h('button', { type: 'button', class: 'button button-small', 'data-action': 'refresh' }, 'Refresh');
    refresh.addEventListener('click', () => void this.#run('Reading the order…', () => shopApi.order(this.orderId), 'Order read again.'));
    replaceChildren(root, top, status, forms, h('div', { class: 'admin-actions' }, refresh), activity);
    forms.addEventListener('input', () => (this.#typing = true), { signal: this.#stop.signal });
  }

  /**
   * Shows the order. A pending purchase (awaiting a signatory) has no order at Ledyer yet:
   * the panel says so and asks Ledyer's state until the order exists.
   */
  async load(options: { pending?: boolean } = {}): Promise<void> {
    if (options.pending && !(await this.#orderExists())) return;
    await this.#run('Loading the order…', () => shopApi.order(this.orderId), 'Order loaded.');
    this.#keepFresh();
  }

  async #orderExists(): Promise<boolean> {
    this.#say('Ledyer creates the order once the signatory has signed; it appears here then.', 'pending');
    while (!this.#stop.signal.aborted) {
      await new Promise((resolve) => setTimeout(resolve, REFRESH_MS));
      if (this.#stop.signal.aborted) return false;
      const { state } = await shopApi.checkoutState(this.orderId).catch(() => ({ state: 'pending' as const }));
      if (state === 'complete') return true;
      if (state === 'cancelled') {
        this.#say('Ledyer cancelled the purchase before an order was created.', 'error');
        return false;
      }
    }
    return false;
  }

  /** Stops the refreshes; the panel's DOM is the caller's to remove. */
  dispose(): void {
    this.#stop.abort();
  }

  #keepFresh(): void {
    const timer = setInterval(() => {
      if (this.#busy || document.visibilityState !== 'visible') return;
      shopApi.order(this.orderId).then(
        (view) => {
          if (!this.#stop.signal.aborted && !this.#busy) this.#show(view, { forms: !this.#typing });
        },
        // A failed refresh changes nothing on screen; the next one tries again.
        () => undefined,
      );
    }, REFRESH_MS);
    this.#stop.signal.addEventListener('abort', () => clearInterval(timer), { once: true });
  }

  async #run(pending: string, work: () => Promise<OrderAdminView>, done: string): Promise<void> {
    if (this.#busy || this.#stop.signal.aborted) return;
    this.#busy = true;
    this.#parts.forms.disabled = true;
    this.#say(pending, 'pending');
    try {
      const view = await work();
      this.#typing = false;
      this.#show(view, { forms: true, force: true });
      this.#say(done, 'ok');
    } catch (error) {
      // The forms keep what the admin typed, so a refused refund can be corrected, not retyped.
      this.#say(error instanceof Error ? error.message : String(error), 'error');
    } finally {
      this.#busy = false;
      this.#parts.forms.disabled = false;
    }
  }

  #say(message: string, tone: 'pending' | 'ok' | 'error'): void {
    replaceChildren(this.#parts.status, h('p', { class: `admin-status admin-status-${tone}`, role: tone === 'error' ? 'alert' : 'status' }, message));
  }

  #show(view: OrderAdminView, options: { forms: boolean; force?: boolean }): void {
    const previous = this.#view;
    this.#view = view;
    replaceChildren(this.#parts.summary, summary(view));
    replaceChildren(this.#parts.activity, eventsTable(view.order), notificationsList(view));
    const changed = previous === null || ledgersOf(previous) !== ledgersOf(view);
    if (options.force || (options.forms && changed)) this.#draw(view);
  }

  #draw(view: OrderAdminView): void {
    const { order } = view;
    const actions: AdminActions = {
      edit: (lines, key) => void this.#run('Saving the edit…', () => shopApi.editOrder(this.orderId, { lines }, key), 'Order edited.'),
      partialCapture: (lines, key) =>
        void this.#run('Capturing what shipped…', () => shopApi.partialCapture(this.orderId, { lines }, key), 'Captured what shipped.'),
      captureRest: (key) => void this.#run('Capturing the rest…', () => shopApi.captureRest(this.orderId, key), 'Captured the rest.'),
      cancel: (key) => void this.#run('Cancelling…', () => shopApi.cancel(this.orderId, key), 'Order cancelled.'),
      refundLedger: (ledgerId, key) =>
        void this.#run(`Refunding ${ledgerId}…`, () => shopApi.refundLedger(this.orderId, ledgerId, key), `Refunded what was left of ${ledgerId}.`),
      partialRefund: (ledgerId, lines, key) =>
        void this.#run(`Refunding part of ${ledgerId}…`, () => shopApi.partialRefund(this.orderId, ledgerId, { lines }, key), `Refunded part of ${ledgerId}.`),
      refresh: () => void this.#run('Reading the order…', () => shopApi.order(this.orderId), 'Order read again.'),
      complain: (message) => this.#say(message, 'error'),
    };
    replaceChildren(
      this.#parts.forms,
      uncapturedSection(order, actions),
      order.captured.map((chunk) =>
        capturedLedgerSection(
          order,
          chunk,
          view.ledgers.find((ledger) => ledger.ledgerId === chunk.ledgerId),
          actions,
        ),
      ),
      otherRefunds(order, view.ledgers),
    );
  }
}
