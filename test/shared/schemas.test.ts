import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import {
  createSessionRequestSchema,
  editOrderRequestSchema,
  orderSchema,
  orderLineSchema,
  validateCallbackSchema,
  notificationCallbackSchema,
  createSessionResponseSchema,
  ledyerErrorBodySchema,
  updateSessionRequestSchema,
  captureOrderRequestSchema,
  partialCaptureOrderRequestSchema,
  partialRefundOrderRequestSchema,
  setOrderReferenceRequestSchema,
  paymentStatusSchema,
} from '../../src/server/schemas.js';
import { seedCreateSessionRequest, seedEditOrderRequest, seedOrderResponse } from './seeds.js';

type Body = Record<string, any>;

/** The issues of a failed parse as `path: message`, for exact assertions. */
function issuesOf(schema: { safeParse(input: unknown): { success: boolean; error?: { issues: Array<{ path: PropertyKey[]; message: string }> } } }, input: unknown): string[] {
  const result = schema.safeParse(input);
  assert.equal(result.success, false, 'expected the input to be rejected');
  return result.error!.issues.map((issue) => `${issue.path.map(String).join('.')}: ${issue.message}`);
}

function withChange(change: (body: Body) => void): Body {
  const body = seedCreateSessionRequest() as Body;
  change(body);
  return body;
}

function assertIssueAt(input: unknown, path: string, fragment: RegExp, schema = createSessionRequestSchema): void {
  const issues = issuesOf(schema, input);
  assert.ok(
    issues.some((issue) => issue.startsWith(`${path}: `) && fragment.test(issue)),
    `expected an issue at ${path} matching ${fragment}, got:\n${issues.join('\n')}`,
  );
}

describe('seed documents', () => {
  test('the create-order-session example parses as it is', () => {
    const parsed = createSessionRequestSchema.parse(seedCreateSessionRequest());
    assert.equal(parsed.totalOrderAmount, 510000);
    assert.equal(parsed.orderLines?.[0]?.description, 'Coffee Machine X200');
  });

  test('the edit-order response parses as the order entity', () => {
    const order = orderSchema.parse(seedOrderResponse());
    assert.equal(order.id, 'or_24w4p5pJogDfyMevIEddZLqyXMG');
    assert.deepEqual(order.events.map((event) => event.type), ['edit', 'readyForCapture', 'create']);
    assert.equal(order.uncaptured?.totalOrderAmount.minorUnits, 460000);
  });

  test('the edit-order example request is refused: its totals contradict its own lines', () => {
    // The seed's lines sum to 460000 (VAT 92000) and the seed's own response says 460000,
    // but the request states 510000 / 102000. A merchant sending that must hear about it.
    const issues = issuesOf(editOrderRequestSchema, seedEditOrderRequest());
    assert.deepEqual(issues, [
      'totalOrderAmount: totalOrderAmount must be the sum of orderLines[].totalAmount = 460000, got 510000',
      'totalOrderVatAmount: totalOrderVatAmount must be the sum of orderLines[].totalVatAmount = 92000, got 102000',
    ]);
  });

  test('the edit-order example lines with the totals the seed response reports parse', () => {
    const body = { ...seedEditOrderRequest(), totalOrderAmount: 460000, totalOrderVatAmount: 92000, totalOrderAmountExclVat: 368000 };
    assert.equal(editOrderRequestSchema.parse(body).orderLines.length, 2);
  });
});

describe('create session: field constraints', () => {
  const cases: Array<[string, (body: Body) => void, string, RegExp]> = [
    ['delayMinutes above 7 days', (b) => (b.autoCapture.delayMinutes = 10081), 'autoCapture.delayMinutes', /at most 10080/],
    ['delayMinutes below 0', (b) => (b.autoCapture.delayMinutes = -1), 'autoCapture.delayMinutes', /at least 0/],
    ['delayMinutes not whole', (b) => (b.autoCapture.delayMinutes = 1.5), 'autoCapture.delayMinutes', /integer|int/i],
    ['country not alpha-2', (b) => (b.country = 'SWE'), 'country', /ISO 3166-1 alpha-2/],
    ['country lower case', (b) => (b.country = 'se'), 'country', /ISO 3166-1 alpha-2/],
    ['currency not ISO 4217', (b) => (b.currency = 'kr'), 'currency', /ISO 4217/],
    ['locale not BCP 47', (b) => (b.locale = 'sv_SE!'), 'locale', /BCP 47/],
    ['reference over 50', (b) => (b.reference = 'x'.repeat(51)), 'reference', /at most 50/],
    ['settlementReference over 50', (b) => (b.settlementReference = 'x'.repeat(51)), 'settlementReference', /at most 50/],
    ['source unknown', (b) => (b.source = 'phone'), 'source', /"pos" or "online"/],
    ['terms missing', (b) => delete b.settings.urls.terms, 'settings.urls.terms', /terms/],
    ['terms not a URL', (b) => (b.settings.urls.terms = 'terms.html'), 'settings.urls.terms', /URL/],
    ['validate URL not http(s)', (b) => (b.settings.urls.validate = 'ftp://example.com/v'), 'settings.urls.validate', /http/],
    ['security level unknown', (b) => (b.settings.security.level = 150), 'settings.security.level', /one of 100, 110/],
    ['requireClientValidation not boolean', (b) => (b.settings.security.requireClientValidation = 'yes'), 'settings.security.requireClientValidation', /boolean/],
    ['customer email malformed', (b) => (b.customer.email = 'jane@'), 'customer.email', /email/],
    ['metadata value not a string', (b) => (b.metadata = { k: 1 }), 'metadata.k', /string/],
    ['unknown top-level field', (b) => (b.totalAmount = 1), '', /totalAmount/],
    ['misspelt settings field', (b) => (b.settings.url = {}), 'settings', /url/],
    ['totalOrderAmount not integer', (b) => (b.totalOrderAmount = 5100.5), 'totalOrderAmount', /integer in minor units/],
    ['line type unknown', (b) => (b.orderLines[0].type = 'coffee'), 'orderLines.0.type', /physical/],
    ['line quantity zero', (b) => (b.orderLines[0].quantity = 0), 'orderLines.0.quantity', /at least 1/],
    ['line quantity fractional', (b) => (b.orderLines[0].quantity = 1.5), 'orderLines.0.quantity', /whole number/],
    ['line unitPrice negative', (b) => (b.orderLines[0].unitPrice = -1), 'orderLines.0.unitPrice', /not be negative/],
    ['line vat over 100 %', (b) => (b.orderLines[0].vat = 10001), 'orderLines.0.vat', /at most 10000/],
    ['line reference over 64', (b) => (b.orderLines[0].reference = 'r'.repeat(65)), 'orderLines.0.reference', /at most 64/],
    ['line description over 254', (b) => (b.orderLines[0].description = 'd'.repeat(255)), 'orderLines.0.description', /at most 254/],
    ['line description empty', (b) => (b.orderLines[0].description = ''), 'orderLines.0.description', /not be empty/],
  ];
  for (const [name, change, path, fragment] of cases) {
    test(`${name} → error at ${path || '(root)'}`, () => assertIssueAt(withChange(change), path, fragment));
  }
});

describe('create session: cross-field rules', () => {
  test('a line total that is not quantity × (unitPrice − unitDiscountAmount) names the expected value', () => {
    assertIssueAt(withChange((b) => (b.orderLines[0].totalAmount = 499999)), 'orderLines.0.totalAmount', /= 500000, got 499999/);
  });

  test('line VAT more than one minor unit off is refused; one unit off is accepted', () => {
    assertIssueAt(withChange((b) => (b.orderLines[1].totalVatAmount = 2002)), 'orderLines.1.totalVatAmount', /must be 2000 \(±1\)/);
    const oneOff = withChange((b) => {
      b.orderLines[1].totalVatAmount = 2001;
      b.totalOrderVatAmount = 102001;
      b.totalOrderAmountExclVat = 407999;
    });
    assert.equal(createSessionRequestSchema.safeParse(oneOff).success, true);
  });

  test('order totals must be the sums of the lines', () => {
    assertIssueAt(withChange((b) => (b.totalOrderAmount = 500000)), 'totalOrderAmount', /= 510000, got 500000/);
    assertIssueAt(withChange((b) => (b.totalOrderVatAmount = 100000)), 'totalOrderVatAmount', /= 102000, got 100000/);
  });

  test('totalOrderAmountExclVat must be total − VAT', () => {
    assertIssueAt(withChange((b) => (b.totalOrderAmountExclVat = 410000)), 'totalOrderAmountExclVat', /= 408000, got 410000/);
  });

  test('a discount line (unitPrice 0, positive unitDiscountAmount, negative totals) is accepted', () => {
    const body = withChange((b) => {
      b.orderLines.push({ type: 'discount', reference: 'SUMMER', description: 'Summer discount 25 %', quantity: 1, unitPrice: 0, unitDiscountAmount: 10000, vat: 2500, totalAmount: -10000, totalVatAmount: -2000 });
      b.totalOrderAmount = 500000;
      b.totalOrderVatAmount = 100000;
      b.totalOrderAmountExclVat = 400000;
    });
    assert.equal(createSessionRequestSchema.parse(body).orderLines?.length, 3);
  });

  test('a discount line with a positive total is refused', () => {
    const body = withChange((b) => {
      b.orderLines.push({ type: 'discount', reference: 'X', description: 'Wrong', quantity: 1, unitPrice: 100, unitDiscountAmount: 0, vat: 2500, totalAmount: 100, totalVatAmount: 20 });
    });
    assertIssueAt(body, 'orderLines.2.totalAmount', /discount line must have a negative/);
  });

  test('a gift card carries no VAT', () => {
    const line = { type: 'giftCard', reference: 'GC', description: 'Gift card', quantity: 1, unitPrice: 0, unitDiscountAmount: 5000, vat: 2500, totalAmount: -5000, totalVatAmount: -1000 };
    assertIssueAt(line, 'vat', /giftCard line carries no VAT/, orderLineSchema as never);
    assert.equal(orderLineSchema.safeParse({ ...line, vat: 0, totalVatAmount: 0 }).success, true);
  });

  test('a physical line discounted below zero must use a discount line instead', () => {
    assertIssueAt(withChange((b) => {
      b.orderLines[1].unitDiscountAmount = 20000;
      b.orderLines[1].totalAmount = -10000;
      b.orderLines[1].totalVatAmount = -2000;
    }), 'orderLines.1.unitDiscountAmount', /must not exceed unitPrice/);
  });

  test('unitDiscountAmount may be left out and defaults to 0', () => {
    const body = withChange((b) => delete b.orderLines[0].unitDiscountAmount);
    assert.equal(createSessionRequestSchema.parse(body).orderLines?.[0]?.unitDiscountAmount, 0);
  });
});

describe('responses and callbacks', () => {
  test('create-session response needs sessionId, orderId and an ISO expiresAt', () => {
    assert.equal(createSessionResponseSchema.safeParse({ sessionId: 's', orderId: 'or_1', expiresAt: '2026-12-01T10:00:00Z' }).success, true);
    assertIssueAt({ sessionId: 's', orderId: 'or_1', expiresAt: 'tomorrow' }, 'expiresAt', /./, createSessionResponseSchema as never);
  });

  test('an order entity without its amounts is malformed', () => {
    const order = seedOrderResponse() as Body;
    delete order.orderAmount;
    assertIssueAt(order, 'orderAmount', /./, orderSchema as never);
  });

  test('an order event of a type Ledyer adds later is passed on; an event without a type is malformed', () => {
    const order = seedOrderResponse() as Body;
    order.events[0].type = 'creditNoteIssued';
    assert.equal(orderSchema.parse(order).events[0]?.type, 'creditNoteIssued');
    order.events[0].type = '';
    assertIssueAt(order, 'events.0.type', /./, orderSchema as never);
  });

  test('validate callback: Ledyer\'s body parses; one without orderId does not', () => {
    assert.equal(validateCallbackSchema.safeParse({ merchantId: 'ac_1', orderId: 'or_1', reference: 'R1', storeId: null }).success, true);
    assertIssueAt({ merchantId: 'ac_1', reference: 'R1' }, 'orderId', /./, validateCallbackSchema as never);
  });

  test('notification callback: order events, session events and event types Ledyer adds later parse', () => {
    assert.equal(notificationCallbackSchema.safeParse({ eventType: 'com.ledyer.order.create', merchantId: 'ac_1', orderId: 'or_1', reference: '', storeId: '1' }).success, true);
    assert.equal(notificationCallbackSchema.safeParse({ eventType: 'com.ledyer.checkout.session.awaiting_signatory', merchantId: 'ac_1', sessionId: 'cs_1', storeId: null }).success, true);
    const later = notificationCallbackSchema.safeParse({ eventType: 'com.ledyer.order.credit_note', merchantId: 'ac_1', orderId: 'or_1' });
    assert.equal(later.success, true);
    assert.equal(later.data?.eventType, 'com.ledyer.order.credit_note');
  });

  test('notification callback: one about neither an order nor a session, or without eventType, is malformed', () => {
    assertIssueAt({ eventType: 'com.ledyer.checkout.session.awaiting_signatory', merchantId: 'ac_1' }, 'orderId', /orderId .* or a sessionId/, notificationCallbackSchema as never);
    assertIssueAt({ merchantId: 'ac_1', orderId: 'or_1' }, 'eventType', /string/, notificationCallbackSchema as never);
    assertIssueAt({ eventType: 'com.ledyer.order.create', orderId: 'or_1' }, 'merchantId', /string/, notificationCallbackSchema as never);
  });

  test('error body: `{ errors: [{ message }] }` parses; a bare string does not', () => {
    assert.equal(ledyerErrorBodySchema.safeParse({ errors: [{ message: 'nope', code: 'x' }] }).success, true);
    assert.equal(ledyerErrorBodySchema.safeParse('nope').success, false);
  });
});

describe("what Ledyer's plugins send every day", () => {
  test('null for metadata, customer, reference, storeId and every optional URL; empty string for an unused URL', () => {
    const body = withChange((b) => {
      b.metadata = null;
      b.customer = null;
      b.reference = null;
      b.storeId = null;
      b.settings.urls = { terms: 'https://shop.example/terms', privacy: null, confirmation: '', notification: null, validate: null };
    });
    const parsed = createSessionRequestSchema.parse(body);
    assert.equal(parsed.customer, null);
    assert.equal(parsed.settings.urls.confirmation, '');
  });

  test('lines with totals only (no unitPrice, no unitDiscountAmount) pass; their VAT and the order totals are still checked', () => {
    const totalsOnly = withChange((b) => {
      for (const line of b.orderLines) {
        delete line.unitPrice;
        delete line.unitDiscountAmount;
      }
    });
    assert.equal(createSessionRequestSchema.parse(totalsOnly).orderLines?.[0]?.unitPrice, undefined);
    assertIssueAt(withChange((b) => {
      delete b.orderLines[0].unitPrice;
      delete b.orderLines[0].unitDiscountAmount;
      b.orderLines[0].totalVatAmount = 90000;
    }), 'orderLines.0.totalVatAmount', /must be 100000 \(±1\)/);
    assertIssueAt(withChange((b) => {
      delete b.orderLines[0].unitPrice;
      b.orderLines[0].totalAmount = 400000;
    }), 'totalOrderAmount', /= 410000, got 510000/);
  });

  test('a unitDiscountAmount without a unitPrice is refused: there is nothing to discount', () => {
    assertIssueAt(withChange((b) => delete b.orderLines[0].unitPrice), 'orderLines.0.unitPrice', /required when unitDiscountAmount is given/);
  });

  test('a priced line with a negative total must be a discount line, with or without unitPrice', () => {
    assertIssueAt(withChange((b) => {
      delete b.orderLines[1].unitPrice;
      delete b.orderLines[1].unitDiscountAmount;
      b.orderLines[1].totalAmount = -10000;
      b.orderLines[1].totalVatAmount = -2000;
      b.totalOrderAmount = 490000;
      b.totalOrderVatAmount = 98000;
      b.totalOrderAmountExclVat = 392000;
    }), 'orderLines.1.totalAmount', /shippingFee line must not have a negative totalAmount/);
  });

  test("the newer documented fields: settings.security.validationSuccessOnTimeout, tokenize, customer.ssn", () => {
    const body = withChange((b) => {
      b.settings.security.validationSuccessOnTimeout = true;
      b.tokenize = false;
      b.customer.ssn = '19900101-1234';
    });
    const parsed = createSessionRequestSchema.parse(body);
    assert.equal(parsed.settings.security?.validationSuccessOnTimeout, true);
    assert.equal(parsed.tokenize, false);
    assertIssueAt(withChange((b) => (b.tokenize = 'yes')), 'tokenize', /boolean/);
    assertIssueAt(withChange((b) => (b.settings.security.validationSuccesOnTimeout = true)), 'settings.security', /validationSuccesOnTimeout/);
  });

  test('a gift card (vat 0) may be left out of totalOrderAmountExclVat, as the WooCommerce plugin computes it', () => {
    const withGiftCard = (exclVat: number) =>
      withChange((b) => {
        b.orderLines.push({ type: 'giftCard', reference: 'GC-1', description: 'Gift card', quantity: 1, vat: 0, totalAmount: -10000, totalVatAmount: 0 });
        b.totalOrderAmount = 500000;
        b.totalOrderAmountExclVat = exclVat;
      });
    assert.equal(createSessionRequestSchema.safeParse(withGiftCard(398000)).success, true, 'total − VAT');
    assert.equal(createSessionRequestSchema.safeParse(withGiftCard(408000)).success, true, 'total − VAT, gift card left out');
    assertIssueAt(withGiftCard(400000), 'totalOrderAmountExclVat', /= 398000 \(or 408000 leaving out gift cards\), got 400000/);
  });

  test('an empty string is not a terms URL: Ledyer requires terms', () => {
    assertIssueAt(withChange((b) => (b.settings.urls.terms = '')), 'settings.urls.terms', /terms/);
  });
});

describe('update session', () => {
  const totals = { totalOrderAmount: 510000, totalOrderVatAmount: 102000, totalOrderAmountExclVat: 408000 };

  test('the three totals alone are a valid update (Ledyer: the only required fields)', () => {
    assert.deepEqual(updateSessionRequestSchema.parse(totals), totals);
  });

  test("what the WooCommerce plugin sends on a cart change passes: lines, totals and settings.security only", () => {
    const seed = seedCreateSessionRequest() as Body;
    const body = { country: 'SE', currency: 'SEK', locale: 'sv-SE', orderLines: seed.orderLines, settings: { security: { level: 300, requireClientValidation: true } }, ...totals };
    assert.equal(updateSessionRequestSchema.safeParse(body).success, true);
  });

  test('a missing total is refused and named', () => {
    const { totalOrderVatAmount: _omitted, ...rest } = totals;
    assertIssueAt(rest, 'totalOrderVatAmount', /integer in minor units/, updateSessionRequestSchema as never);
  });

  test('lines that disagree with the totals, a misspelt field and removing terms are refused', () => {
    const seed = seedCreateSessionRequest() as Body;
    assertIssueAt({ orderLines: seed.orderLines, ...totals, totalOrderAmount: 1 }, 'totalOrderAmount', /= 510000, got 1/, updateSessionRequestSchema as never);
    assertIssueAt({ ...totals, orderlines: [] }, '', /orderlines/, updateSessionRequestSchema as never);
    assertIssueAt({ ...totals, settings: { urls: { terms: null } } }, 'settings.urls.terms', /cannot be removed/, updateSessionRequestSchema as never);
    assertIssueAt({ ...totals, totalOrderAmountExclVat: 1 }, 'totalOrderAmountExclVat', /= 408000, got 1/, updateSessionRequestSchema as never);
  });
});

describe('capture, partial capture, refund and reference bodies', () => {
  const machine = { type: 'physical', reference: '111-222-333', description: 'Coffee Machine X200', quantity: 9, vat: 2500, totalAmount: 450000, totalVatAmount: 90000 };
  const shipping = { type: 'shippingFee', reference: '444-555-666', description: 'Shipping fee', quantity: 1, unitPrice: 10000, vat: 2500, totalAmount: 10000, totalVatAmount: 2000, id: 'ol_1' };

  test('a capture names its lines (as the order-management plugin sends them) and their total', () => {
    const parsed = captureOrderRequestSchema.parse({ orderLines: [machine, shipping], totalCaptureAmount: 460000 });
    assert.equal(parsed.orderLines.length, 2);
    assert.equal(partialCaptureOrderRequestSchema.safeParse({ orderLines: [shipping], totalCaptureAmount: 10000 }).success, true);
  });

  test('a capture total that is not the sum of its lines, an empty capture, and a line with wrong VAT are refused', () => {
    assertIssueAt({ orderLines: [machine], totalCaptureAmount: 460000 }, 'totalCaptureAmount', /= 450000, got 460000/, captureOrderRequestSchema as never);
    assertIssueAt({ orderLines: [], totalCaptureAmount: 0 }, 'orderLines', /at least one line/, captureOrderRequestSchema as never);
    assertIssueAt({ orderLines: [{ ...machine, totalVatAmount: 1 }], totalCaptureAmount: 450000 }, 'orderLines.0.totalVatAmount', /must be 90000/, captureOrderRequestSchema as never);
    assertIssueAt({ orderLines: [{ ...machine, price: 1 }], totalCaptureAmount: 450000 }, 'orderLines.0', /price/, captureOrderRequestSchema as never);
  });

  test('a partial refund sends positive amounts that add up to totalRefundAmount', () => {
    assert.equal(partialRefundOrderRequestSchema.safeParse({ orderLines: [{ ...machine, quantity: 1, totalAmount: 50000, totalVatAmount: 10000 }], totalRefundAmount: 50000 }).success, true);
    assertIssueAt({ orderLines: [{ ...machine, quantity: 1, totalAmount: -50000, totalVatAmount: -10000 }], totalRefundAmount: 50000 }, 'orderLines.0.totalAmount', /positive amount/, partialRefundOrderRequestSchema as never);
    assertIssueAt({ orderLines: [machine], totalRefundAmount: 0 }, 'totalRefundAmount', /positive/, partialRefundOrderRequestSchema as never);
  });

  test('an order reference is 1 to 50 characters', () => {
    assert.equal(setOrderReferenceRequestSchema.safeParse({ reference: 'WC-1001' }).success, true);
    assertIssueAt({ reference: 'x'.repeat(51) }, 'reference', /at most 50/, setOrderReferenceRequestSchema as never);
    assertIssueAt({ reference: '' }, 'reference', /not be empty/, setOrderReferenceRequestSchema as never);
  });
});

describe('payment status', () => {
  test("every documented status and payment method parses; one Ledyer adds later passes as a string instead of failing the read", () => {
    for (const status of ['orderInitiated', 'orderPending', 'paymentPending', 'paymentConfirmed', 'orderCaptured', 'orderRefunded', 'orderCancelled', 'unknown']) {
      assert.equal(paymentStatusSchema.parse({ status, note: '', paymentMethod: { provider: 'ledyer', type: 'advanceInvoice' } }).status, status);
    }
    const later = paymentStatusSchema.parse({ status: 'paymentOverdue', paymentMethod: { provider: 'ledyer', type: 'crypto' } });
    assert.equal(later.status, 'paymentOverdue');
    assert.equal(later.paymentMethod?.type, 'crypto');
    assert.equal(paymentStatusSchema.parse({ status: 'orderInitiated', paymentMethod: null }).paymentMethod, null);
  });

  test('a missing or empty status, or a payment method without its type, is not a payment status', () => {
    assertIssueAt({ note: '' }, 'status', /./, paymentStatusSchema as never);
    assertIssueAt({ status: '' }, 'status', /./, paymentStatusSchema as never);
    assertIssueAt({ status: 'orderInitiated', paymentMethod: { provider: 'ledyer' } }, 'paymentMethod.type', /./, paymentStatusSchema as never);
  });
});
