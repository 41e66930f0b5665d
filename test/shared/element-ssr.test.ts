// The element's package entry must import in plain Node (server rendering, a framework's
// server build): no window or document at import time.
import assert from 'node:assert/strict';
import { test } from 'node:test';

test('importing the element entry in Node does not throw and exports the class and events', async () => {
  assert.equal(typeof (globalThis as { document?: unknown }).document, 'undefined');
  const module = await import('../../src/index.js');
  assert.equal(typeof module.LedyerCheckout, 'function');
  assert.equal(module.LedyerErrorEvent.eventName, 'ledyer-error');
  assert.equal(typeof (globalThis as { document?: unknown }).document, 'undefined', 'the import created no document');
});

test('the class-only entry imports in Node without defining anything', async () => {
  const module = await import('../../src/element/ledyer-checkout.js');
  assert.equal(typeof module.LedyerCheckout.define, 'function');
  assert.equal(module.LedyerConfirmationEvent.eventName, 'ledyer-confirmation');
});

test('the React entry imports in Node and renders the host without a session id, so hydration finds what it sent', async () => {
  const { LedyerCheckout } = await import('../../src/react/index.js');
  const { createElement } = await import('react');
  const { renderToString } = await import('react-dom/server');
  const html = renderToString(createElement(LedyerCheckout, { sessionId: 'cs_server', bootstrapUrl: 'https://proxy.example/bootstrap.js', noPadding: true }));
  assert.equal(html, '<ledyer-checkout bootstrap-url="https://proxy.example/bootstrap.js" no-padding=""></ledyer-checkout>');
  assert.equal(typeof (globalThis as { document?: unknown }).document, 'undefined');
});
