import assert from 'node:assert/strict';
import { test } from 'node:test';
import { escapeForLog } from '../../src/shared/log-text.js';

test('line breaks, other controls and bidi overrides are escaped, so a value cannot forge or disguise a log line', () => {
  assert.equal(escapeForLog('or_1\n[ledyer-checkout] fake line'), 'or_1\\u000a[ledyer-checkout] fake line');
  assert.equal(escapeForLog('a\rb\u0000c\u001bd\u007f'), 'a\\u000db\\u0000c\\u001bd\\u007f');
  assert.equal(escapeForLog('order \u202egnp.exe'), 'order \\u202egnp.exe');
  assert.equal(escapeForLog('\u2066x\u2069\u2028'), '\\u2066x\\u2069\\u2028');
});

test('ordinary text, Swedish letters and emoji pass unchanged; long text is cut with an ellipsis', () => {
  assert.equal(escapeForLog('Sveavägen 49, Ledyer AB 🧾'), 'Sveavägen 49, Ledyer AB 🧾');
  assert.equal(escapeForLog('x'.repeat(600), 10), `${'x'.repeat(10)}…`);
});
