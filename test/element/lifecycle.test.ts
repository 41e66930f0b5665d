import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import type { LedyerCheckout, ValidationResult } from '../../src/index.js';
import {
  containers,
  fakeLog,
  fakeUrl,
  iframes,
  ledyerFires,
  mountCheckout,
  nextTask,
  readyCheckout,
  record,
  resetPage,
  scripts,
  visibleText,
  waitForState,
} from './helpers.js';

describe('<ledyer-checkout> lifecycle', () => {
  beforeEach(resetPage);

  it('a new session id tears the old checkout down and mounts the new one', async () => {
    const el = await readyCheckout({ sessionId: 'cs_old' });
    const readies = record(el, 'ledyer-ready');
    el.sessionId = 'cs_new';
    await waitUntil(() => readies.length === 1, 'new checkout never ready');
    expect(readies[0]!.sessionId).to.equal('cs_new');
    expect(scripts().map((script) => script.dataset['sessionId'])).to.deep.equal(['cs_new']);
    expect(containers()).to.have.length(1);
    expect(iframes()).to.have.length(1);
    expect(iframes()[0]!.src).to.contain('cs_new');
  });

  it('never re-fires events that arrive while the new session is still loading, and tags later ones with the new id', async () => {
    const el = await readyCheckout({ sessionId: 'cs_old', bootstrapUrl: fakeUrl({ 'iframe-delay': '150' }) });
    const confirmations = record(el, 'ledyer-confirmation');
    const changes = record(el, 'ledyer-customer-change');
    el.sessionId = 'cs_new';
    await nextTask();
    expect(el.state).to.equal('loading');
    // What the old checkout's script might still send after its iframe is gone.
    ledyerFires('ledyerCheckoutCustomerUpdated');
    ledyerFires('ledyerCheckoutOrderComplete');
    expect(confirmations).to.have.length(0);
    expect(changes).to.have.length(0);
    await waitForState(el, 'ready');
    ledyerFires('ledyerCheckoutCustomerUpdated');
    expect(changes.map((event) => event.sessionId)).to.deep.equal(['cs_new']);
  });

  it('a session change during validation aborts the old handler and never answers for the old session', async () => {
    const el = await readyCheckout({ sessionId: 'cs_old' });
    let signal: AbortSignal | undefined;
    el.validate = (_detail, s) => {
      signal = s;
      return nextTask(100).then((): ValidationResult => ({ proceed: true }));
    };
    ledyerFires('ledyerCheckoutWaitingForClientValidation');
    el.sessionId = 'cs_new';
    await waitForState(el, 'ready');
    await nextTask(150);
    expect(signal!.aborted).to.equal(true);
    expect(fakeLog().calls.filter((call) => call.method === 'clientValidation')).to.have.length(0);
  });

  it('disconnect removes the script, the container, its listeners and timers', async () => {
    const el = await readyCheckout({ loadTimeout: 300 });
    const errors = record(el, 'ledyer-error');
    el.remove();
    expect(scripts()).to.have.length(0);
    expect(containers()).to.have.length(0);
    expect(el.state).to.equal('idle');
    await nextTask(400);
    expect(errors, 'no timer fired after disconnect').to.have.length(0);
  });

  it('disconnect while loading leaves nothing and fires no load-timeout', async () => {
    const el = await mountCheckout({ sessionId: 'cs_x', bootstrapUrl: fakeUrl({ mode: 'no-iframe' }), loadTimeout: 150 });
    const errors = record(el, 'ledyer-error');
    await nextTask();
    expect(scripts()).to.have.length(1);
    el.remove();
    await nextTask(250);
    expect(errors).to.have.length(0);
    expect(scripts()).to.have.length(0);
  });

  it('connect → disconnect → connect in one task leaves exactly one script, container and iframe', async () => {
    const parent = await fixture<HTMLDivElement>(html`<div></div>`);
    const el = document.createElement('ledyer-checkout');
    el.bootstrapUrl = fakeUrl();
    el.sessionId = 'cs_strict';
    parent.append(el);
    el.remove();
    parent.append(el);
    await waitForState(el, 'ready');
    await nextTask(50);
    expect(scripts()).to.have.length(1);
    expect(containers()).to.have.length(1);
    expect(iframes()).to.have.length(1);
    expect(fakeLog().runs).to.have.length(1);
  });

  it('a re-mount after the checkout was ready mounts it again, once', async () => {
    const parent = await fixture<HTMLDivElement>(html`<div></div>`);
    const el = document.createElement('ledyer-checkout');
    el.bootstrapUrl = fakeUrl();
    el.sessionId = 'cs_again';
    parent.append(el);
    await waitForState(el, 'ready');
    el.remove();
    parent.append(el);
    await waitForState(el, 'ready');
    expect(scripts()).to.have.length(1);
    expect(iframes()).to.have.length(1);
  });

  it('a second element on the page reports another-checkout-active and mounts when the first leaves', async () => {
    const wrapper = await fixture<HTMLDivElement>(html`<div>
      <ledyer-checkout session-id="cs_first" bootstrap-url=${fakeUrl()}></ledyer-checkout>
      <ledyer-checkout session-id="cs_second" bootstrap-url=${fakeUrl()}></ledyer-checkout>
    </div>`);
    const [first, second] = [...wrapper.querySelectorAll('ledyer-checkout')] as [LedyerCheckout, LedyerCheckout];
    await waitForState(first, 'ready');
    await waitForState(second, 'error');
    expect(second.error).to.deep.equal({
      code: 'another-checkout-active',
      message: second.error!.message,
      recoverable: true,
    });
    expect(visibleText(second)).to.contain('Another checkout is already open');
    expect(scripts().map((script) => script.dataset['sessionId'])).to.deep.equal(['cs_first']);
    await expect(second).to.be.accessible();
    first.remove();
    await waitForState(second, 'ready');
    expect(scripts().map((script) => script.dataset['sessionId'])).to.deep.equal(['cs_second']);
    expect(iframes()).to.have.length(1);
  });

  it('a single element never reports another-checkout-active, and a reload() keeps the page', async () => {
    const el = await readyCheckout();
    const errors = record(el, 'ledyer-error');
    el.reload();
    await waitForState(el, 'ready');
    expect(errors).to.have.length(0);
    expect(scripts()).to.have.length(1);
    expect(iframes()).to.have.length(1);
  });

  describe('200 mount/unmount cycles', () => {
    const added = new Map<string, number>();
    let originalAdd: typeof document.addEventListener;
    let originalRemove: typeof document.removeEventListener;
    const live = () => [...added.values()].reduce((sum, count) => sum + count, 0);

    beforeEach(() => {
      added.clear();
      originalAdd = document.addEventListener;
      originalRemove = document.removeEventListener;
      // Counts listeners on `document`; those removed through an AbortSignal never call
      // removeEventListener, so their signal's abort counts as the removal.
      document.addEventListener = function (this: Document, type: string, listener: EventListenerOrEventListenerObject, options?: boolean | AddEventListenerOptions) {
        added.set(type, (added.get(type) ?? 0) + 1);
        const signal = typeof options === 'object' ? options.signal : undefined;
        signal?.addEventListener('abort', () => added.set(type, (added.get(type) ?? 0) - 1), { once: true });
        return originalAdd.call(this, type, listener, options);
      } as typeof document.addEventListener;
      document.removeEventListener = function (this: Document, type: string, listener: EventListenerOrEventListenerObject, options?: boolean | EventListenerOptions) {
        added.set(type, (added.get(type) ?? 0) - 1);
        return originalRemove.call(this, type, listener, options);
      } as typeof document.removeEventListener;
    });

    afterEach(() => {
      document.addEventListener = originalAdd;
      document.removeEventListener = originalRemove;
    });

    it('leave no script, no container and no document listener', async () => {
      const parent = await fixture<HTMLDivElement>(html`<div></div>`);
      for (let cycle = 0; cycle < 200; cycle += 1) {
        const el = document.createElement('ledyer-checkout');
        el.bootstrapUrl = fakeUrl();
        el.sessionId = `cs_cycle${cycle}`;
        parent.append(el);
        // Every tenth cycle waits for a loaded checkout; the others unmount mid-load.
        if (cycle % 10 === 0) await waitForState(el, 'ready');
        else await nextTask();
        expect(live(), 'the mounted checkout listens').to.be.above(0);
        el.remove();
      }
      await nextTask(50);
      expect(scripts()).to.have.length(0);
      expect(containers()).to.have.length(0);
      expect(document.querySelectorAll('ledyer-checkout iframe')).to.have.length(0);
      expect(document.querySelectorAll('link[data-ledyer-checkout]'), 'no connection or script hints').to.have.length(0);
      expect(live()).to.equal(0);
    });

    it('the counter sees a listener that is left behind', async () => {
      const el = await readyCheckout();
      document.addEventListener('ledyerCheckoutOrderComplete', () => undefined);
      el.remove();
      expect(live()).to.equal(1);
    });
  });
});
