/**
 * What the order admin draws: the summary, the uncaptured lines (edit, capture part, capture
 * the rest, cancel), each captured ledger with what is left to refund (refund part or all),
 * the refunds, Ledyer's order events and the notifications the shop received. Pure DOM
 * building; what a button does comes in as `AdminActions`. While an action runs, the panel
 * disables them all at once (a disabled fieldset), so each keeps its own disabled state.
 */
import type { CapturedLedgerView, OrderAdminView, PartialRefundRequestBody } from '../api-types.js';
import type { Order, OrderChunk } from '../../src/server/schemas.js';
import { keyPerAction } from './action-key.js';
import { h } from './dom.js';
import { formatMoney, formatVat } from './money.js';

export interface AdminActions {
  edit(lines: Array<{ reference: string; quantity: number }>, key: string): void;
  partialCapture(lines: Array<{ lineId: string; quantity: number }>, key: string): void;
  captureRest(key: string): void;
  cancel(key: string): void;
  refundLedger(ledgerId: string, key: string): void;
  partialRefund(ledgerId: string, lines: PartialRefundRequestBody['lines'], key: string): void;
  refresh(): void;
  /** A mistake in the form itself, said before anything is sent. */
  complain(message: string): void;
}

const dateTime = new Intl.DateTimeFormat('en-GB', { dateStyle: 'medium', timeStyle: 'medium' });

export function when(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : dateTime.format(date);
}

const actionsOf = (chunk: OrderChunk | null): Set<string> => new Set((chunk?.availableActions ?? []).map((action) => action.type));
const wholeNumber = (input: HTMLInputElement): number => Math.max(0, Math.trunc(input.valueAsNumber) || 0);

function summaryItem(term: string, value: string, field: string): HTMLElement {
  return h('div', {}, h('dt', {}, term), h('dd', { 'data-field': field }, value));
}

export function summary(view: OrderAdminView): HTMLElement {
  const { order, paymentStatus } = view;
  const method = paymentStatus.paymentMethod ?? order.paymentMethod;
  return h(
    'dl',
    { class: 'admin-summary' },
    summaryItem('Order', order.id, 'order-id'),
    summaryItem('Shop order number', view.shopOrderNumber ?? 'not yet (given on Ledyer’s create notification)', 'shop-order-number'),
    summaryItem('Reference (on the invoice)', order.merchantReference, 'order-reference'),
    summaryItem('Status', order.status.join(', ') || '—', 'order-status'),
    summaryItem('Payment status (Ledyer)', paymentStatus.status, 'payment-status'),
    summaryItem('Payment method', method ? `${method.type} (${method.provider})` : '—', 'payment-method'),
    summaryItem('Order amount', order.orderAmount.formattedWithCurrency, 'order-amount'),
    summaryItem('Uncaptured', order.uncapturedAmount.formattedWithCurrency, 'uncaptured-amount'),
    summaryItem('Captured', order.capturedAmount.formattedWithCurrency, 'captured-amount'),
    summaryItem('Refunded', order.refundedAmount.formattedWithCurrency, 'refunded-amount'),
    summaryItem('Customer', [order.customer.companyName, order.customer.companyId].filter(Boolean).join(' · ') || '—', 'customer'),
  );
}

function headRow(...cells: Array<[string, boolean?]>): HTMLElement {
  return h('thead', {}, h('tr', {}, cells.map(([text, number]) => h('th', { scope: 'col', class: number ? 'number' : null }, text))));
}

function quantityInput(id: string, label: string, value: number, max: number, disabled: boolean, form: string): [HTMLLabelElement, HTMLInputElement] {
  return [
    h('label', { for: id, class: 'visually-hidden' }, label),
    h('input', { id, type: 'number', inputmode: 'numeric', min: 0, max, value, class: 'quantity-input', disabled, form }),
  ];
}

function itemCell(description: string, reference: string): HTMLElement {
  return h('th', { scope: 'row' }, description, h('span', { class: 'muted' }, ` ${reference}`));
}

/** The uncaptured ledger: quantities to edit, quantities to capture now, and the order-wide actions. */
export function uncapturedSection(order: Order, actions: AdminActions): HTMLElement {
  const chunk = order.uncaptured;
  const available = actionsOf(chunk);
  const currency = order.orderAmount.currency;
  const cancel = h('button', { type: 'button', class: 'button button-danger', 'data-action': 'cancel', disabled: !available.has('cancel') }, 'Cancel order');
  const cancelKey = keyPerAction();
  cancel.addEventListener('click', () => actions.cancel(cancelKey('cancel')));
  if (!chunk || chunk.orderLines.length === 0) {
    return h('section', { class: 'admin-block', 'aria-labelledby': 'admin-uncaptured' }, h('h3', { id: 'admin-uncaptured' }, 'Uncaptured order lines'), h('p', { class: 'muted' }, 'No uncaptured order lines.'), h('div', { class: 'admin-actions' }, cancel));
  }
  const editable = available.has('editOrder');
  const capturable = available.has('partialCapture');
  const editInputs = new Map<string, HTMLInputElement>();
  const captureInputs = new Map<string, HTMLInputElement>();
  const rows = chunk.orderLines.map((line) => {
    const [editLabel, editInput] = quantityInput(`edit-qty-${line.id}`, `Quantity of ${line.description}`, line.quantity, 999, !editable, 'admin-edit-form');
    const [captureLabel, captureInput] = quantityInput(`capture-qty-${line.id}`, `Capture now: ${line.description}`, 0, line.quantity, !capturable, 'admin-capture-form');
    editInputs.set(line.reference, editInput);
    captureInputs.set(line.id, captureInput);
    return h(
      'tr',
      { 'data-line-id': line.id, 'data-reference': line.reference },
      itemCell(line.description, line.reference),
      h('td', { class: 'number' }, line.unitPrice === undefined ? '—' : formatMoney(line.unitPrice, currency)),
      h('td', { class: 'number' }, formatVat(line.vat)),
      h('td', { class: 'number' }, editLabel, editInput),
      h('td', { class: 'number' }, captureLabel, captureInput),
      h('td', { class: 'number' }, formatMoney(line.totalAmount, currency)),
    );
  });

  const editKey = keyPerAction();
  const editForm = h('form', { id: 'admin-edit-form', 'aria-label': 'Edit uncaptured order lines' }, h('button', { type: 'submit', class: 'button', 'data-action': 'edit', disabled: !editable }, 'Save quantities'));
  editForm.addEventListener('submit', (event) => {
    event.preventDefault();
    const lines = [...editInputs].map(([reference, input]) => ({ reference, quantity: wholeNumber(input) }));
    actions.edit(lines, editKey(lines));
  });
  const captureKey = keyPerAction();
  const captureForm = h('form', { id: 'admin-capture-form', 'aria-label': 'Capture what shipped' }, h('button', { type: 'submit', class: 'button button-primary', 'data-action': 'partial-capture', disabled: !capturable }, 'Capture selected'));
  captureForm.addEventListener('submit', (event) => {
    event.preventDefault();
    const lines = [...captureInputs].map(([lineId, input]) => ({ lineId, quantity: wholeNumber(input) })).filter((line) => line.quantity > 0);
    if (lines.length === 0) return actions.complain('Choose how many of at least one line shipped, then capture.');
    actions.partialCapture(lines, captureKey(lines));
  });
  const restKey = keyPerAction();
  const rest = h('button', { type: 'button', class: 'button', 'data-action': 'capture-rest', disabled: !available.has('capture') }, 'Capture the rest');
  rest.addEventListener('click', () => actions.captureRest(restKey('rest')));

  return h(
    'section',
    { class: 'admin-block', 'aria-labelledby': 'admin-uncaptured' },
    h('h3', { id: 'admin-uncaptured' }, 'Uncaptured order lines'),
    h(
      'div',
      { class: 'table-scroll' },
      h(
        'table',
        { class: 'admin-table', 'data-table': 'uncaptured' },
        headRow(['Item'], ['Unit price', true], ['VAT', true], ['Quantity', true], ['Capture now', true], ['Total', true]),
        h('tbody', {}, rows),
        h('tfoot', {}, h('tr', {}, h('th', { scope: 'row', colspan: 5 }, 'Uncaptured total'), h('td', { class: 'number', 'data-total': 'uncaptured' }, chunk.totalOrderAmount.formattedWithCurrency))),
      ),
    ),
    h(
      'p',
      { class: 'help' },
      editable
        ? 'Quantity: change and save to edit the order (0 removes a line). Capture now: how many shipped; capture them, or capture the rest at once. Each action is sent with its own Idempotency-Key.'
        : 'Ledyer does not offer editOrder on this order any more; what remains can still be captured.',
    ),
    h('div', { class: 'admin-actions' }, editForm, captureForm, rest, cancel),
  );
}

/** One captured ledger (an invoice): its lines, what is left to refund, and its refunds. */
export function capturedLedgerSection(order: Order, chunk: OrderChunk, ledger: CapturedLedgerView | undefined, actions: AdminActions): HTMLElement {
  const currency = order.orderAmount.currency;
  const left = new Map((ledger?.left ?? []).map((line) => [line.lineId, line]));
  const offered = actionsOf(chunk);
  // Ledyer lists refund actions per captured ledger; without a list, what is left decides.
  const refundable = (chunk.availableActions === undefined ? left.size > 0 : offered.has('partialRefund') || offered.has('refund'));
  const formId = `refund-form-${chunk.ledgerId}`;
  const inputs: Array<{ lineId: string; description: string; units: HTMLInputElement; amount: HTMLInputElement }> = [];
  const rows = chunk.orderLines.map((line) => {
    const rest = left.get(line.id);
    const can = refundable && rest !== undefined;
    const unitsId = `refund-units-${chunk.ledgerId}-${line.id}`;
    const amountId = `refund-amount-${chunk.ledgerId}-${line.id}`;
    const units = h('input', { id: unitsId, type: 'number', inputmode: 'numeric', min: 0, max: rest?.quantity ?? 0, value: 0, class: 'quantity-input', disabled: !can || rest?.unitAmount === null, form: formId });
    const amount = h('input', { id: amountId, type: 'number', inputmode: 'decimal', min: 0, step: 0.01, max: (rest?.totalAmount ?? 0) / 100, class: 'amount-input', disabled: !can, form: formId, placeholder: '0.00' });
    inputs.push({ lineId: line.id, description: line.description, units, amount });
    return h(
      'tr',
      { 'data-line-id': line.id, 'data-reference': line.reference },
      itemCell(`${line.quantity} × ${line.description}`, line.reference),
      h('td', { class: 'number' }, formatMoney(line.totalAmount, currency)),
      h('td', { class: 'number', 'data-left': line.reference }, rest ? formatMoney(rest.totalAmount, currency) : '—'),
      h('td', { class: 'number' }, h('label', { for: unitsId, class: 'visually-hidden' }, `Refund units of ${line.description}`), units),
      h('td', { class: 'number' }, h('label', { for: amountId, class: 'visually-hidden' }, `Refund amount in ${currency} of ${line.description}`), amount),
    );
  });
  const leftTotal = [...left.values()].reduce((sum, line) => sum + line.totalAmount, 0);

  const partKey = keyPerAction();
  const form = h('form', { id: formId, 'aria-label': `Refund part of ${chunk.ledgerId}` }, h('button', { type: 'submit', class: 'button', 'data-action': 'partial-refund', disabled: !refundable }, 'Refund selected'));
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const lines: PartialRefundRequestBody['lines'] = [];
    for (const { lineId, description, units, amount } of inputs) {
      const count = wholeNumber(units);
      // Typed in the currency; sent in minor units, as every amount is.
      const money = Number.isNaN(amount.valueAsNumber) ? 0 : Math.round(amount.valueAsNumber * 100);
      if (count > 0 && money > 0) return actions.complain(`Refund units or an amount of ${description}, not both.`);
      if (count > 0) lines.push({ lineId, quantity: count });
      else if (money > 0) lines.push({ lineId, amount: money });
    }
    if (lines.length === 0) return actions.complain(`Choose units or an amount of at least one line of ${chunk.ledgerId} to refund.`);
    actions.partialRefund(chunk.ledgerId, lines, partKey(lines));
  });
  const wholeKey = keyPerAction();
  const whole = h('button', { type: 'button', class: 'button button-danger', 'data-action': 'refund-ledger', disabled: !refundable || left.size === 0 }, 'Refund all that is left');
  whole.addEventListener('click', () => actions.refundLedger(chunk.ledgerId, wholeKey(chunk.ledgerId)));

  const refunds = order.refunded.filter((refund) => ledger?.refundLedgerIds.includes(refund.ledgerId));
  const headingId = `ledger-${chunk.ledgerId}`;
  return h(
    'section',
    { class: 'admin-block admin-ledger', 'data-ledger': chunk.ledgerId, 'aria-labelledby': headingId },
    h('h3', { id: headingId }, `Captured ledger ${chunk.ledgerId}`, h('span', { class: 'muted' }, ` · ${when(chunk.createdAt)}`)),
    h(
      'div',
      { class: 'table-scroll' },
      h(
        'table',
        { class: 'admin-table', 'data-table': 'captured' },
        headRow(['Captured'], ['Amount', true], ['Left to refund', true], ['Refund units', true], ['or amount', true]),
        h('tbody', {}, rows),
        h(
          'tfoot',
          {},
          h(
            'tr',
            {},
            h('th', { scope: 'row' }, 'Total'),
            h('td', { class: 'number', 'data-total': 'captured' }, chunk.totalOrderAmount.formattedWithCurrency),
            h('td', { class: 'number', 'data-total': 'left' }, formatMoney(leftTotal, currency)),
            h('td', { colspan: 2 }),
          ),
        ),
      ),
    ),
    h('div', { class: 'admin-actions' }, form, whole),
    refunds.length === 0 ? null : h('ul', { class: 'admin-refunds' }, refunds.map((refund) => refundItem(refund))),
  );
}

function refundItem(refund: OrderChunk): HTMLElement {
  const lines = refund.orderLines.map((line) => `${line.quantity} × ${line.description}`).join(', ');
  return h('li', { 'data-refund': refund.ledgerId }, `Refund ${refund.ledgerId} · ${when(refund.createdAt)}: ${lines} · ${refund.totalOrderAmount.formattedWithCurrency}`);
}

/** Refunds no captured ledger can be named for (e.g. made outside this shop on a line split between captures). */
export function otherRefunds(order: Order, ledgers: readonly CapturedLedgerView[]): HTMLElement | null {
  const attributed = new Set(ledgers.flatMap((ledger) => ledger.refundLedgerIds));
  const others = order.refunded.filter((refund) => !attributed.has(refund.ledgerId));
  if (others.length === 0) return null;
  return h('section', { class: 'admin-block' }, h('h3', {}, 'Other refunds'), h('ul', { class: 'admin-refunds' }, others.map(refundItem)));
}

export function eventsTable(order: Order): HTMLElement {
  return h(
    'section',
    { class: 'admin-block', 'aria-labelledby': 'admin-events' },
    h('h3', { id: 'admin-events' }, 'Order events (Ledyer’s, newest first)'),
    h(
      'div',
      { class: 'table-scroll' },
      h(
        'table',
        { class: 'admin-table', 'data-table': 'events' },
        headRow(['Event'], ['Ledger'], ['Amount', true], ['When']),
        h(
          'tbody',
          {},
          order.events.map((event) =>
            h(
              'tr',
              { 'data-event-type': event.type },
              h('td', {}, event.type),
              h('td', {}, h('code', {}, event.ledgerId)),
              h('td', { class: 'number' }, event.amount.formattedWithCurrency),
              h('td', {}, when(event.createdAt)),
            ),
          ),
        ),
      ),
    ),
  );
}

export function notificationsList(view: OrderAdminView): HTMLElement {
  return h(
    'section',
    { class: 'admin-block', 'aria-labelledby': 'admin-notifications' },
    h('h3', { id: 'admin-notifications' }, 'Notifications received by the shop'),
    h('p', { class: 'help' }, 'Ledyer does not sign them: the shop re-reads the order from Ledyer and shows the payment status Ledyer gave then.'),
    view.notifications.length === 0
      ? h('p', { class: 'muted' }, 'None yet.')
      : h(
          'ul',
          { class: 'admin-notifications' },
          view.notifications.map((notification) =>
            h(
              'li',
              { 'data-event-type': notification.eventType },
              h('code', {}, notification.eventType),
              notification.paymentStatus ? ` · Ledyer: ${notification.paymentStatus}` : '',
              ` · ${when(notification.receivedAt)}`,
            ),
          ),
        ),
  );
}
