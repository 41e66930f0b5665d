/**
 * Ledyer's wire formats as zod schemas, from the two seed pages (`create-order-session.txt`,
 * `edit-order.txt`) and LEDYER.md. Requests are strict: an unknown or misspelt field is an
 * error rather than something silently dropped, and every cross-field rule names the path
 * and the value it expected. Responses are loose: Ledyer may add fields without breaking us.
 */
import { z } from 'zod';
import { lineTotalAmount, lineVatAmount, orderTotals, VAT_TOLERANCE } from '../shared/order-math.js';

const minorUnits = (what: string) => z.int({ error: `${what} must be an integer in minor units` });

export const orderLineTypes = ['physical', 'digital', 'service', 'shippingFee', 'discount', 'giftCard', 'surcharge'] as const;
export const orderLineTypeSchema = z.enum(orderLineTypes);
export type OrderLineType = z.infer<typeof orderLineTypeSchema>;

/** Line fields shared by requests and responses (responses may omit `unitDiscountAmount`). */
const orderLineFields = {
  type: orderLineTypeSchema,
  // 64 and 254 are the lengths Ledyer's own WooCommerce plugin cuts to.
  reference: z.string().max(64, 'reference must be at most 64 characters'),
  description: z.string().min(1, 'description must not be empty').max(254, 'description must be at most 254 characters'),
  quantity: z.int('quantity must be a whole number').positive('quantity must be at least 1'),
  unitPrice: minorUnits('unitPrice').nonnegative('unitPrice must not be negative'),
  unitDiscountAmount: minorUnits('unitDiscountAmount').nonnegative('unitDiscountAmount must not be negative').default(0),
  vat: z.int('vat must be whole basis points').min(0, 'vat must be at least 0').max(10_000, 'vat must be at most 10000 basis points (100 %)'),
  totalAmount: minorUnits('totalAmount'),
  totalVatAmount: minorUnits('totalVatAmount'),
};

interface CheckableLine {
  type: OrderLineType;
  quantity: number;
  unitPrice: number;
  unitDiscountAmount: number;
  vat: number;
  totalAmount: number;
  totalVatAmount: number;
}

type Issues = z.core.$RefinementCtx['addIssue'];

/** One line's arithmetic and sign rules (LEDYER.md, "Order lines and totals"). */
function checkLine(line: CheckableLine, path: Array<string | number>, addIssue: Issues): void {
  const expectedTotal = lineTotalAmount(line.quantity, line.unitPrice, line.unitDiscountAmount);
  if (line.totalAmount !== expectedTotal) {
    addIssue({
      code: 'custom',
      path: [...path, 'totalAmount'],
      message: `totalAmount must be quantity × (unitPrice − unitDiscountAmount) = ${expectedTotal}, got ${line.totalAmount}`,
    });
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
  const negativeAllowed = line.type === 'discount' || line.type === 'giftCard';
  if (negativeAllowed && line.totalAmount > 0) {
    addIssue({
      code: 'custom',
      path: [...path, 'totalAmount'],
      message: `a ${line.type} line must have a negative (or zero) totalAmount: unitPrice 0 and a positive unitDiscountAmount, got ${line.totalAmount}`,
    });
  }
  if (!negativeAllowed && line.unitDiscountAmount > line.unitPrice) {
    addIssue({
      code: 'custom',
      path: [...path, 'unitDiscountAmount'],
      message: `unitDiscountAmount (${line.unitDiscountAmount}) must not exceed unitPrice (${line.unitPrice}) on a ${line.type} line; use a discount line instead`,
    });
  }
}

interface CheckableOrder {
  orderLines?: CheckableLine[] | undefined;
  totalOrderAmount: number;
  totalOrderVatAmount: number;
  totalOrderAmountExclVat: number;
}

/** Every line's arithmetic, then the three order totals against the lines. */
function checkOrder(order: CheckableOrder, addIssue: Issues): void {
  const lines = order.orderLines ?? [];
  lines.forEach((line, index) => checkLine(line, ['orderLines', index], addIssue));
  const expected = orderTotals(lines);
  if (order.totalOrderAmount !== expected.totalOrderAmount) {
    addIssue({
      code: 'custom',
      path: ['totalOrderAmount'],
      message: `totalOrderAmount must be the sum of orderLines[].totalAmount = ${expected.totalOrderAmount}, got ${order.totalOrderAmount}`,
    });
  }
  if (order.totalOrderVatAmount !== expected.totalOrderVatAmount) {
    addIssue({
      code: 'custom',
      path: ['totalOrderVatAmount'],
      message: `totalOrderVatAmount must be the sum of orderLines[].totalVatAmount = ${expected.totalOrderVatAmount}, got ${order.totalOrderVatAmount}`,
    });
  }
  const expectedExclVat = order.totalOrderAmount - order.totalOrderVatAmount;
  if (order.totalOrderAmountExclVat !== expectedExclVat) {
    addIssue({
      code: 'custom',
      path: ['totalOrderAmountExclVat'],
      message: `totalOrderAmountExclVat must be totalOrderAmount − totalOrderVatAmount = ${expectedExclVat}, got ${order.totalOrderAmountExclVat}`,
    });
  }
}

/** An order line as a request sends it, with its own arithmetic checked. */
export const orderLineSchema = z.strictObject(orderLineFields).superRefine((line, ctx) => checkLine(line, [], ctx.addIssue));
export type OrderLine = z.infer<typeof orderLineSchema>;
/** What a caller may pass for a line: `unitDiscountAmount` may be left out (it defaults to 0). */
export type OrderLineInput = z.input<typeof orderLineSchema>;

const orderLinesRequest = z.array(z.strictObject(orderLineFields), 'orderLines must be an array of order lines');

const totalsFields = {
  totalOrderAmount: minorUnits('totalOrderAmount'),
  totalOrderAmountExclVat: minorUnits('totalOrderAmountExclVat'),
  totalOrderVatAmount: minorUnits('totalOrderVatAmount'),
};

const optionalUrl = z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }).nullable().optional();

function isBcp47(tag: string): boolean {
  try {
    return Intl.getCanonicalLocales(tag).length === 1;
  } catch {
    return false;
  }
}

export const securityLevels = [100, 110, 120, 200, 210, 220, 300] as const;

export const sessionSettingsSchema = z.strictObject({
  customer: z
    .strictObject({
      showNameFields: z.boolean().optional(),
      allowShippingAddress: z.boolean().optional(),
      showShippingAddressContact: z.boolean().optional(),
    })
    .optional(),
  security: z
    .strictObject({
      level: z
        .union(securityLevels.map((level) => z.literal(level)), { error: `level must be one of ${securityLevels.join(', ')}` })
        .optional(),
      requireClientValidation: z.boolean().optional(),
    })
    .optional(),
  urls: z.strictObject({
    terms: z.url({ protocol: /^https?$/, error: 'terms must be the http(s) URL of your terms (required by Ledyer)' }),
    privacy: optionalUrl,
    confirmation: optionalUrl,
    notification: optionalUrl,
    validate: optionalUrl,
  }),
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

/** `POST v1/sessions` (seed: create-order-session.txt); also the body of an update. */
export const createSessionRequestSchema = z
  .strictObject({
    autoCapture: z
      .strictObject({
        delayMinutes: z.int().min(0, 'delayMinutes must be at least 0').max(10_080, 'delayMinutes must be at most 10080 (7 days)'),
        enabled: z.boolean(),
      })
      .optional(),
    country: z.string().regex(/^[A-Z]{2}$/, 'country must be an ISO 3166-1 alpha-2 code such as SE'),
    currency: z.string().regex(/^[A-Z]{3}$/, 'currency must be an ISO 4217 code such as SEK'),
    customer: sessionCustomerSchema.optional(),
    locale: z.string().refine(isBcp47, 'locale must be a BCP 47 language tag such as sv-SE'),
    metadata: z.record(z.string(), z.string(), 'metadata must be an object of string values').optional(),
    orderLines: orderLinesRequest.optional(),
    reference: z.string().max(50, 'reference must be at most 50 characters').nullable().optional(),
    settings: sessionSettingsSchema,
    settlementReference: z.string().max(50, 'settlementReference must be at most 50 characters').nullable().optional(),
    source: z.enum(['pos', 'online'], 'source must be "pos" or "online"').optional(),
    storeId: z.string().nullable().optional(),
    ...totalsFields,
  })
  .superRefine((order, ctx) => checkOrder(order, ctx.addIssue));
export type CreateSessionRequest = z.infer<typeof createSessionRequestSchema>;
export type CreateSessionRequestInput = z.input<typeof createSessionRequestSchema>;

/** `POST v1/sessions/{orderId}` takes the same body as create. */
export const updateSessionRequestSchema = createSessionRequestSchema;
export type UpdateSessionRequest = CreateSessionRequest;

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

export const orderEventSchema = z.looseObject({
  amount: amountSchema,
  createdAt: z.string(),
  id: z.string(),
  ledgerId: z.string(),
  orderId: z.string(),
  type: z.enum(orderEventTypes),
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

export const paymentStatusSchema = z.looseObject({
  status: z.enum(paymentStatuses),
  note: z.string().optional(),
  paymentMethod: z.looseObject({ provider: z.string(), type: z.enum(paymentMethodTypes) }).nullable().optional(),
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

/** What Ledyer POSTs to `settings.urls.notification`: an order event, or a session one. */
export const notificationCallbackSchema = z.discriminatedUnion('eventType', [
  z.looseObject({
    eventType: z.enum(orderNotificationTypes),
    merchantId: z.string().min(1),
    orderId: z.string().min(1),
    reference: z.string().nullable().optional(),
    storeId: z.string().nullable().optional(),
  }),
  z.looseObject({
    eventType: z.enum(sessionNotificationTypes),
    merchantId: z.string().min(1),
    sessionId: z.string().min(1),
    orderId: z.string().optional(),
    reference: z.string().nullable().optional(),
    storeId: z.string().nullable().optional(),
  }),
]);
export type NotificationCallback = z.infer<typeof notificationCallbackSchema>;

/** Ledyer's error body: `{ errors: [{ message, ... }] }`. */
export const ledyerErrorBodySchema = z.looseObject({
  errors: z.array(z.looseObject({ message: z.string() })),
});
export type LedyerErrorBody = z.infer<typeof ledyerErrorBodySchema>;
