/** `buildOrder`: Ledyer's arithmetic done for the merchant, always schema-valid. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { buildOrder, createSessionRequestSchema, editOrderRequestSchema, LedyerValidationError, type BuildOrderLine } from '../../src/server/index.js';
import { seedCreateSessionRequest } from '../shared/seeds.js';

const machine: BuildOrderLine = { reference: '111-222-333', description: 'Coffee Machine X200', quantity: 10, unitPrice: 50000, vat: 2500 };
const shipping: BuildOrderLine = { type: 'shippingFee', reference: '444-555-666', description: 'Shipping fee', quantity: 1, unitPrice: 10000, vat: 2500 };

/** The paths of a LedyerValidationError thrown by `run`. */
function pathsOf(run: () => unknown): string[] {
  try {
    run();
  } catch (error) {
    assert.ok(error instanceof LedyerValidationError, String(error));
    return error.issues.map((issue) => issue.path.join('.'));
  }
  assert.fail('expected a LedyerValidationError');
}

describe('buildOrder', () => {
  test("the seed's lines give the seed's totals: 510000 / 102000 / 408000", () => {
    const order = buildOrder([machine, shipping]);
    assert.equal(order.totalOrderAmount, 510000);
    assert.equal(order.totalOrderVatAmount, 102000);
    assert.equal(order.totalOrderAmountExclVat, 408000);
    const seed = seedCreateSessionRequest();
    assert.deepEqual(order.orderLines, seed['orderLines']);
    // Spread into the seed's other fields, it is a valid create-session body.
    assert.equal(createSessionRequestSchema.safeParse({ ...seed, ...order }).success, true);
  });

  test('a line that breaks a rule is refused with its path, not silently fixed', () => {
    assert.deepEqual(pathsOf(() => buildOrder([machine, { ...shipping, quantity: 0 }])), ['lines.1.quantity']);
    assert.deepEqual(pathsOf(() => buildOrder([{ ...machine, unitPrice: 499.5 }])), ['lines.0.unitPrice']);
    assert.deepEqual(pathsOf(() => buildOrder([{ ...machine, vat: 25 } as BuildOrderLine, { ...machine, vat: 12000 }])), ['lines.1.vat']);
    assert.deepEqual(pathsOf(() => buildOrder([])), ['lines']);
  });

  test('a misspelt field is an error rather than ignored', () => {
    assert.deepEqual(pathsOf(() => buildOrder([{ ...machine, unitprice: 1 } as BuildOrderLine])), ['lines.0']);
  });

  test('a unit discount is taken off each unit before VAT is computed', () => {
    const order = buildOrder([{ ...machine, quantity: 2, unitPrice: 1000, unitDiscountAmount: 100 }]);
    assert.equal(order.orderLines[0]?.totalAmount, 1800);
    assert.equal(order.orderLines[0]?.totalVatAmount, 360);
    assert.deepEqual(
      { amount: order.totalOrderAmount, vat: order.totalOrderVatAmount, excl: order.totalOrderAmountExclVat },
      { amount: 1800, vat: 360, excl: 1440 },
    );
  });

  test('a unit discount larger than the unit price is refused (use a discount line)', () => {
    assert.deepEqual(pathsOf(() => buildOrder([{ ...machine, unitPrice: 1000, unitDiscountAmount: 1001 }])), ['lines.0.unitDiscountAmount']);
  });

  test('a discount line: unitPrice 0, positive unitDiscountAmount, negative totals', () => {
    const order = buildOrder([machine, { type: 'discount', reference: 'SPRING', description: 'Spring sale', quantity: 1, unitPrice: 0, unitDiscountAmount: 5000, vat: 2500 }]);
    const discount = order.orderLines[1];
    assert.equal(discount?.totalAmount, -5000);
    assert.equal(discount?.totalVatAmount, -1000);
    assert.equal(order.totalOrderAmount, 495000);
    assert.equal(order.totalOrderVatAmount, 99000);
    assert.equal(order.totalOrderAmountExclVat, 396000);
  });

  test('a discount line with a positive total is refused', () => {
    assert.deepEqual(
      pathsOf(() => buildOrder([machine, { type: 'discount', reference: 'X', description: 'Oops', quantity: 1, unitPrice: 5000, vat: 2500 }])),
      ['lines.1.totalAmount'],
    );
  });

  test('a gift card: vat 0, negative total, no VAT taken off', () => {
    const order = buildOrder([machine, { type: 'giftCard', reference: 'GC-1', description: 'Gift card', quantity: 1, unitPrice: 0, unitDiscountAmount: 20000, vat: 0 }]);
    assert.equal(order.orderLines[1]?.totalAmount, -20000);
    assert.equal(order.orderLines[1]?.totalVatAmount, 0);
    assert.equal(order.totalOrderAmount, 480000);
    assert.equal(order.totalOrderVatAmount, 100000);
    assert.equal(order.totalOrderAmountExclVat, 380000);
  });

  test('a gift card with VAT is refused, and so is one worth more than the order', () => {
    assert.deepEqual(
      pathsOf(() => buildOrder([machine, { type: 'giftCard', reference: 'GC', description: 'Gift card', quantity: 1, unitPrice: 0, unitDiscountAmount: 100, vat: 2500 }])),
      ['lines.1.vat'],
    );
    assert.deepEqual(
      pathsOf(() => buildOrder([shipping, { type: 'giftCard', reference: 'GC', description: 'Gift card', quantity: 1, unitPrice: 0, unitDiscountAmount: 10001, vat: 0 }])),
      ['totalOrderAmount'],
    );
  });

  test('VAT rounds half away from zero, symmetrically for discounts', () => {
    // 14 at 12 %: 14 − 14 / 1.12 = 1.5 exactly.
    const order = buildOrder([
      { reference: 'a', description: 'Half', quantity: 1, unitPrice: 14, vat: 1200 },
      { type: 'discount', reference: 'd', description: 'Half off', quantity: 1, unitPrice: 0, unitDiscountAmount: 14, vat: 1200 },
    ]);
    assert.deepEqual(order.orderLines.map((line) => line.totalVatAmount), [2, -2]);
    assert.equal(order.totalOrderVatAmount, 0);
  });

  test('VAT below the half rounds down', () => {
    // 13 at 12 %: 13 − 13 / 1.12 = 1.39.
    assert.equal(buildOrder([{ reference: 'a', description: 'Below half', quantity: 1, unitPrice: 13, vat: 1200 }]).orderLines[0]?.totalVatAmount, 1);
    // 3 × 3333 at 12 %: 9999 − 9999 / 1.12 = 1071.32.
    assert.equal(buildOrder([{ reference: 'b', description: 'Thirds', quantity: 3, unitPrice: 3333, vat: 1200 }]).orderLines[0]?.totalVatAmount, 1071);
  });

  test('an order discount becomes one discount line per VAT rate, adding up exactly', () => {
    const book: BuildOrderLine = { reference: 'book', description: 'Book', quantity: 1, unitPrice: 30000, vat: 600 };
    const order = buildOrder([machine, shipping, book], { orderDiscount: { amount: 10001, reference: 'SPRING', description: 'Spring sale' } });
    const discounts = order.orderLines.filter((line) => line.type === 'discount');
    assert.deepEqual(
      discounts.map((line) => [line.reference, line.vat, line.totalAmount]),
      [
        ['SPRING-vat2500', 2500, -9445],
        ['SPRING-vat600', 600, -556],
      ],
    );
    assert.equal(order.totalOrderAmount, 510000 + 30000 - 10001);
    assert.equal(editOrderRequestSchema.safeParse(order).success, true);
  });

  test('an order discount at one rate is one line with the reference as given', () => {
    const order = buildOrder([machine], { orderDiscount: { amount: 5000, reference: 'SPRING', description: 'Spring sale' } });
    assert.deepEqual(order.orderLines.slice(1).map((line) => [line.reference, line.description, line.totalAmount, line.totalVatAmount]), [['SPRING', 'Spring sale', -5000, -1000]]);
  });

  test('an order discount larger than the goods is refused', () => {
    assert.deepEqual(pathsOf(() => buildOrder([shipping], { orderDiscount: { amount: 10001, reference: 'X', description: 'Too much' } })), [
      'options.orderDiscount.amount',
    ]);
    assert.deepEqual(pathsOf(() => buildOrder([shipping], { orderDiscount: { amount: -1, reference: 'X', description: 'Negative' } })), [
      'options.orderDiscount.amount',
    ]);
  });

  test('whatever valid lines go in, the result passes the schema (randomised, seeded)', () => {
    let seed = 42;
    const random = (): number => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const rates = [0, 600, 1200, 2500, 2550];
    for (let run = 0; run < 300; run += 1) {
      const lines: BuildOrderLine[] = Array.from({ length: 1 + Math.floor(random() * 5) }, (_, index) => {
        const unitPrice = Math.floor(random() * 200_000);
        return {
          reference: `sku-${index}`,
          description: `Item ${index}`,
          quantity: 1 + Math.floor(random() * 50),
          unitPrice,
          unitDiscountAmount: Math.floor(random() * unitPrice * 0.3),
          vat: rates[Math.floor(random() * rates.length)]!,
        };
      });
      const goods = buildOrder(lines).totalOrderAmount;
      const order = buildOrder(lines, goods > 0 ? { orderDiscount: { amount: 1 + Math.floor(random() * goods), reference: 'D', description: 'Discount' } } : {});
      const checked = editOrderRequestSchema.safeParse(order);
      assert.equal(checked.success, true, JSON.stringify({ lines, issues: checked.error?.issues }));
      assert.ok(order.totalOrderAmount >= 0);
    }
  });
});
