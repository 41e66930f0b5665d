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

  test('an order event of an undocumented type is malformed', () => {
    const order = seedOrderResponse() as Body;
    order.events[0].type = 'teleport';
    assertIssueAt(order, 'events.0.type', /./, orderSchema as never);
  });

  test('validate callback: Ledyer\'s body parses; one without orderId does not', () => {
    assert.equal(validateCallbackSchema.safeParse({ merchantId: 'ac_1', orderId: 'or_1', reference: 'R1', storeId: null }).success, true);
    assertIssueAt({ merchantId: 'ac_1', reference: 'R1' }, 'orderId', /./, validateCallbackSchema as never);
  });

  test('notification callback: order and session events parse; unknown event types do not', () => {
    assert.equal(notificationCallbackSchema.safeParse({ eventType: 'com.ledyer.order.create', merchantId: 'ac_1', orderId: 'or_1', reference: '', storeId: '1' }).success, true);
    assert.equal(notificationCallbackSchema.safeParse({ eventType: 'com.ledyer.checkout.session.awaiting_signatory', merchantId: 'ac_1', sessionId: 'cs_1' }).success, true);
    assert.equal(notificationCallbackSchema.safeParse({ eventType: 'com.ledyer.order.explode', merchantId: 'ac_1', orderId: 'or_1' }).success, false);
    assert.equal(notificationCallbackSchema.safeParse({ eventType: 'com.ledyer.checkout.session.awaiting_signatory', merchantId: 'ac_1' }).success, false);
  });

  test('error body: `{ errors: [{ message }] }` parses; a bare string does not', () => {
    assert.equal(ledyerErrorBodySchema.safeParse({ errors: [{ message: 'nope', code: 'x' }] }).success, true);
    assert.equal(ledyerErrorBodySchema.safeParse('nope').success, false);
  });
});
