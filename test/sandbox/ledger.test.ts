/**
 * The ledger model over raw HTTP: capture, partial capture, refund, partial refund, cancel,
 * acknowledge, reference, extend expiry, with their refusals, and what the order entity,
 * the payment status and the notifications say after each step.
 */
import assert from 'node:assert/strict';
import { after, afterEach, before, beforeEach, describe, test } from 'node:test';
import { notificationCallbackSchema, orderSchema } from '../../src/server/schemas.js';
import { seedCreateSessionRequest } from '../shared/seeds.js';
import { buyOrder, startClient, startCoreClient, startReceiver, type CoreClient, type Receiver, type SandboxClient } from './helpers.js';

type Line = Record<string, unknown>;

const coffee = (quantity: number, extra: Line = {}): Line => ({
  type: 'physical',
  reference: '111-222-333',
  description: 'Coffee Machine X200',
  quantity,
  unitPrice: 50000,
  unitDiscountAmount: 0,
  vat: 2500,
  totalAmount: quantity * 50000,
  totalVatAmount: quantity * 10000,
  ...extra,
});
const shipping = (extra: Line = {}): Line => ({
  type: 'shippingFee',
  reference: '444-555-666',
  description: 'Shipping fee',
  quantity: 1,
  unitPrice: 10000,
  unitDiscountAmount: 0,
  vat: 2500,
  totalAmount: 10000,
  totalVatAmount: 2000,
  ...extra,
});
const sum = (lines: Line[]): number => lines.reduce((total, line) => total + (line['totalAmount'] as number), 0);
const captureBody = (lines: Line[]): Line => ({ orderLines: lines, totalCaptureAmount: sum(lines) });
const refundBody = (lines: Line[]): Line => ({ orderLines: lines, totalRefundAmount: sum(lines) });
const types = (items: Array<{ type: string }>): string[] => items.map((item) => item.type);
const amounts = (events: Array<{ amount: { minorUnits: number } }>): number[] => events.map((event) => event.amount.minorUnits);

let client: SandboxClient;
let receiver: Receiver;
before(async () => {
  client = await startClient({ notificationRetryDelaysMs: [] });
});
after(() => client.close());
beforeEach(async () => {
  receiver = await startReceiver();
});
afterEach(() => receiver.close());

/** A bought seed order that notifies `receiver`. */
async function order(): Promise<string> {
  const body = seedCreateSessionRequest() as { settings: { urls: Record<string, unknown> } };
  body.settings.urls['notification'] = `${receiver.url}/notify`;
  const { orderId } = await buyOrder(client, body as unknown as Record<string, unknown>);
  await receiver.waitFor(2);
  return orderId;
}

const get = async (orderId: string): Promise<any> => (await client.api('GET', `/v1/orders/${orderId}`)).body;
const paymentStatus = async (orderId: string): Promise<string> => (await client.api('GET', `/v1/orders/${orderId}/paymentstatus`)).body.status;

describe('the life of an order: acknowledge, reference, ship in two parts, refund one line', () => {
  test('every step shows in the entity, the payment status and the notifications', async () => {
    const orderId = await order();
    assert.equal(await paymentStatus(orderId), 'paymentConfirmed');

    const acknowledged = await client.api('POST', `/v1/orders/${orderId}/acknowledge`);
    assert.equal(acknowledged.status, 201);
    assert.equal((await client.api('POST', `/v1/orders/${orderId}/reference`, { reference: 'PO-1001' })).status, 200);

    // First shipment: 4 of the 10 coffee machines.
    const first = await client.api('POST', `/v1/orders/${orderId}/partialcapture`, captureBody([coffee(4)]));
    assert.equal(first.status, 200, JSON.stringify(first.body));
    orderSchema.parse(first.body);
    const machineLineId = first.body.captured[0].orderLines[0].id;
    assert.deepEqual(first.body.status, ['partiallyCaptured']);
    assert.equal(first.body.captured.length, 1);
    assert.match(first.body.captured[0].ledgerId, /^in_[0-9A-Za-z]{27}$/);
    assert.notEqual(first.body.captured[0].ledgerId, first.body.uncaptured.ledgerId);
    assert.deepEqual(
      first.body.uncaptured.orderLines.map((line: Line) => [line['id'], line['quantity'], line['totalAmount'], line['totalVatAmount']]),
      [
        [machineLineId, 6, 300000, 60000],
        [first.body.uncaptured.orderLines[1].id, 1, 10000, 2000],
      ],
      'the split line keeps its ol_ id and shrinks',
    );
    assert.deepEqual(types(first.body.uncaptured.availableActions), ['capture', 'partialCapture', 'editCustomer', 'editOrder', 'extendOrderExpiry']);
    assert.deepEqual(types(first.body.captured[0].availableActions), ['refund', 'partialRefund']);
    assert.equal(first.body.uncapturedAmount.minorUnits, 310000);
    assert.equal(first.body.capturedAmount.formattedWithCurrency, 'SEK 2,000.00');
    assert.equal(first.body.orderAmount.minorUnits, 510000);
    assert.equal(await paymentStatus(orderId), 'paymentConfirmed', 'partly captured stays paymentConfirmed');

    // Second shipment: the rest, with the lines as the client reads them from the order.
    const rest = first.body.uncaptured.orderLines;
    const second = await client.api('POST', `/v1/orders/${orderId}/capture`, captureBody(rest));
    assert.equal(second.status, 200, JSON.stringify(second.body));
    assert.deepEqual(second.body.status, ['fullyCaptured']);
    assert.equal(second.body.uncaptured, null);
    assert.equal(second.body.uncapturedAmount.minorUnits, 0);
    assert.equal(second.body.capturedAmount.minorUnits, 510000);
    assert.deepEqual(second.body.captured.map((ledger: { totalOrderAmount: { minorUnits: number } }) => ledger.totalOrderAmount.minorUnits), [200000, 310000]);
    assert.equal(second.body.captured[1].orderLines[0].id, machineLineId, 'both captured pieces keep the line id');
    assert.equal(await paymentStatus(orderId), 'orderCaptured');

    // A refund of the shipping fee on the second invoice, positive amounts as the OM plugin sends them.
    const secondLedger = second.body.captured[1].ledgerId;
    const refund = await client.api('POST', `/v1/orders/${orderId}/partialrefund/${secondLedger}`, refundBody([shipping({ unitPrice: undefined, unitDiscountAmount: undefined })]));
    assert.equal(refund.status, 200, JSON.stringify(refund.body));
    const final = refund.body;
    orderSchema.parse(final);
    assert.deepEqual(await get(orderId), final);
    assert.deepEqual(final.status, ['fullyCaptured', 'partiallyRefunded']);
    assert.equal(final.refunded.length, 1);
    assert.deepEqual(final.refunded[0].orderLines.map((line: Line) => [line['reference'], line['quantity'], line['totalAmount'], line['totalVatAmount']]), [['444-555-666', 1, 10000, 2000]]);
    assert.equal(final.refunded[0].orderLines[0].id, second.body.captured[1].orderLines[1].id);
    assert.equal(final.refundedAmount.formattedWithCurrency, 'SEK 100.00');
    assert.equal(final.capturedAmount.minorUnits, 510000);
    assert.equal(final.orderAmount.minorUnits, 510000);
    assert.deepEqual(types(final.captured[1].availableActions), ['refund', 'partialRefund'], 'the machines are still refundable');
    assert.equal(final.merchantReference, 'PO-1001');
    assert.deepEqual(types(final.events), ['partialRefund', 'fullCapture', 'partialCapture', 'setReference', 'acknowledge', 'readyForCapture', 'create']);
    assert.deepEqual(amounts(final.events), [-10000, 310000, 200000, 0, 0, 0, 510000]);
    assert.deepEqual(
      final.events.slice(0, 3).map((event: { ledgerId: string }) => event.ledgerId),
      [final.refunded[0].ledgerId, secondLedger, final.captured[0].ledgerId],
    );
    assert.equal(final.events[3].ledgerId, final.events[6].ledgerId, 'order-level events name the uncaptured ledger');
    assert.equal(final.events[0].amount.formattedWithCurrency, '-SEK 100.00');
    assert.equal(await paymentStatus(orderId), 'orderCaptured', 'partly refunded stays orderCaptured');

    const received = await receiver.waitFor(5);
    assert.deepEqual(
      received.map((entry) => entry.body.eventType),
      ['com.ledyer.order.create', 'com.ledyer.order.ready_for_capture', 'com.ledyer.order.part_capture', 'com.ledyer.order.full_capture', 'com.ledyer.order.part_refund'],
    );
    for (const entry of received) {
      notificationCallbackSchema.parse(entry.body);
      assert.equal(entry.body.orderId, orderId);
    }
    assert.equal(received[4]!.body.reference, 'PO-1001');
  });

  test('refunding everything captured: fullRefund, full_refund, orderRefunded, no refund actions left', async () => {
    const orderId = await order();
    const captured = await client.api('POST', `/v1/orders/${orderId}/capture`, captureBody([coffee(10), shipping()]));
    const ledgerId = captured.body.captured[0].ledgerId;
    const part = await client.api('POST', `/v1/orders/${orderId}/partialrefund/${ledgerId}`, refundBody([coffee(1)]));
    assert.deepEqual(part.body.status, ['fullyCaptured', 'partiallyRefunded']);
    const rest = await client.api('POST', `/v1/orders/${orderId}/refund/${ledgerId}`);
    assert.equal(rest.status, 200, JSON.stringify(rest.body));
    assert.deepEqual(rest.body.status, ['fullyCaptured', 'fullyRefunded']);
    assert.deepEqual(rest.body.captured[0].availableActions, []);
    assert.deepEqual(
      rest.body.refunded[1].orderLines.map((line: Line) => [line['reference'], line['quantity'], line['totalAmount'], line['unitPrice']]),
      [
        ['111-222-333', 9, 450000, 50000],
        ['444-555-666', 1, 10000, 10000],
      ],
    );
    assert.equal(rest.body.refundedAmount.minorUnits, 510000);
    assert.deepEqual(types(rest.body.events.slice(0, 2)), ['fullRefund', 'partialRefund']);
    assert.deepEqual(amounts(rest.body.events.slice(0, 3)), [-460000, -50000, 510000]);
    assert.equal(await paymentStatus(orderId), 'orderRefunded');
    const received = await receiver.waitFor(5);
    assert.deepEqual(received.slice(2).map((entry) => entry.body.eventType), ['com.ledyer.order.full_capture', 'com.ledyer.order.part_refund', 'com.ledyer.order.full_refund']);
    const again = await client.api('POST', `/v1/orders/${orderId}/refund/${ledgerId}`);
    assert.equal(again.status, 409);
    assert.match(again.body.errors[0].message, /already fully refunded/);
  });
});

describe('capture', () => {
  test('a body that does not match what remains is 400 naming what remains, and nothing is captured', async () => {
    const orderId = await order();
    const remaining = 'remaining uncaptured: 10 × 111-222-333 (500000), 1 × 444-555-666 (10000); total 510000';
    const cases: Array<[string, unknown, RegExp]> = [
      ['no body', undefined, /capture needs a body/],
      ['an empty object', {}, /orderLines/],
      ['one unit short', captureBody([coffee(9), shipping()]), /orderLines\[0\]\.quantity: must be 10/],
      ['a line left out', captureBody([coffee(10)]), /444-555-666 \(10000\) remains uncaptured but is not listed/],
      ['a line that is not on the order', captureBody([coffee(10), shipping(), coffee(1, { reference: 'nope' })]), /no physical line with reference "nope"/],
      ['an unknown line id', captureBody([coffee(10, { id: 'ol_unknown' }), shipping()]), /id "ol_unknown" is not a line/],
      ['another unit price', captureBody([coffee(10, { unitPrice: 40000, totalAmount: 400000, totalVatAmount: 80000 }), shipping()]), /unitPrice: must be 50000/],
    ];
    for (const [name, body, message] of cases) {
      const answer = await client.api('POST', `/v1/orders/${orderId}/capture`, body);
      assert.equal(answer.status, 400, name);
      const text = answer.body.errors.map((error: { message: string }) => error.message).join('\n');
      assert.match(text, message, name);
      assert.ok(text.includes(remaining), `${name}: the refusal names what remains:\n${text}`);
    }
    const unchanged = await get(orderId);
    assert.deepEqual(unchanged.status, ['uncaptured']);
    assert.equal(unchanged.captured.length, 0);
    assert.equal(unchanged.events.length, 2);
  });

  test('lines matched by id are captured whatever their order in the body', async () => {
    const orderId = await order();
    const lines = (await get(orderId)).uncaptured.orderLines as Line[];
    const answer = await client.api('POST', `/v1/orders/${orderId}/capture`, captureBody([...lines].reverse()));
    assert.equal(answer.status, 200, JSON.stringify(answer.body));
    assert.deepEqual(answer.body.captured[0].orderLines.map((line: Line) => line['id']), lines.map((line) => line['id']));
  });

  test('a second capture, or one after cancel, is 409', async () => {
    const orderId = await order();
    assert.equal((await client.api('POST', `/v1/orders/${orderId}/capture`, captureBody([coffee(10), shipping()]))).status, 200);
    const again = await client.api('POST', `/v1/orders/${orderId}/capture`, captureBody([coffee(10), shipping()]));
    assert.equal(again.status, 409);
    assert.match(again.body.errors[0].message, /nothing remains uncaptured/);
    const cancelled = await order();
    assert.equal((await client.api('DELETE', `/v1/orders/${cancelled}`)).status, 200);
    assert.equal((await client.api('POST', `/v1/orders/${cancelled}/partialcapture`, captureBody([coffee(1)]))).status, 409);
  });
});

describe('partial capture', () => {
  test('takes part of a line at its proportional amount; the refusals name the rule', async () => {
    const orderId = await order();
    const cases: Array<[string, Line, RegExp]> = [
      ['more than remains', captureBody([coffee(11)]), /orderLines\[0\]\.quantity: at most 10 of 111-222-333 remain uncaptured, got 11/],
      ['not the proportional amount', captureBody([coffee(2, { unitPrice: undefined, unitDiscountAmount: undefined, totalAmount: 90000, totalVatAmount: 18000 })]), /totalAmount: must be 100000, 2 × 50000/],
      ['the whole line at another amount', captureBody([shipping({ unitPrice: undefined, unitDiscountAmount: undefined, totalAmount: 9000, totalVatAmount: 1800 })]), /totalAmount: must be 10000: all 1 units/],
      ['no lines', captureBody([]), /orderLines: orderLines must list at least one line/],
    ];
    for (const [name, body, message] of cases) {
      const answer = await client.api('POST', `/v1/orders/${orderId}/partialcapture`, body);
      assert.equal(answer.status, 400, name);
      assert.match(answer.body.errors.map((error: { message: string }) => error.message).join('\n'), message, name);
    }
    const [machines] = (await get(orderId)).uncaptured.orderLines as Line[];
    const twice = await client.api('POST', `/v1/orders/${orderId}/partialcapture`, captureBody([coffee(1, { id: machines!['id'] }), coffee(1, { id: machines!['id'] })]));
    assert.equal(twice.status, 400);
    assert.match(twice.body.errors[0].message, /listed twice/);
    assert.equal((await get(orderId)).captured.length, 0, 'nothing was captured by any refusal');
  });

  test('a line without unitPrice splits only into equal units', async () => {
    const body = seedCreateSessionRequest() as Record<string, any>;
    body['orderLines'] = [
      { type: 'physical', reference: 'EVEN', description: 'Even', quantity: 4, vat: 2500, totalAmount: 1000, totalVatAmount: 200 },
      { type: 'physical', reference: 'ODD', description: 'Odd', quantity: 3, vat: 2500, totalAmount: 1000, totalVatAmount: 200 },
    ];
    Object.assign(body, { totalOrderAmount: 2000, totalOrderVatAmount: 400, totalOrderAmountExclVat: 1600 });
    const { orderId } = await buyOrder(client, body);
    const odd = await client.api('POST', `/v1/orders/${orderId}/partialcapture`, captureBody([{ type: 'physical', reference: 'ODD', description: 'Odd', quantity: 1, vat: 2500, totalAmount: 333, totalVatAmount: 67 }]));
    assert.equal(odd.status, 400);
    assert.match(odd.body.errors[0].message, /does not split into 3 equal units: take all 3 or none/);
    const even = await client.api('POST', `/v1/orders/${orderId}/partialcapture`, captureBody([{ type: 'physical', reference: 'EVEN', description: 'Even', quantity: 1, vat: 2500, totalAmount: 250, totalVatAmount: 50 }]));
    assert.equal(even.status, 200, JSON.stringify(even.body));
    assert.deepEqual(even.body.uncaptured.orderLines.map((line: Line) => [line['reference'], line['quantity'], line['totalAmount'], line['totalVatAmount']]), [
      ['EVEN', 3, 750, 150],
      ['ODD', 3, 1000, 200],
    ]);
  });

  test('VAT must leave the rest of the line coherent, so the rest can always be captured', async () => {
    const body = seedCreateSessionRequest() as Record<string, any>;
    // 999 at 25 % is 199.8: 201 is within Ledyer's ±1 of 200.
    body['orderLines'] = [{ type: 'physical', reference: 'TRIO', description: 'Trio', quantity: 3, unitPrice: 333, vat: 2500, totalAmount: 999, totalVatAmount: 201 }];
    Object.assign(body, { totalOrderAmount: 999, totalOrderVatAmount: 201, totalOrderAmountExclVat: 798 });
    const { orderId } = await buyOrder(client, body);
    const line = { type: 'physical', reference: 'TRIO', description: 'Trio', quantity: 1, unitPrice: 333, vat: 2500, totalAmount: 333 };
    const off = await client.api('POST', `/v1/orders/${orderId}/partialcapture`, captureBody([{ ...line, totalVatAmount: 66 }]));
    assert.equal(off.status, 400);
    assert.match(off.body.errors[0].message, /totalVatAmount: must be between 67 and 68/);
    const ok = await client.api('POST', `/v1/orders/${orderId}/partialcapture`, captureBody([{ ...line, totalVatAmount: 67 }]));
    assert.equal(ok.status, 200, JSON.stringify(ok.body));
    const second = await client.api('POST', `/v1/orders/${orderId}/partialcapture`, captureBody([{ ...line, totalVatAmount: 67 }]));
    assert.equal(second.status, 200, JSON.stringify(second.body));
    const rest = second.body.uncaptured.orderLines as Line[];
    assert.deepEqual(rest.map((left) => [left['quantity'], left['totalAmount'], left['totalVatAmount']]), [[1, 333, 67]]);
    const last = await client.api('POST', `/v1/orders/${orderId}/capture`, captureBody(rest));
    assert.equal(last.status, 200, JSON.stringify(last.body));
    assert.equal(last.body.capturedAmount.minorUnits, 999);
  });

  test('a partial capture that takes everything left is a full capture', async () => {
    const orderId = await order();
    const answer = await client.api('POST', `/v1/orders/${orderId}/partialcapture`, captureBody([coffee(10), shipping()]));
    assert.deepEqual(answer.body.status, ['fullyCaptured']);
    assert.equal(answer.body.events[0].type, 'fullCapture');
    assert.equal((await receiver.waitFor(3))[2]!.body.eventType, 'com.ledyer.order.full_capture');
  });
});

describe('refunds', () => {
  async function capturedOrder(): Promise<{ orderId: string; ledgerId: string }> {
    const orderId = await order();
    const captured = await client.api('POST', `/v1/orders/${orderId}/capture`, captureBody([coffee(10), shipping()]));
    return { orderId, ledgerId: captured.body.captured[0].ledgerId };
  }

  test('a refund never exceeds what is left of its ledger (400 naming what is left)', async () => {
    const { orderId, ledgerId } = await capturedOrder();
    const over = await client.api('POST', `/v1/orders/${orderId}/partialrefund/${ledgerId}`, refundBody([shipping({ unitPrice: undefined, unitDiscountAmount: undefined, totalAmount: 20000, totalVatAmount: 4000 })]));
    assert.equal(over.status, 400);
    const text = over.body.errors.map((error: { message: string }) => error.message).join('\n');
    assert.match(text, /orderLines\[0\]\.totalAmount: at most 10000 of 444-555-666 is left to refund/);
    assert.ok(text.includes(`left to refund on ${ledgerId}: 10 × 111-222-333 (500000), 1 × 444-555-666 (10000); total 510000`), text);

    assert.equal((await client.api('POST', `/v1/orders/${orderId}/partialrefund/${ledgerId}`, refundBody([shipping()]))).status, 200);
    const twice = await client.api('POST', `/v1/orders/${orderId}/partialrefund/${ledgerId}`, refundBody([shipping()]));
    assert.equal(twice.status, 400);
    assert.match(twice.body.errors[0].message, /444-555-666 \(shippingFee\) is already fully refunded on in_/);
    assert.match(twice.body.errors.at(-1).message, /left to refund on in_\w+: 10 × 111-222-333 \(500000\); total 500000/);

    const order = await get(orderId);
    assert.equal(order.refunded.length, 1);
    assert.equal(order.refundedAmount.minorUnits, 10000);
  });

  test('an amount-only refund of part of a line: what is left shrinks by money, VAT stays coherent', async () => {
    const { orderId, ledgerId } = await capturedOrder();
    const part = { type: 'shippingFee', reference: '444-555-666', description: 'Shipping fee', quantity: 1, vat: 2500 };
    const first = await client.api('POST', `/v1/orders/${orderId}/partialrefund/${ledgerId}`, refundBody([{ ...part, totalAmount: 4000, totalVatAmount: 800 }]));
    assert.equal(first.status, 200, JSON.stringify(first.body));
    const rest = await client.api('POST', `/v1/orders/${orderId}/partialrefund/${ledgerId}`, refundBody([{ ...part, totalAmount: 6000, totalVatAmount: 1199 }]));
    assert.equal(rest.status, 400, 'the rest of a line takes the rest of its VAT');
    assert.match(rest.body.errors[0].message, /totalVatAmount: must be 1200/);
    assert.equal((await client.api('POST', `/v1/orders/${orderId}/partialrefund/${ledgerId}`, refundBody([{ ...part, totalAmount: 6000, totalVatAmount: 1200 }]))).status, 200);
  });

  test('an unknown ledger is 404; the uncaptured ledger is not a captured one', async () => {
    const orderId = await order();
    const uncapturedLedger = (await get(orderId)).uncaptured.ledgerId;
    const unknown = await client.api('POST', `/v1/orders/${orderId}/refund/in_unknown`);
    assert.equal(unknown.status, 404);
    assert.match(unknown.body.errors[0].message, /no captured ledger "in_unknown"/);
    assert.equal((await client.api('POST', `/v1/orders/${orderId}/partialrefund/${uncapturedLedger}`, refundBody([shipping()]))).status, 404);
    assert.equal((await client.api('POST', '/v1/orders/or_unknown/refund/in_unknown')).status, 404);
  });

  test('refund takes no body or [] (omnipay-ledyer), or a body listing exactly what is left', async () => {
    const { orderId, ledgerId } = await capturedOrder();
    const partial = await client.api('POST', `/v1/orders/${orderId}/refund/${ledgerId}`, refundBody([shipping()]));
    assert.equal(partial.status, 400);
    assert.match(partial.body.errors[0].message, /refund takes everything left on in_\w+ \(use partialrefund for part\)/);
    const exact = await client.api('POST', `/v1/orders/${orderId}/refund/${ledgerId}`, refundBody([coffee(10), shipping()]));
    assert.equal(exact.status, 200, JSON.stringify(exact.body));
    const other = await capturedOrder();
    const empty = await client.api('POST', `/v1/orders/${other.orderId}/refund/${other.ledgerId}`, []);
    assert.equal(empty.status, 200);
    assert.equal(empty.body.refundedAmount.minorUnits, 510000);
  });
});

describe('cancel', () => {
  test('cancel while nothing is captured: cancelled, orderCancelled, the cancel notification', async () => {
    const orderId = await order();
    const cancel = await client.api('DELETE', `/v1/orders/${orderId}`);
    assert.equal(cancel.status, 200);
    assert.deepEqual(cancel.body.status, ['cancelled']);
    assert.equal(cancel.body.uncaptured, null);
    assert.equal(cancel.body.orderAmount.minorUnits, 510000, 'what was ordered');
    assert.deepEqual([cancel.body.events[0].type, cancel.body.events[0].amount.minorUnits], ['cancel', -510000]);
    assert.equal(await paymentStatus(orderId), 'orderCancelled');
    assert.equal((await receiver.waitFor(3))[2]!.body.eventType, 'com.ledyer.order.cancel');
    assert.equal((await client.api('DELETE', `/v1/orders/${orderId}`)).status, 409);
  });

  test('cancel after a capture is 409 and changes nothing', async () => {
    const orderId = await order();
    await client.api('POST', `/v1/orders/${orderId}/partialcapture`, captureBody([coffee(1)]));
    const cancel = await client.api('DELETE', `/v1/orders/${orderId}`);
    assert.equal(cancel.status, 409);
    assert.match(cancel.body.errors[0].message, /can no longer be cancelled; refund them instead/);
    assert.deepEqual((await get(orderId)).status, ['partiallyCaptured']);
  });
});

describe('acknowledge, reference, extend expiry, edit customer', () => {
  test('acknowledge answers 201 to no body, {} or [] (Magento); twice is harmless; another body is 400', async () => {
    const orderId = await order();
    for (const body of [undefined, {}, []]) {
      const answer = await client.api('POST', `/v1/orders/${orderId}/acknowledge`, body);
      assert.equal(answer.status, 201, JSON.stringify(body));
    }
    assert.equal((await get(orderId)).events.filter((event: { type: string }) => event.type === 'acknowledge').length, 1);
    const other = await client.api('POST', `/v1/orders/${orderId}/acknowledge`, { acknowledged: true });
    assert.equal(other.status, 400);
    assert.match(other.body.errors[0].message, /acknowledge takes no body/);
  });

  test('reference: 1 to 50 characters, the field named when refused', async () => {
    const orderId = await order();
    for (const body of [{ reference: '' }, { reference: 'x'.repeat(51) }, {}, { reference: 42 }, { reference: 'PO-1', extra: 1 }]) {
      const answer = await client.api('POST', `/v1/orders/${orderId}/reference`, body);
      assert.equal(answer.status, 400, JSON.stringify(body));
      assert.ok(answer.body.errors.some((error: { path: string }) => error.path === 'reference' || error.path === 'extra'), JSON.stringify(answer.body));
    }
    const ok = await client.api('POST', `/v1/orders/${orderId}/reference`, { reference: 'x'.repeat(50) });
    assert.equal(ok.status, 200);
    assert.equal(ok.body.merchantReference, 'x'.repeat(50));
    assert.equal(ok.body.events[0].type, 'setReference');
  });

  test('extendexpiry pushes expiresAt out by the configured amount and records extendExpiry', async () => {
    const core = await startCoreClient({ orderExpiryExtensionMs: 3 * 60 * 60 * 1000 });
    try {
      const created = await core.api('POST', '/v1/sessions', seedCreateSessionRequest());
      await core.buy(created.body.sessionId);
      const orderId = created.body.orderId;
      const before = (await core.api('GET', `/v1/orders/${orderId}`)).body;
      const extended = await core.api('POST', `/v1/orders/${orderId}/extendexpiry`);
      assert.equal(extended.status, 200);
      assert.equal(Date.parse(extended.body.expiresAt) - Date.parse(before.expiresAt), 3 * 60 * 60 * 1000);
      assert.deepEqual([extended.body.events[0].type, extended.body.events[0].amount.minorUnits], ['extendExpiry', 0]);
      assert.equal((await core.api('POST', `/v1/orders/${orderId}/extendexpiry`, { days: 7 })).status, 400);
      await core.api('POST', `/v1/orders/${orderId}/capture`, captureBody([coffee(10), shipping()]));
      const late = await core.api('POST', `/v1/orders/${orderId}/extendexpiry`);
      assert.equal(late.status, 409);
      assert.match(late.body.errors[0].message, /nothing remains uncaptured/);
    } finally {
      await core.close();
    }
  });

  test('editCustomer is listed (the seed lists it) but not emulated: 501 saying so', async () => {
    const orderId = await order();
    const answer = await client.api('POST', `/v1/orders/${orderId}/customer`, { email: 'a@b.se' });
    assert.equal(answer.status, 501);
    assert.match(answer.body.errors[0].message, /editCustomer .* is not emulated/);
    assert.equal((await client.api('POST', '/v1/orders/or_unknown/customer', {})).status, 404);
  });
});

describe('advance invoice', () => {
  let core: CoreClient;
  before(async () => {
    core = await startCoreClient();
  });
  after(() => core.close());

  test('capture is refused (409) and not offered until the order is acknowledged', async () => {
    const created = await core.api('POST', '/v1/sessions', seedCreateSessionRequest());
    await core.buy(created.body.sessionId, 'advanceInvoice');
    const orderId = created.body.orderId;
    const before = (await core.api('GET', `/v1/orders/${orderId}`)).body;
    assert.deepEqual(before.paymentMethod, { provider: 'ledyer', type: 'advanceInvoice' });
    assert.deepEqual(types(before.uncaptured.availableActions), ['cancel', 'editCustomer', 'editOrder', 'extendOrderExpiry']);
    for (const call of ['capture', 'partialcapture']) {
      const refused = await core.api('POST', `/v1/orders/${orderId}/${call}`, captureBody([coffee(10), shipping()]));
      assert.equal(refused.status, 409, call);
      assert.match(refused.body.errors[0].message, /advance invoice and cannot be captured before it is acknowledged/);
    }
    assert.equal((await core.api('GET', `/v1/orders/${orderId}`)).body.captured.length, 0);
    assert.equal((await core.api('POST', `/v1/orders/${orderId}/acknowledge`, [])).status, 201);
    const after = (await core.api('GET', `/v1/orders/${orderId}`)).body;
    assert.ok(types(after.uncaptured.availableActions).includes('capture'));
    assert.equal((await core.api('POST', `/v1/orders/${orderId}/capture`, captureBody([coffee(10), shipping()]))).status, 200);
  });

  test('an invoice order needs no acknowledgement to be captured', async () => {
    const created = await core.api('POST', '/v1/sessions', seedCreateSessionRequest());
    await core.buy(created.body.sessionId, 'invoice');
    assert.equal((await core.api('POST', `/v1/orders/${created.body.orderId}/capture`, captureBody([coffee(10), shipping()]))).status, 200);
  });
});

describe('edit after a partial capture', () => {
  test('an edit replaces only what remains uncaptured; a captured order is not editable', async () => {
    const orderId = await order();
    await client.api('POST', `/v1/orders/${orderId}/partialcapture`, captureBody([coffee(4)]));
    const edit = { orderLines: [coffee(2), shipping()], totalOrderAmount: 110000, totalOrderVatAmount: 22000, totalOrderAmountExclVat: 88000 };
    const edited = await client.api('POST', `/v1/orders/${orderId}`, edit);
    assert.equal(edited.status, 200, JSON.stringify(edited.body));
    assert.equal(edited.body.uncapturedAmount.minorUnits, 110000);
    assert.equal(edited.body.capturedAmount.minorUnits, 200000);
    assert.equal(edited.body.orderAmount.minorUnits, 310000);
    assert.deepEqual([edited.body.events[0].type, edited.body.events[0].amount.minorUnits], ['edit', -200000]);
    assert.equal(edited.body.uncaptured.orderLines[0].id, edited.body.captured[0].orderLines[0].id, 'the edited line keeps its id');
    const emptied = await client.api('POST', `/v1/orders/${orderId}`, { orderLines: [], totalOrderAmount: 0, totalOrderVatAmount: 0, totalOrderAmountExclVat: 0 });
    assert.equal(emptied.status, 200, 'dropping the rest of a partly captured order');
    assert.deepEqual(emptied.body.status, ['fullyCaptured']);
    assert.equal((await client.api('POST', `/v1/orders/${orderId}`, edit)).status, 409);
  });

  test('an edit cannot empty an order with nothing captured (cancel it instead)', async () => {
    const orderId = await order();
    const emptied = await client.api('POST', `/v1/orders/${orderId}`, { orderLines: [], totalOrderAmount: 0, totalOrderVatAmount: 0, totalOrderAmountExclVat: 0 });
    assert.equal(emptied.status, 400);
    assert.match(emptied.body.errors[0].message, /cancel it instead/);
  });
});
