// What a hydrating framework sees: the element as its server sent it. Until it has a session
// id the element adds no attribute and no child; with one it must put Ledyer's container into
// its light DOM (Ledyer finds it with document.getElementById), so frameworks set the id after
// hydration (README, "Server rendering").
import { expect, fixture, html } from '@open-wc/testing';
import type { LedyerCheckout } from '../../src/index.js';
import { fakeUrl, nextTask, resetPage, waitForState } from './helpers.js';

/** Parses server HTML the way a browser does, then lets the element upgrade and settle. */
async function fromServerHtml(markup: string): Promise<{ wrapper: HTMLElement; el: LedyerCheckout }> {
  const wrapper = await fixture<HTMLElement>(html`<div></div>`);
  wrapper.innerHTML = markup;
  const el = wrapper.querySelector('ledyer-checkout')!;
  await el.updateComplete;
  await nextTask();
  return { wrapper, el };
}

describe('<ledyer-checkout> under server rendering', () => {
  beforeEach(resetPage);

  it('without a session id it leaves its server HTML as it was: no state attribute, no child', async () => {
    const markup = `<ledyer-checkout class="checkout" environment="production" bootstrap-url="${fakeUrl()}"><p slot="error">Call us</p></ledyer-checkout>`;
    const { wrapper, el } = await fromServerHtml(markup);
    expect(el.state).to.equal('idle');
    expect(el.hasAttribute('state')).to.equal(false);
    expect(wrapper.innerHTML).to.equal(markup);
  });

  it('reflects state once it has something to do, and removes it again when idle', async () => {
    const { el } = await fromServerHtml(`<ledyer-checkout bootstrap-url="${fakeUrl()}"></ledyer-checkout>`);
    el.sessionId = 'cs_after_hydration';
    await waitForState(el, 'ready');
    expect(el.getAttribute('state')).to.equal('ready');
    el.sessionId = null;
    await waitForState(el, 'idle');
    expect(el.hasAttribute('state')).to.equal(false);
    expect(el.children, 'the container went with the checkout').to.have.length(0);
    el.sessionId = 'cs_again';
    await waitForState(el, 'ready');
    el.remove();
    expect(el.hasAttribute('state'), 'disconnected is idle').to.equal(false);
  });

  it('with a session id in the server HTML it changes its light DOM: the reason to set the id after hydration', async () => {
    const markup = `<ledyer-checkout session-id="cs_in_html" bootstrap-url="${fakeUrl()}"></ledyer-checkout>`;
    const { wrapper, el } = await fromServerHtml(markup);
    expect(wrapper.innerHTML).not.to.equal(markup);
    expect(el.hasAttribute('state')).to.equal(true);
    expect(el.children).to.have.length(1);
  });
});
