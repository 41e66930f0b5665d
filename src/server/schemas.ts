/**
 * Ledyer's wire formats as zod schemas, from the two seed pages (`create-order-session.txt`,
 * `edit-order.txt`), LEDYER.md and what Ledyer's own plugins send every day. Requests are
 * strict: an unknown or misspelt field is an error rather than something silently dropped,
 * and every cross-field rule names the path and the value it expected. What the plugins
 * send and Ledyer accepts passes (`null` for an optional field, `''` for an unused URL,
 * lines without `unitPrice`). Responses are loose: Ledyer may add fields without breaking us.
 */
import { z } from 'zod';
import { lineTotalAmount, lineVatAmount, orderTotals, VAT_TOLERANCE } from '../shared/order-math.js';

const minorUnits = (what: string) => z.int({ error: `${what} must be an integer in minor units` });

export const orderLineTypes = ['physical', 'digital', 'service', 'shippingFee', 'discount', 'giftCard', 'surcharge'] as const;
export const orderLineTypeSchema = z.enum(orderLineTypes);
export type OrderLineType = z.infer<typeof orderLineTypeSchema>;

/** Line fields shared by requests and responses. */
const orderLineFields = {
  type: orderLineTypeSchema,
  // 64 and 254 are the lengths Ledyer's own WooCommerce plugin cuts to.
  reference: z.string().max(64, 'reference must be at most 64 characters'),
  description: z.string().min(1, 'description must not be empty').max(254, 'description must be at most 254 characters'),
  quantity: z.int('quantity must be a whole number').positive('quantity must be at least 1'),
  // Optional: Ledyer's WooCommerce plugins send lines with totals only.
  unitPrice: minorUnits('unitPrice').nonnegative('unitPrice must not be negative').optional(),
  unitDiscountAmount: minorUnits('unitDiscountAmount').nonnegative('unitDiscountAmount must not be negative').optional(),
  vat: z.int('vat must be whole basis points').min(0, 'vat must be at least 0').max(10_000, 'vat must be at most 10000 basis points (100 %)'),
  totalAmount: minorUnits('totalAmount'),
  totalVatAmount: minorUnits('totalVatAmount'),
};

interface CheckableLine {
  type: OrderLineType;
  quantity: number;
  unitPrice?: number | undefined;
  unitDiscountAmount?: number | undefined;
  vat: number;
  totalAmount: number;
  totalVatAmount: number;
}

/** A line with a `unitPrice` and no `unitDiscountAmount` has none: 0, as Ledyer's example sends it. */
function withDefaultDiscount<T extends CheckableLine>(line: T): T {
  return line.unitPrice !== undefined && line.unitDiscountAmount === undefined ? { ...line, unitDiscountAmount: 0 } : line;
}

type Issues = z.core.$RefinementCtx['addIssue'];

interface LineRules {
  /** Discount and gift-card lines negative, others not: true for orders and captures, false for refunds (sent as positive amounts). */
  signs: boolean;
}

/** One line's arithmetic and sign rules (LEDYER.md, "Order lines and totals"). */
function checkLine(line: CheckableLine, path: Array<string | number>, addIssue: Issues, rules: LineRules = { signs: true }): void {
  if (line.unitPrice === undefined) {
    // No unit price: the line's own arithmetic cannot be checked, its VAT and totals still are.
    if (line.unitDiscountAmount !== undefined) {
      addIssue({ code: 'custom', path: [...path, 'unitPrice'], message: 'unitPrice is required when unitDiscountAmount is given' });
    }
  } else {
    const discount = line.unitDiscountAmount ?? 0;
    const expectedTotal = lineTotalAmount(line.quantity, line.unitPrice, discount);
    const total = rules.signs ? line.totalAmount : Math.abs(line.totalAmount);
    const expected = rules.signs ? expectedTotal : Math.abs(expectedTotal);
    if (total !== expected) {
      addIssue({
        code: 'custom',
        path: [...path, 'totalAmount'],
        message: `totalAmount must be quantity × (unitPrice − unitDiscountAmount) = ${expected}, got ${line.totalAmount}`,
      });
    }
  }
  const expectedVat = lineVatAmount(line.totalAmount, line.vat);
  if (Math.abs(line.totalVatAmount - expectedVat) > VAT_TOLERANCE) {
    addIssue({
      code: 'custom',
      path: [...path, 'totalVatAmount'],
      message: `totalVatAmount must be ${expectedVat} (±${VAT_TOLERANCE}) for totalAmount ${line.totalAmount} at vat ${line.vat}, got ${line.totalVatAmount}`,
    });
  }
  if (line.type === 'giftCard' && line.vat !== 0) {
    addIssue({ code: 'custom', path: [...path, 'vat'], message: `a giftCard line carries no VAT: vat must be 0, got ${line.vat}` });
  }
  if (!rules.signs) {
    if (line.totalAmount < 0) {
      addIssue({ code: 'custom', path: [...path, 'totalAmount'], message: `a refunded line is sent as a positive amount, got ${line.totalAmount}` });
    }
    return;
  }
  const negativeAllowed = line.type === 'discount' || line.type === 'giftCard';
  if (negativeAllowed && line.totalAmount > 0) {
    addIssue({
      code: 'custom',
      path: [...path, 'totalAmount'],
      message: `a ${line.type} line must have a negative (or zero) totalAmount: unitPrice 0 and a positive unitDiscountAmount, got ${line.totalAmount}`,
    });
  }
  if (!negativeAllowed && line.unitPrice !== undefined && (line.unitDiscountAmount ?? 0) > line.unitPrice) {
    addIssue({
      code: 'custom',
      path: [...path, 'unitDiscountAmount'],
      message: `unitDiscountAmount (${line.unitDiscountAmount}) must not exceed unitPrice (${line.unitPrice}) on a ${line.type} line; use a discount line instead`,
    });
  } else if (!negativeAllowed && line.totalAmount < 0) {
    addIssue({
      code: 'custom',
      path: [...path, 'totalAmount'],
      message: `a ${line.type} line must not have a negative totalAmount (${line.totalAmount}); use a discount line instead`,
    });
  }
}

interface CheckableTotals {
  totalOrderAmount: number;
  totalOrderVatAmount: number;
  totalOrderAmountExclVat: number;
}

/**
 * A multi-purpose voucher (a gift card line with no VAT) is money already paid, not a sale:
 * Ledyer's WooCommerce plugin leaves it out of `totalOrderAmountExclVat`.
 */
function voucherAmount(lines: readonly CheckableLine[]): number {
  return lines.filter((line) => line.type === 'giftCard' && line.vat === 0 && line.totalAmount < 0).reduce((sum, line) => sum + line.totalAmount, 0);
}

/**
 * `totalOrderAmountExclVat` is `totalOrderAmount − totalOrderVatAmount`; with gift cards it
 * may also leave them out, as Ledyer's WooCommerce plugin computes it and Ledyer accepts.
 */
function checkExclVat(order: CheckableTotals, lines: readonly CheckableLine[], addIssue: Issues): void {
  const expected = order.totalOrderAmount - order.totalOrderVatAmount;
  const vouchers = voucherAmount(lines);
  const withoutVouchers = expected - vouchers;
  if (order.totalOrderAmountExclVat === expected || (vouchers !== 0 && order.totalOrderAmountExclVat === withoutVouchers)) return;
  addIssue({
    code: 'custom',
    path: ['totalOrderAmountExclVat'],
    message:
      `totalOrderAmountExclVat must be totalOrderAmount − totalOrderVatAmount = ${expected}` +
      (vouchers !== 0 ? ` (or ${withoutVouchers} leaving out gift cards)` : '') +
      `, got ${order.totalOrderAmountExclVat}`,
  });
}

/** Every line's arithmetic, then the three order totals against the lines. */
function checkOrder(order: CheckableTotals & { orderLines?: CheckableLine[] | null | undefined }, addIssue: Issues): void {
  const lines = order.orderLines ?? [];
  lines.forEach((line, index) => checkLine(line, ['orderLines', index], addIssue));
  checkTotalsAgainstLines(order, lines, addIssue);
}

/**
 * The three order totals against lines: exported for the sandbox, which checks an update
 * that sends totals only against the lines the session keeps.
 */
export function checkTotalsAgainstLines(order: CheckableTotals, lines: readonly CheckableLine[], addIssue: Issues, linesName = 'orderLines'): void {
  const expected = orderTotals(lines);
  if (order.totalOrderAmount !== expected.totalOrderAmount) {
    addIssue({
      code: 'custom',
      path: ['totalOrderAmount'],
      message: `totalOrderAmount must be the sum of ${linesName}[].totalAmount = ${expected.totalOrderAmount}, got ${order.totalOrderAmount}`,
    });
  }
  if (order.totalOrderVatAmount !== expected.totalOrderVatAmount) {
    addIssue({
      code: 'custom',
      path: ['totalOrderVatAmount'],
      message: `totalOrderVatAmount must be the sum of ${linesName}[].totalVatAmount = ${expected.totalOrderVatAmount}, got ${order.totalOrderVatAmount}`,
    });
  }
  checkExclVat(order, lines, addIssue);
}

const requestLineObject = z.strictObject(orderLineFields);

/** An order line as a request sends it, with its own arithmetic checked. */
export const orderLineSchema = requestLineObject.transform(withDefaultDiscount).superRefine((line, ctx) => checkLine(line, [], ctx.addIssue));
export type OrderLine = z.output<typeof orderLineSchema>;
/** What a caller may pass for a line: `unitDiscountAmount` may be left out (0), `unitPrice` too (totals only). */
export type OrderLineInput = z.input<typeof orderLineSchema>;

const orderLinesRequest = z.array(requestLineObject.transform(withDefaultDiscount), 'orderLines must be an array of order lines');

const totalsFields = {
  totalOrderAmount: minorUnits('totalOrderAmount'),
  totalOrderAmountExclVat: minorUnits('totalOrderAmountExclVat'),
  totalOrderVatAmount: minorUnits('totalOrderVatAmount'),
};

/** An optional URL: `null` or `''` (what Ledyer's plugins send for "none") mean none. */
const optionalUrl = z
  .union([z.literal(''), z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' })], { error: 'must be an http(s) URL, or empty for none' })
  .nullable()
  .optional();

function isBcp47(tag: string): boolean {
  try {
    return Intl.getCanonicalLocales(tag).length === 1;
  } catch {
    return false;
  }
}

export const securityLevels = [100, 110, 120, 200, 210, 220, 300] as const;

const customerSettingsSchema = z.strictObject({
  showNameFields: z.boolean().optional(),
  allowShippingAddress: z.boolean().optional(),
  showShippingAddressContact: z.boolean().optional(),
});

const securitySettingsSchema = z.strictObject({
  level: z.union(securityLevels.map((level) => z.literal(level)), { error: `level must be one of ${securityLevels.join(', ')}` }).optional(),
  requireClientValidation: z.boolean().optional(),
  /** Ledyer's newer create example: whether a validate URL that does not answer in time counts as valid. */
  validationSuccessOnTimeout: z.boolean().optional(),
});

const termsUrl = z.url({ protocol: /^https?$/, error: 'terms must be the http(s) URL of your terms (required by Ledyer)' });

const urlFields = {
  privacy: optionalUrl,
  confirmation: optionalUrl,
  notification: optionalUrl,
  validate: optionalUrl,
};

export const sessionSettingsSchema = z.strictObject({
  customer: customerSettingsSchema.optional(),
  security: securitySettingsSchema.optional(),
  urls: z.strictObject({ terms: termsUrl, ...urlFields }),
});
export type SessionSettings = z.infer<typeof sessionSettingsSchema>;

export const sessionCustomerSchema = z.strictObject({
  companyId: z.string().optional(),
  email: z.union([z.literal(''), z.email('email must be an email address')]).optional(),
  firstName: z.string().optional(),
  lastName: z.string().optional(),
  phone: z.string().optional(),
  reference1: z.string().optional(),
  reference2: z.string().optional(),
  ssn: z.string().optional(),
});

/** Fields a create body and an update body share; an update makes each optional. */
const sessionFields = {
  autoCapture: z
    .strictObject({
      delayMinutes: z.int().min(0, 'delayMinutes must be at least 0').max(10_080, 'delayMinutes must be at most 10080 (7 days)'),
      enabled: z.boolean(),
    })
    .optional(),
  country: z.string().regex(/^[A-Z]{2}$/, 'country must be an ISO 3166-1 alpha-2 code such as SE'),
  currency: z.string().regex(/^[A-Z]{3}$/, 'currency must be an ISO 4217 code such as SEK'),
  // Magento sends `customer: null` for guests, WooCommerce `metadata: null` and `reference: null`.
  customer: sessionCustomerSchema.nullable().optional(),
  locale: z.string().refine(isBcp47, 'locale must be a BCP 47 language tag such as sv-SE'),
  metadata: z.record(z.string(), z.string(), 'metadata must be an object of string values').nullable().optional(),
  orderLines: orderLinesRequest.optional(),
  reference: z.string().max(50, 'reference must be at most 50 characters').nullable().optional(),
  settlementReference: z.string().max(50, 'settlementReference must be at most 50 characters').nullable().optional(),
  source: z.enum(['pos', 'online'], 'source must be "pos" or "online"').optional(),
  storeId: z.string().nullable().optional(),
  /** Ledyer's newer create example: save the buyer's payment method for later purchases. */
  tokenize: z.boolean().optional(),
};

/** `POST v1/sessions` (seed: create-order-session.txt). */
export const createSessionRequestSchema = z
  .strictObject({
    ...sessionFields,
    settings: sessionSettingsSchema,
    ...totalsFields,
  })
  .superRefine((order, ctx) => checkOrder(order, ctx.addIssue));
export type CreateSessionRequest = z.infer<typeof createSessionRequestSchema>;
export type CreateSessionRequestInput = z.input<typeof createSessionRequestSchema>;

/**
 * `POST v1/sessions/{orderId}`. Ledyer's docs: "totalOrderAmount, totalOrderVatAmount and
 * totalOrderAmountExclVat are the only required fields"; everything else keeps its value
 * when left out. Ledyer's plugins send lines, totals and `settings.security` only.
 * `settings.urls.terms` may be left out but not removed: Ledyer requires terms.
 */
export const updateSessionRequestSchema = z
  .strictObject({
    autoCapture: sessionFields.autoCapture,
    country: sessionFields.country.optional(),
    currency: sessionFields.currency.optional(),
    customer: sessionFields.customer,
    locale: sessionFields.locale.optional(),
    metadata: sessionFields.metadata,
    orderLines: sessionFields.orderLines,
    reference: sessionFields.reference,
    settlementReference: sessionFields.settlementReference,
    source: sessionFields.source,
    storeId: sessionFields.storeId,
    tokenize: sessionFields.tokenize,
    settings: z
      .strictObject({
        customer: customerSettingsSchema.optional(),
        security: securitySettingsSchema.optional(),
        urls: z
          .strictObject({
            terms: z.union([termsUrl, z.null(), z.literal('')]).optional(),
            ...urlFields,
          })
          .optional(),
      })
      .optional(),
    ...totalsFields,
  })
  .superRefine((order, ctx) => {
    const terms = order.settings?.urls?.terms;
    if (terms === null || terms === '') {
      ctx.addIssue({
        code: 'custom',
        path: ['settings', 'urls', 'terms'],
        message: 'terms cannot be removed (Ledyer requires them): leave the field out to keep the current terms URL',
      });
    }
    if (order.orderLines) checkOrder(order, ctx.addIssue);
    // Without lines only the totals' own rule can be checked here; the session's kept lines are Ledyer's.
    else checkExclVat(order, [], ctx.addIssue);
  });
export type UpdateSessionRequest = z.infer<typeof updateSessionRequestSchema>;
export type UpdateSessionRequestInput = z.input<typeof updateSessionRequestSchema>;

export const createSessionResponseSchema = z.looseObject({
  sessionId: z.string().min(1),
  orderId: z.string().min(1),
  expiresAt: z.iso.datetime({ offset: true }),
});
export type CreateSessionResponse = z.infer<typeof createSessionResponseSchema>;

export const updateSessionResponseSchema = z.looseObject({
  sessionId: z.string().min(1),
  orderId: z.string().min(1),
});
export type UpdateSessionResponse = z.infer<typeof updateSessionResponseSchema>;

/** `POST v1/orders/{orderId}` (seed: edit-order.txt). */
export const editOrderRequestSchema = z
  .strictObject({
    orderLines: orderLinesRequest,
    ...totalsFields,
  })
  .superRefine((order, ctx) => checkOrder(order, ctx.addIssue));
export type EditOrderRequest = z.infer<typeof editOrderRequestSchema>;
export type EditOrderRequestInput = z.input<typeof editOrderRequestSchema>;

/**
 * A line of a capture or refund body: an order line as the order holds it (Ledyer's
 * order-management plugin sends type, reference, description, quantity, vat and totals;
 * omnipay-ledyer adds unitPrice, unitDiscountAmount and the line's `id`).
 */
const ledgerLineObject = z.strictObject({
  id: z.string().min(1, 'id must not be empty').max(200, 'id must be at most 200 characters').optional(),
  ...orderLineFields,
});
export type LedgerLineInput = z.input<typeof ledgerLineObject>;
export type LedgerLine = z.output<typeof ledgerLineObject>;

function checkLedgerBody(
  body: { orderLines: LedgerLine[] },
  total: { name: string; value: number },
  rules: LineRules,
  addIssue: Issues,
): void {
  body.orderLines.forEach((line, index) => checkLine(line, ['orderLines', index], addIssue, rules));
  const sum = body.orderLines.reduce((acc, line) => acc + line.totalAmount, 0);
  if (sum !== total.value) {
    addIssue({ code: 'custom', path: [total.name], message: `${total.name} must be the sum of orderLines[].totalAmount = ${sum}, got ${total.value}` });
  }
}

const captureBody = z.strictObject({
  orderLines: z.array(ledgerLineObject, 'orderLines must be an array of order lines').min(1, 'orderLines must list at least one line'),
  totalCaptureAmount: minorUnits('totalCaptureAmount').nonnegative('totalCaptureAmount must not be negative'),
});

/**
 * `POST v1/orders/{orderId}/capture`: `{ orderLines, totalCaptureAmount }`, the lines
 * "must match the order lines that are remaining in the uncaptured state" (Ledyer's docs).
 */
export const captureOrderRequestSchema = captureBody.superRefine((body, ctx) =>
  checkLedgerBody(body, { name: 'totalCaptureAmount', value: body.totalCaptureAmount }, { signs: true }, ctx.addIssue),
);
export type CaptureOrderRequest = z.infer<typeof captureOrderRequestSchema>;
export type CaptureOrderRequestInput = z.input<typeof captureOrderRequestSchema>;

/** `POST v1/orders/{orderId}/partialcapture`: the same body, for part of the remaining lines. */
export const partialCaptureOrderRequestSchema = captureOrderRequestSchema;
export type PartialCaptureOrderRequest = CaptureOrderRequest;
export type PartialCaptureOrderRequestInput = CaptureOrderRequestInput;

/**
 * `POST v1/orders/{orderId}/partialrefund/{ledgerId}`: `{ orderLines, totalRefundAmount }`,
 * amounts positive, as Ledyer's order-management plugin sends them.
 */
export const partialRefundOrderRequestSchema = z
  .strictObject({
    orderLines: z.array(ledgerLineObject, 'orderLines must be an array of order lines').min(1, 'orderLines must list at least one line'),
    totalRefundAmount: minorUnits('totalRefundAmount').positive('totalRefundAmount must be positive'),
  })
  .superRefine((body, ctx) => checkLedgerBody(body, { name: 'totalRefundAmount', value: body.totalRefundAmount }, { signs: false }, ctx.addIssue));
export type PartialRefundOrderRequest = z.infer<typeof partialRefundOrderRequestSchema>;
export type PartialRefundOrderRequestInput = z.input<typeof partialRefundOrderRequestSchema>;

/** `POST v1/orders/{orderId}/reference`: the shop's order number, printed on the invoice. */
export const setOrderReferenceRequestSchema = z.strictObject({
  reference: z.string('reference must be a string').min(1, 'reference must not be empty').max(50, 'reference must be at most 50 characters'),
});
export type SetOrderReferenceRequest = z.infer<typeof setOrderReferenceRequestSchema>;

/** An amount as Ledyer formats it in responses: `{ amount: "5100.00", formatted: "5,100.00", ... }`. */
export const amountSchema = z.looseObject({
  amount: z.string(),
  currency: z.string(),
  formatted: z.string(),
  formattedWithCurrency: z.string(),
  minorUnits: z.int(),
});
export type Amount = z.infer<typeof amountSchema>;

export const orderEventTypes = [
  'acknowledge',
  'authorize',
  'cancel',
  'create',
  'edit',
  'editCustomer',
  'editPaymentMethod',
  'extendExpiry',
  'fullCapture',
  'fullRefund',
  'paid',
  'partialCapture',
  'partialRefund',
  'readyForCapture',
  'setReference',
] as const;

export type OrderEventType = (typeof orderEventTypes)[number];

export const orderEventSchema = z.looseObject({
  amount: amountSchema,
  createdAt: z.string(),
  id: z.string(),
  ledgerId: z.string(),
  orderId: z.string(),
  // Known types are typed; a type Ledyer adds later must not make every GET order fail.
  type: z.union([z.enum(orderEventTypes), z.string().min(1)]) as z.ZodType<OrderEventType | (string & {})>,
});
export type OrderEvent = z.infer<typeof orderEventSchema>;

export const orderLineEntitySchema = z.looseObject({
  ...orderLineFields,
  id: z.string(),
  unitDiscountAmount: minorUnits('unitDiscountAmount').optional(),
  // Ledyer echoes what was sent; only the sender's schema limits lengths.
  reference: z.string(),
  description: z.string(),
});
export type OrderLineEntity = z.infer<typeof orderLineEntitySchema>;

export const availableActionTypes = [
  'cancel',
  'capture',
  'partialCapture',
  'editCustomer',
  'editOrder',
  'extendOrderExpiry',
  'refund',
  'partialRefund',
] as const;

/** A ledger chunk of the order: `uncaptured`, and each entry of `captured` / `refunded`. */
export const orderChunkSchema = z.looseObject({
  availableActions: z.array(z.looseObject({ type: z.string() })).optional(),
  createdAt: z.string(),
  ledgerId: z.string(),
  note: z.string().optional(),
  orderLines: z.array(orderLineEntitySchema),
  status: z.array(z.string()),
  totalOrderAmount: amountSchema,
  totalOrderAmountExclVat: amountSchema,
  totalOrderVatAmount: amountSchema,
});
export type OrderChunk = z.infer<typeof orderChunkSchema>;

export const addressSchema = z.looseObject({
  attentionName: z.string().optional(),
  careOf: z.string().optional(),
  city: z.string(),
  companyName: z.string().optional(),
  country: z.string(),
  postalCode: z.string(),
  streetAddress: z.string(),
});

export const paymentMethodSchema = z.looseObject({
  provider: z.string(),
  type: z.string(),
});

export const orderCustomerSchema = z.looseObject({
  billingAddress: addressSchema.nullable().optional(),
  companyId: z.string(),
  companyName: z.string().optional(),
  email: z.string().optional(),
  firstName: z.string().optional(),
  lastName: z.string().optional(),
  invoiceChannel: z.looseObject({ type: z.string(), details: z.string().optional() }).optional(),
  paymentMethod: paymentMethodSchema.optional(),
  phone: z.string().optional(),
  reference1: z.string().optional(),
  reference2: z.string().optional(),
  shippingAddress: addressSchema.nullable().optional(),
});

/** The order entity: `GET v1/orders/{orderId}` and the answer to an edit (seed: edit-order.txt). */
export const orderSchema = z.looseObject({
  authorizeStatus: z.string(),
  captured: z.array(orderChunkSchema),
  capturedAmount: amountSchema,
  createdAt: z.string(),
  customer: orderCustomerSchema,
  events: z.array(orderEventSchema),
  expiresAt: z.string(),
  id: z.string(),
  merchantId: z.string(),
  merchantReference: z.string(),
  orderAmount: amountSchema,
  orderReference: z.string(),
  paymentMethod: paymentMethodSchema,
  refunded: z.array(orderChunkSchema),
  refundedAmount: amountSchema,
  riskProfile: z.looseObject({ tags: z.array(z.string()) }).optional(),
  status: z.array(z.string()),
  storeId: z.string().nullable().optional(),
  uncaptured: orderChunkSchema.nullable(),
  uncapturedAmount: amountSchema,
  updatedAt: z.string(),
});
export type Order = z.infer<typeof orderSchema>;

/** `GET v1/sessions/{orderId}`: only the fields LEDYER.md shows are required. */
export const sessionSchema = z.looseObject({
  id: z.string(),
  orderId: z.string(),
  customer: z.looseObject({}).nullable().optional(),
  order: z
    .looseObject({
      orderLines: z.array(z.looseObject({})).optional(),
    })
    .optional(),
});
export type Session = z.infer<typeof sessionSchema>;

export const paymentStatuses = [
  'orderInitiated',
  'orderPending',
  'paymentPending',
  'paymentConfirmed',
  'orderCaptured',
  'orderRefunded',
  'orderCancelled',
  'unknown',
] as const;
export const paymentMethodTypes = ['invoice', 'advanceInvoice', 'card', 'bankTransfer', 'partPayment'] as const;

export type PaymentStatusValue = (typeof paymentStatuses)[number];
export type PaymentMethodType = (typeof paymentMethodTypes)[number];

/**
 * `GET v1/orders/{orderId}/paymentstatus`. Known values are typed; a status or payment
 * method Ledyer adds later passes as a string, so reading the status never fails on it
 * (the checkout handler reports such a status as `unknown`).
 */
export const paymentStatusSchema = z.looseObject({
  status: z.union([z.enum(paymentStatuses), z.string().min(1)]) as z.ZodType<PaymentStatusValue | (string & {})>,
  note: z.string().optional(),
  paymentMethod: z
    .looseObject({ provider: z.string(), type: z.union([z.enum(paymentMethodTypes), z.string().min(1)]) as z.ZodType<PaymentMethodType | (string & {})> })
    .nullable()
    .optional(),
});
export type PaymentStatus = z.infer<typeof paymentStatusSchema>;

/** What Ledyer POSTs to `settings.urls.validate` before it creates the order. */
export const validateCallbackSchema = z.looseObject({
  merchantId: z.string().min(1, 'merchantId is required'),
  orderId: z.string().min(1, 'orderId is required'),
  reference: z.string().nullable().optional(),
  storeId: z.string().nullable().optional(),
});
export type ValidateCallback = z.infer<typeof validateCallbackSchema>;

export const orderNotificationTypes = [
  'com.ledyer.order.create',
  'com.ledyer.order.ready_for_capture',
  'com.ledyer.order.full_capture',
  'com.ledyer.order.part_capture',
  'com.ledyer.order.full_refund',
  'com.ledyer.order.part_refund',
  'com.ledyer.order.cancel',
] as const;
export const sessionNotificationTypes = ['com.ledyer.checkout.session.awaiting_signatory'] as const;
export type OrderNotificationType = (typeof orderNotificationTypes)[number];
export type SessionNotificationType = (typeof sessionNotificationTypes)[number];
/** A known event type, or one Ledyer adds later (passed on as a string, never refused). */
export type NotificationEventType = OrderNotificationType | SessionNotificationType | (string & {});

/** An order event: `{ eventType, merchantId, orderId, reference, storeId }`. */
export interface OrderNotification {
  eventType: NotificationEventType;
  merchantId: string;
  orderId: string;
  reference?: string | null | undefined;
  storeId?: string | null | undefined;
  [key: string]: unknown;
}

/** A session event: `{ eventType, merchantId, sessionId, storeId }`, no orderId (e.g. awaiting_signatory). */
export interface SessionNotification {
  eventType: NotificationEventType;
  merchantId: string;
  sessionId: string;
  orderId?: undefined;
  storeId?: string | null | undefined;
  [key: string]: unknown;
}

export type NotificationCallback = OrderNotification | SessionNotification;

/**
 * What Ledyer POSTs to `settings.urls.notification`. Any `eventType` is accepted: a type
 * Ledyer adds later must reach the merchant, not be refused and retried for a day. What it
 * is about is an `orderId` (order events) or a `sessionId` (session events).
 */
export const notificationCallbackSchema = z
  .looseObject({
    eventType: z.string('eventType must be a string').min(1, 'eventType is required').max(200, 'eventType must be at most 200 characters'),
    merchantId: z.string('merchantId must be a string').min(1, 'merchantId is required'),
    orderId: z.string('orderId must be a string').min(1, 'orderId must not be empty').optional(),
    sessionId: z.string('sessionId must be a string').min(1, 'sessionId must not be empty').optional(),
    reference: z.string().nullable().optional(),
    storeId: z.string().nullable().optional(),
  })
  .superRefine((body, ctx) => {
    if (body.orderId === undefined && body.sessionId === undefined) {
      ctx.addIssue({ code: 'custom', path: ['orderId'], message: 'a notification names an orderId (order events) or a sessionId (session events)' });
    }
  }) as unknown as z.ZodType<NotificationCallback>;

/** Whether a notification is one of the order events this package knows. */
export function isOrderNotificationType(eventType: string): eventType is OrderNotificationType {
  return (orderNotificationTypes as readonly string[]).includes(eventType);
}

/** Ledyer's error body: `{ errors: [{ message, ... }] }`. */
export const ledyerErrorBodySchema = z.looseObject({
  errors: z.array(z.looseObject({ message: z.string() })),
});
export type LedyerErrorBody = z.infer<typeof ledyerErrorBodySchema>;
