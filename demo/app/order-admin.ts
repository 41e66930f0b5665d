/**
 * The "order admin" panel: what a merchant's back office does after the purchase. The order
 * entity is fetched server-side (`GET v1/orders/{orderId}`); edits, capture and cancel go
 * through the shop's server, which re-prices nothing the browser sends: an edit only
 * changes quantities of the order's own uncaptured lines.
 */
import type { OrderAdminView } from '../api-types.js';
import type { Order, OrderChunk } from '../../src/server/schemas.js';
import { shopApi } from './api.js';
import { h, replaceChildren } from './dom.js';
import { formatMoney, formatVat } from './money.js';

const dateTime = new Intl.DateTimeFormat('en-GB', { dateStyle: 'medium', timeStyle: 'medium' });

function when(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : dateTime.format(date);
}

function actions(order: Order): Set<string> {
  return new Set((order.uncaptured?.availableActions ?? []).map((action) => action.type));
}

export class OrderAdmin {
  private view: OrderAdminView | null = null;
  private busy = false;

  constructor(
    private readonly root: HTMLElement,
    private readonly orderId: string,
  ) {}

  async load(): Promise<void> {
    await this.run('Loading the order…', () => shopApi.order(this.orderId), 'Order loaded.');
  }

  private async run(pending: string, work: () => Promise<OrderAdminView>, done: string): Promise<void> {
    if (this.busy) return;
    this.busy = true;
    this.render(pending, 'pending');
    try {
      this.view = await work();
      this.busy = false;
      this.render(done, 'ok');
    } catch (error) {
      this.busy = false;
      this.render(error instanceof Error ? error.message : String(error), 'error');
    }
  }

  private render(message: string, tone: 'pending' | 'ok' | 'error'): void {
    const status = h('p', { class: `admin-status admin-status-${tone}`, role: tone === 'error' ? 'alert' : 'status' }, message);
    if (!this.view) {
      replaceChildren(this.root, status);
      return;
    }
    const { order, notifications } = this.view;
    const available = actions(order);
    const currency = order.orderAmount.currency;
    replaceChildren(
      this.root,
      h(
        'dl',
        { class: 'admin-summary' },
        summary('Order', order.id, 'order-id'),
        summary('Reference', order.merchantReference, 'order-reference'),
        summary('Status', order.status.join(', ') || '—', 'order-status'),
        summary('Authorization', order.authorizeStatus),
        summary('Order amount', order.orderAmount.formattedWithCurrency, 'order-amount'),
        summary('Uncaptured', order.uncapturedAmount.formattedWithCurrency, 'uncaptured-amount'),
        summary('Captured', order.capturedAmount.formattedWithCurrency, 'captured-amount'),
        summary('Customer', [order.customer.companyName, order.customer.companyId].filter(Boolean).join(' · ') || '—'),
      ),
      order.uncaptured ? this.uncapturedForm(order.uncaptured, available, currency) : h('p', { class: 'muted' }, 'No uncaptured order lines.'),
      order.captured.map((chunk) => chunkTable(`Captured ${when(chunk.createdAt)}`, chunk)),
      h(
        'div',
        { class: 'admin-actions' },
        this.actionButton('Capture', 'capture', available.has('capture'), () =>
          this.run('Capturing…', () => shopApi.capture(this.orderId), 'Order captured.'),
        ),
        this.actionButton('Cancel order', 'cancel', available.has('cancel'), () =>
          this.run('Cancelling…', () => shopApi.cancel(this.orderId), 'Order cancelled.'),
        ),
        this.actionButton('Refresh', 'refresh', true, () => this.load()),
      ),
      status,
      h('h3', {}, 'Order events'),
      h(
        'table',
        { class: 'admin-table', 'data-table': 'events' },
        h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Event'), h('th', { scope: 'col' }, 'Amount'), h('th', { scope: 'col' }, 'When'))),
        h(
          'tbody',
          {},
          order.events.map((event) =>
            h(
              'tr',
              { 'data-event-type': event.type },
              h('td', {}, event.type),
              h('td', { class: 'number' }, event.amount.formattedWithCurrency),
              h('td', {}, when(event.createdAt)),
            ),
          ),
        ),
      ),
      h('h3', {}, 'Webhooks received by the shop'),
      notifications.length === 0
        ? h('p', { class: 'muted' }, 'None yet.')
        : h(
            'ul',
            { class: 'admin-notifications' },
            notifications.map((notification) => h('li', {}, h('code', {}, notification.eventType), ` · ${when(notification.receivedAt)}`)),
          ),
    );
  }

  private actionButton(label: string, name: string, enabled: boolean, onClick: () => Promise<void>): HTMLButtonElement {
    const button = h(
      'button',
      { type: 'button', class: name === 'cancel' ? 'button button-danger' : 'button', 'data-action': name, disabled: !enabled || this.busy },
      label,
    );
    button.addEventListener('click', () => void onClick());
    return button;
  }

  private uncapturedForm(chunk: OrderChunk, available: Set<string>, currency: string): HTMLElement {
    const editable = available.has('editOrder');
    const inputs = new Map<string, HTMLInputElement>();
    const form = h(
      'form',
      { class: 'admin-edit', 'aria-label': 'Edit uncaptured order lines' },
      h('h3', {}, 'Uncaptured order lines'),
      h(
        'table',
        { class: 'admin-table', 'data-table': 'lines' },
        h(
          'thead',
          {},
          h(
            'tr',
            {},
            h('th', { scope: 'col' }, 'Item'),
            h('th', { scope: 'col', class: 'number' }, 'Unit price'),
            h('th', { scope: 'col', class: 'number' }, 'VAT'),
            h('th', { scope: 'col', class: 'number' }, 'Quantity'),
            h('th', { scope: 'col', class: 'number' }, 'Total'),
          ),
        ),
        h(
          'tbody',
          {},
          chunk.orderLines.map((line) => {
            const id = `edit-qty-${line.reference}`;
            const input = h('input', {
              id,
              type: 'number',
              inputmode: 'numeric',
              min: 0,
              max: 999,
              value: line.quantity,
              class: 'quantity-input',
              disabled: !editable || this.busy,
              'data-reference': line.reference,
            });
            inputs.set(line.reference, input);
            return h(
              'tr',
              { 'data-reference': line.reference },
              h('th', { scope: 'row' }, h('label', { for: id }, line.description), h('span', { class: 'muted' }, ` ${line.reference}`)),
              h('td', { class: 'number' }, line.unitPrice === undefined ? '—' : formatMoney(line.unitPrice, currency)),
              h('td', { class: 'number' }, formatVat(line.vat)),
              h('td', { class: 'number' }, input),
              h('td', { class: 'number' }, formatMoney(line.totalAmount, currency)),
            );
          }),
        ),
        h(
          'tfoot',
          {},
          h(
            'tr',
            {},
            h('th', { scope: 'row', colspan: 4 }, 'Uncaptured total'),
            h('td', { class: 'number', 'data-total': 'uncaptured' }, chunk.totalOrderAmount.formattedWithCurrency),
          ),
        ),
      ),
      h(
        'p',
        { class: 'muted' },
        editable
          ? 'Change quantities (0 removes a line) and save: the shop sends the new lines and totals to Ledyer with an Idempotency-Key.'
          : 'Ledyer does not offer editOrder on this order any more.',
      ),
      h('button', { type: 'submit', class: 'button button-primary', 'data-action': 'edit', disabled: !editable || this.busy }, 'Save quantities'),
    );
    // One key per edit the user asks for: a double submit or a retried request is applied once.
    let pendingKey: string | null = null;
    let pendingBody = '';
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      const lines = [...inputs].map(([reference, input]) => ({ reference, quantity: Math.max(0, Math.trunc(input.valueAsNumber) || 0) }));
      const body = JSON.stringify(lines);
      if (pendingKey === null || body !== pendingBody) {
        pendingKey = crypto.randomUUID();
        pendingBody = body;
      }
      const key = pendingKey;
      void this.run('Saving the edit…', () => shopApi.editOrder(this.orderId, { lines }, key), 'Order edited.');
    });
    return form;
  }
}

function summary(term: string, value: string, testId?: string): HTMLElement {
  return h('div', {}, h('dt', {}, term), h('dd', testId ? { 'data-field': testId } : {}, value));
}

function chunkTable(title: string, chunk: OrderChunk): HTMLElement {
  return h(
    'section',
    { class: 'admin-chunk' },
    h('h3', {}, title),
    h(
      'ul',
      {},
      chunk.orderLines.map((line) => h('li', {}, `${line.quantity} × ${line.description} (${line.reference})`)),
    ),
    h('p', {}, `Total ${chunk.totalOrderAmount.formattedWithCurrency}`),
  );
}
