import { expect, fixture, html } from '@open-wc/testing';
import {
  LedyerBillingChangeEvent,
  LedyerConfirmationEvent,
  LedyerCustomerChangeEvent,
  LedyerShippingChangeEvent,
} from '../../src/index.js';
import { fakeUrl, ledyerFires, mountCheckout, readyCheckout, record, resetPage, scripts, waitForState } from './helpers.js';

describe('<ledyer-checkout> events from Ledyer', () => {
  beforeEach(resetPage);

  const changes = [
    ['ledyerCheckoutCustomerUpdated', 'ledyer-customer-change', LedyerCustomerChangeEvent],
    ['ledyerCheckoutBillingUpdated', 'ledyer-billing-change', LedyerBillingChangeEvent],
    ['ledyerCheckoutShippingUpdated', 'ledyer-shipping-change', LedyerShippingChangeEvent],
  ] as const;

  for (const [ledyerName, type, EventClass] of changes) {
    it(`turns ${ledyerName} into ${type} with the session id, bubbling and composed`, async () => {
      const el = await readyCheckout({ sessionId: 'cs_change' });
      const heard = record(document, type);
      ledyerFires(ledyerName);
      expect(heard).to.have.length(1);
      expect(heard[0]).to.be.instanceOf(EventClass);
      expect(heard[0]!.sessionId).to.equal('cs_change');
      expect(heard[0]!.composed).to.equal(true);
      expect(heard[0]!.cancelable).to.equal(false);
      expect(el.state).to.equal('ready');
    });
  }

  it('inside a shadow root, where Ledyer cannot find its container, reports inside-shadow-root and injects nothing', async () => {
    const host = await fixture<HTMLDivElement>(html`<div></div>`);
    const root = host.attachShadow({ mode: 'open' });
    const el = document.createElement('ledyer-checkout');
    el.bootstrapUrl = fakeUrl();
    el.sessionId = 'cs_shadow';
    const errors = record(el, 'ledyer-error');
    root.append(el);
    await waitForState(el, 'error');
    expect(errors.map((event) => [event.code, event.recoverable])).to.deep.equal([['inside-shadow-root', false]]);
    expect(scripts()).to.have.length(0);
    host.remove();
  });

  it('does not forward events it does not know, nor any before its checkout has loaded', async () => {
    const el = await mountCheckout({ sessionId: 'cs_early', bootstrapUrl: fakeUrl({ 'iframe-delay': '200' }) });
    const heard = [...changes.map(([, type]) => record(el, type)), record(el, 'ledyer-confirmation')];
    ledyerFires('ledyerCheckoutCustomerUpdated');
    ledyerFires('ledyerCheckoutOrderComplete');
    await waitForState(el, 'ready');
    ledyerFires('ledyerCheckoutSomethingElse');
    ledyerFires('customerUpdated');
    expect(heard.flat()).to.have.length(0);
    expect(el.state).to.equal('ready');
  });

  it('turns ledyerCheckoutOrderComplete into ledyer-confirmation { status: complete } and state complete', async () => {
    const el = await readyCheckout({ sessionId: 'cs_buy' });
    const heard = record(document.body, 'ledyer-confirmation');
    ledyerFires('ledyerCheckoutOrderComplete');
    expect(heard).to.have.length(1);
    expect(heard[0]).to.be.instanceOf(LedyerConfirmationEvent);
    expect(heard[0]!.sessionId).to.equal('cs_buy');
    expect(heard[0]!.status).to.equal('complete');
    expect(el.state).to.equal('complete');
    expect(el.getAttribute('state')).to.equal('complete');
  });

  it('turns ledyerCheckoutOrderPending into ledyer-confirmation { status: pending }', async () => {
    const el = await readyCheckout({ sessionId: 'cs_sign' });
    const heard = record(el, 'ledyer-confirmation');
    ledyerFires('ledyerCheckoutOrderPending');
    expect(heard.map((event) => event.status)).to.deep.equal(['pending']);
    expect(el.state).to.equal('complete');
  });

  it('forwards nothing once it is removed', async () => {
    const el = await readyCheckout();
    const heard = record(el, 'ledyer-confirmation');
    el.remove();
    ledyerFires('ledyerCheckoutOrderComplete');
    expect(heard).to.have.length(0);
    expect(el.state).to.equal('idle');
  });
});
