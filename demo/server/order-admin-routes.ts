/**
 * The order admin's routes: the merchant's back office after the purchase. Each reads the
 * order from Ledyer, turns the admin's choice into Ledyer's body from the order's own lines
 * (ledger-requests.ts), sends it with the browser's Idempotency-Key (one per action the
 * admin asked for), and answers the order as Ledyer now holds it.
 *
 *   GET  /api/orders/{orderId}                                  the admin view
 *   POST /api/orders/{orderId}/edit                             { lines: [{ reference, quantity }] }
 *   POST /api/orders/{orderId}/partial-capture                  { lines: [{ lineId, quantity }] }
 *   POST /api/orders/{orderId}/capture                          {}  (the rest)
 *   POST /api/orders/{orderId}/ledgers/{ledgerId}/refund        {}  (what is left of that ledger)
 *   POST /api/orders/{orderId}/ledgers/{ledgerId}/partial-refund { lines: [{ lineId, quantity | amount }] }
 *   POST /api/orders/{orderId}/cancel                           {}
 *
 * Only orders this shop sold: the admin is no proxy to Ledyer's whole order API.
 */
import type { LedyerClient, Order } from '../../src/server/index.js';
import type { OrderAdminView } from '../api-types.js';
import type { CheckoutBook, CheckoutRecord } from './checkout-book.js';
import { createKeyedLock } from './keyed-lock.js';
import { capturedLedgerViews, captureBodyFor, partialRefundBodyFor } from './ledger-requests.js';
import { editedOrder } from './order-lines.js';
import {
  editBodySchema,
  emptyActionBodySchema,
  idempotencyKeyOf,
  partialCaptureBodySchema,
  partialRefundBodySchema,
  readShopBody,
} from './request-bodies.js';
import type { RouteParams } from './route-table.js';
import { json, problem } from './shop-http.js';

export interface OrderAdminRoutesOptions {
  client: LedyerClient;
  book: CheckoutBook;
  log: (line: string) => void;
}

export function createOrderAdminRoutes(options: OrderAdminRoutesOptions) {
  const { client, book, log } = options;
  // One action per order at a time, so "which refund ledger is new" is this action's.
  const oneAtATime = createKeyedLock();

  async function view(record: CheckoutRecord, known?: Order): Promise<OrderAdminView> {
    const [order, payment] = await Promise.all([known ?? client.getOrder(record.orderId), client.getPaymentStatus(record.orderId)]);
    return {
      order,
      paymentStatus: { status: payment.status, paymentMethod: payment.paymentMethod ? { provider: payment.paymentMethod.provider, type: payment.paymentMethod.type } : null },
      shopOrderNumber: record.shopOrderNumber,
      notifications: [...record.notifications],
      ledgers: capturedLedgerViews(order, record.refundOf),
    };
  }

  /** Runs an admin action on an order this shop sold, with the body `schema` accepts; answers the admin view. */
  function action<T>(
    schema: Parameters<typeof readShopBody<T>>[1],
    run: (context: { record: CheckoutRecord; body: T; idempotencyKey: string; params: RouteParams }) => Promise<Order | void>,
  ): (request: Request, params: RouteParams) => Promise<Response> {
    return async (request, params) => {
      const record = book.get(params['orderId'] ?? '');
      if (!record) return unknownOrder(params['orderId'] ?? '');
      const idempotencyKey = idempotencyKeyOf(request);
      const body = await readShopBody(request, schema);
      if (!body.ok) return body.response;
      return oneAtATime(record.orderId, async () => {
        const order = await run({ record, body: body.value, idempotencyKey, params });
        return json(200, await view(record, order ?? undefined));
      });
    };
  }

  /** The captured ledger `ledgerId` of the order, or null. */
  const capturedLedger = (order: Order, ledgerId: string) => order.captured.find((ledger) => ledger.ledgerId === ledgerId) ?? null;

  /** Remembers which captured ledger the refund ledgers that appeared since `before` credit. */
  async function attributeNewRefunds(record: CheckoutRecord, before: Order, ledgerId: string): Promise<Order> {
    const after = await client.getOrder(record.orderId);
    const known = new Set(before.refunded.map((refund) => refund.ledgerId));
    for (const refund of after.refunded) if (!known.has(refund.ledgerId)) record.refundOf.set(refund.ledgerId, ledgerId);
    return after;
  }

  return {
    async orderView(_request: Request, params: RouteParams): Promise<Response> {
      const record = book.get(params['orderId'] ?? '');
      if (!record) return unknownOrder(params['orderId'] ?? '');
      return json(200, await view(record));
    },

    editOrder: action(editBodySchema, async ({ record, body, idempotencyKey }) => {
      const order = await client.getOrder(record.orderId);
      if (!order.uncaptured) throw new ConflictError('nothing_to_edit', 'this order has no uncaptured lines left to edit');
      const edited = await client.editOrder(record.orderId, editedOrder(order.uncaptured.orderLines, body), { idempotencyKey });
      log(`order ${record.orderId} edited: ${edited.orderAmount.formattedWithCurrency}`);
      return edited;
    }),

    partialCapture: action(partialCaptureBodySchema, async ({ record, body, idempotencyKey }) => {
      const { all, body: capture } = captureBodyFor(await client.getOrder(record.orderId), body);
      // Everything that remains is Ledyer's capture; part of it is partialcapture.
      const order = all
        ? await client.captureOrder(record.orderId, capture, { idempotencyKey })
        : await client.partialCaptureOrder(record.orderId, capture, { idempotencyKey });
      log(`order ${record.orderId}: captured ${capture.totalCaptureAmount} (${all ? 'the rest' : 'part'})`);
      return order;
    }),

    captureRest: action(emptyActionBodySchema, async ({ record, idempotencyKey }) => {
      const order = await client.captureOrder(record.orderId, undefined, { idempotencyKey });
      log(`order ${record.orderId}: captured the rest`);
      return order;
    }),

    refundLedger: action(emptyActionBodySchema, async ({ record, idempotencyKey, params }) => {
      const ledgerId = params['ledgerId'] ?? '';
      const before = await client.getOrder(record.orderId);
      if (!capturedLedger(before, ledgerId)) throw new NotFoundError('unknown_ledger', `order ${record.orderId} has no captured ledger ${ledgerId}`);
      await client.refundOrder(record.orderId, ledgerId, { idempotencyKey });
      log(`order ${record.orderId}: refunded what was left of ${ledgerId}`);
      return attributeNewRefunds(record, before, ledgerId);
    }),

    partialRefund: action(partialRefundBodySchema, async ({ record, body, idempotencyKey, params }) => {
      const ledgerId = params['ledgerId'] ?? '';
      const before = await client.getOrder(record.orderId);
      const ledger = capturedLedger(before, ledgerId);
      if (!ledger) throw new NotFoundError('unknown_ledger', `order ${record.orderId} has no captured ledger ${ledgerId}`);
      const left = capturedLedgerViews(before, record.refundOf).find((view) => view.ledgerId === ledgerId)?.left ?? [];
      const refund = partialRefundBodyFor(ledger, left, body);
      await client.partialRefundOrder(record.orderId, ledgerId, refund, { idempotencyKey });
      log(`order ${record.orderId}: refunded ${refund.totalRefundAmount} of ${ledgerId}`);
      return attributeNewRefunds(record, before, ledgerId);
    }),

    cancelOrder: action(emptyActionBodySchema, async ({ record, idempotencyKey }) => {
      await client.cancelOrder(record.orderId, { idempotencyKey });
      log(`order ${record.orderId} cancelled`);
    }),
  };
}

const unknownOrder = (orderId: string): Response => problem(404, 'unknown_order', `this shop sold no order ${orderId}`, ['orderId']);

/** An admin action the order's state does not allow now (409). */
export class ConflictError extends Error {
  override readonly name = 'ConflictError';
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** Something the path names that the order does not have (404). */
export class NotFoundError extends Error {
  override readonly name = 'NotFoundError';
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}
