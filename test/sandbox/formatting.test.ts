/** Money strings and ids as the seed prints them. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { newId, newSessionId } from '../../src/sandbox/ids.js';
import { formatAmount } from '../../src/sandbox/money-format.js';

test('amounts are formatted like the seed', () => {
  assert.deepEqual(formatAmount(510000, 'SEK'), {
    amount: '5100.00',
    currency: 'SEK',
    formatted: '5,100.00',
    formattedWithCurrency: 'SEK 5,100.00',
    minorUnits: 510000,
  });
  assert.deepEqual(formatAmount(-50000, 'SEK'), {
    amount: '-500.00',
    currency: 'SEK',
    formatted: '-500.00',
    formattedWithCurrency: '-SEK 500.00',
    minorUnits: -50000,
  });
  assert.equal(formatAmount(0, 'SEK').formattedWithCurrency, 'SEK 0.00');
  assert.equal(formatAmount(123456789, 'EUR').formatted, '1,234,567.89');
  assert.equal(formatAmount(-5, 'NOK').formattedWithCurrency, '-NOK 0.05');
});

test('ids have Ledyer\'s prefix and a 27-character body, and never repeat', () => {
  const seen = new Set<string>();
  for (let index = 0; index < 1000; index += 1) {
    const id = newId('or');
    assert.match(id, /^or_[0-9A-Za-z]{27}$/);
    seen.add(id);
  }
  assert.equal(seen.size, 1000);
  assert.match(newId('ol'), /^ol_/);
  assert.match(newSessionId(), /^cs_[0-9A-Za-z]{27}$/);
  assert.doesNotMatch(newId('oe'), /^or_/);
});
