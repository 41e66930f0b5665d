import { test } from 'node:test';
import assert from 'node:assert/strict';
import { lineTotalAmount, lineVatAmount, orderTotals } from '../../src/shared/order-math.js';

test('the seed line: 10 × 500.00 at 25 % is 5000.00 with 1000.00 VAT', () => {
  const total = lineTotalAmount(10, 50000, 0);
  assert.equal(total, 500000);
  assert.equal(lineVatAmount(total, 2500), 100000);
});

test('a unit discount lowers the line total; a discount line is negative', () => {
  assert.equal(lineTotalAmount(2, 1000, 100), 1800);
  assert.equal(lineTotalAmount(1, 0, 5000), -5000);
});

test('VAT rounds half away from zero, the same for a line and its discount', () => {
  // 113 incl. 6 % holds 6.396… VAT; its negative twin must round to the mirror image.
  assert.equal(lineVatAmount(113, 600), 6);
  assert.equal(lineVatAmount(-113, 600), -6);
  assert.equal(lineVatAmount(4500, 2500), 900);
  assert.equal(lineVatAmount(-4500, 2500), -900);
  assert.equal(lineVatAmount(1000, 0), 0);
});

test('order totals are the sums, and excl. VAT is total − VAT', () => {
  assert.deepEqual(orderTotals([{ totalAmount: 500000, totalVatAmount: 100000 }, { totalAmount: 10000, totalVatAmount: 2000 }]), {
    totalOrderAmount: 510000,
    totalOrderVatAmount: 102000,
    totalOrderAmountExclVat: 408000,
  });
  assert.deepEqual(orderTotals([]), { totalOrderAmount: 0, totalOrderVatAmount: 0, totalOrderAmountExclVat: 0 });
});
