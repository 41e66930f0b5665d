import { expect, fixture, html } from '@open-wc/testing';
import { emulateMedia } from '@web/test-runner-commands';
import type { LedyerCheckout } from '../../src/index.js';
import { fakeUrl, ledyerFires, mountCheckout, readyCheckout, resetPage, visibleText, waitForState } from './helpers.js';

const part = (el: LedyerCheckout, name: string) => el.shadowRoot!.querySelector<HTMLElement>(`[part~="${name}"]`)!;
const slowUrl = fakeUrl({ 'iframe-delay': '400' });

describe('<ledyer-checkout> looks and accessibility', () => {
  beforeEach(resetPage);
  afterEach(() => emulateMedia({ reducedMotion: 'no-preference' }));

  it('while loading: a skeleton at --ledyer-checkout-min-height, aria-busy, and an announcement', async () => {
    const el = await fixture<LedyerCheckout>(html`<ledyer-checkout style="--ledyer-checkout-min-height: 333px" session-id="cs_l" bootstrap-url=${slowUrl}></ledyer-checkout>`);
    await waitForState(el, 'loading');
    await el.updateComplete;
    expect(part(el, 'base').getAttribute('aria-busy')).to.equal('true');
    expect(el.getBoundingClientRect().height).to.be.at.least(333);
    expect(visibleText(el)).to.contain('Loading checkout');
    await expect(el).to.be.accessible();
  });

  it('once ready: no skeleton, not busy, the iframe shows', async () => {
    const el = await readyCheckout({ bootstrapUrl: slowUrl });
    await el.updateComplete;
    expect(part(el, 'base').getAttribute('aria-busy')).to.equal('false');
    expect(visibleText(el)).not.to.contain('Loading checkout');
    expect(el.querySelector('iframe')!.getClientRects().length).to.be.above(0);
    await expect(el).to.be.accessible();
  });

  it('the region has an accessible name', async () => {
    const el = await mountCheckout({});
    const region = part(el, 'base');
    expect(region.getAttribute('role')).to.equal('region');
    expect(region.getAttribute('aria-label')).to.equal('Ledyer Checkout');
  });

  it('the skeleton pulses, but not for users who prefer reduced motion', async () => {
    const el = await mountCheckout({ sessionId: 'cs_m', bootstrapUrl: slowUrl });
    await waitForState(el, 'loading');
    await el.updateComplete;
    const bar = el.shadowRoot!.querySelector('.bar')!;
    expect(getComputedStyle(bar).animationName).to.equal('pulse');
    await emulateMedia({ reducedMotion: 'reduce' });
    expect(getComputedStyle(bar).animationName).to.equal('none');
  });

  it('status and error areas are styleable with ::part()', async () => {
    const style = document.createElement('style');
    style.textContent = 'ledyer-checkout::part(error) { color: rgb(1, 2, 3); } ledyer-checkout::part(status) { color: rgb(4, 5, 6); }';
    document.head.append(style);
    try {
      const el = await mountCheckout({ sessionId: '' });
      await waitForState(el, 'error');
      expect(getComputedStyle(part(el, 'error')).color).to.equal('rgb(1, 2, 3)');
      expect(getComputedStyle(part(el, 'status')).color).to.equal('rgb(4, 5, 6)');
      expect(getComputedStyle(part(el, 'checkout')).display).to.equal('none');
    } finally {
      style.remove();
    }
  });

  it('the error area is hidden when there is no error', async () => {
    const el = await readyCheckout();
    expect(getComputedStyle(part(el, 'error')).display).to.equal('none');
  });

  it('is accessible when idle, suspended, validating and complete', async () => {
    const idle = await mountCheckout({});
    await expect(idle).to.be.accessible();
    idle.remove();
    const el = await readyCheckout();
    el.suspend();
    await el.updateComplete;
    expect(el.state).to.equal('suspended');
    await expect(el).to.be.accessible();
    el.resume();
    el.validate = () => new Promise(() => undefined);
    ledyerFires('ledyerCheckoutWaitingForClientValidation');
    await el.updateComplete;
    expect(el.state).to.equal('validating');
    await expect(el).to.be.accessible();
    ledyerFires('ledyerCheckoutOrderComplete');
    await el.updateComplete;
    expect(el.state).to.equal('complete');
    await expect(el).to.be.accessible();
  });
});
