import { expect, fixture, html, oneEvent } from '@open-wc/testing';
import { LedyerCheckout, LedyerLoadEvent, LedyerReadyEvent } from '../../src/index.js';
import {
  containers,
  fakeLog,
  fakeUrl,
  iframes,
  mountCheckout,
  readyCheckout,
  record,
  resetPage,
  scripts,
  waitForState,
} from './helpers.js';

describe('<ledyer-checkout> mounting', () => {
  beforeEach(resetPage);

  it('is defined once; a second define is harmless', () => {
    expect(customElements.get('ledyer-checkout')).to.equal(LedyerCheckout);
    expect(() => LedyerCheckout.define()).not.to.throw();
    expect(document.createElement('ledyer-checkout')).to.be.instanceOf(LedyerCheckout);
  });

  it('injects one script whose data attributes configure Ledyer, and a container in light DOM', async () => {
    const el = await readyCheckout({ sessionId: 'cs_abc', buyButtonColor: '#112233', noPadding: true });
    const [script] = scripts();
    expect(scripts()).to.have.length(1);
    expect(script!.dataset['sessionId']).to.equal('cs_abc');
    expect(script!.dataset['env']).to.equal('localhost');
    expect(script!.dataset['buyButtonColor']).to.equal('#112233');
    expect(script!.dataset['noPadding']).to.equal('true');
    const container = document.getElementById(script!.dataset['containerId']!);
    expect(container, 'container found with getElementById').to.exist;
    expect(container!.parentElement).to.equal(el);
    expect(fakeLog().runs[0]!.containerFound).to.equal(true);
    expect(container!.querySelector('iframe')).to.exist;
  });

  it('leaves out the optional data attributes when they are not set or not #rrggbb', async () => {
    await readyCheckout({ sessionId: 'cs_abc', buyButtonColor: 'red' });
    const [script] = scripts();
    expect(script!.hasAttribute('data-buy-button-color')).to.equal(false);
    expect(script!.hasAttribute('data-no-padding')).to.equal(false);
  });

  it('fires ledyer-load, then ledyer-ready, with the session id, and reflects the states', async () => {
    const el = document.createElement('ledyer-checkout');
    el.bootstrapUrl = fakeUrl();
    el.sessionId = 'cs_one';
    const loads = record(el, 'ledyer-load');
    const readies = record(el, 'ledyer-ready');
    const states = record(el, 'ledyer-state-change');
    await fixture(el);
    await waitForState(el, 'ready');
    expect(loads).to.have.length(1);
    expect(loads[0]).to.be.instanceOf(LedyerLoadEvent);
    expect(loads[0]!.sessionId).to.equal('cs_one');
    expect(loads[0]!.scriptUrl).to.equal(fakeUrl());
    expect(readies).to.have.length(1);
    expect(readies[0]).to.be.instanceOf(LedyerReadyEvent);
    expect(readies[0]!.sessionId).to.equal('cs_one');
    expect(readies[0]!.bubbles && readies[0]!.composed && !readies[0]!.cancelable).to.equal(true);
    expect(states.map((event) => `${event.previous}>${event.state}`)).to.deep.equal(['idle>loading', 'loading>ready']);
    expect(el.getAttribute('state')).to.equal('ready');
  });

  it('is not ready before the iframe has loaded', async () => {
    const el = await mountCheckout({ sessionId: 'cs_slow', bootstrapUrl: fakeUrl({ 'iframe-delay': '300' }) });
    await oneEvent(el, 'ledyer-load');
    expect(el.state).to.equal('loading');
    expect(iframes()).to.have.length(0);
    await oneEvent(el, 'ledyer-ready');
    expect(iframes()).to.have.length(1);
  });

  it('stays idle without a session id and injects nothing', async () => {
    const el = await mountCheckout({});
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(el.state).to.equal('idle');
    expect(scripts()).to.have.length(0);
    expect(containers()).to.have.length(0);
  });

  it('mounts when the session id arrives later', async () => {
    const el = await mountCheckout({});
    el.sessionId = 'cs_later';
    await waitForState(el, 'ready');
    expect(scripts()[0]!.dataset['sessionId']).to.equal('cs_later');
  });

  it('preconnects to the environment\'s script origin while it waits for a session id, once for many', async () => {
    const wrapper = await fixture(html`<div>
      <ledyer-checkout environment="production"></ledyer-checkout>
      <ledyer-checkout environment="production"></ledyer-checkout>
    </div>`);
    await new Promise((resolve) => setTimeout(resolve));
    const links = () => [...document.head.querySelectorAll<HTMLLinkElement>('link[rel="preconnect"][data-ledyer-checkout]')];
    expect(links().map((link) => link.href)).to.deep.equal(['https://checkout.live.ledyer.com/']);
    wrapper.firstElementChild!.remove();
    expect(links()).to.have.length(1);
    wrapper.remove();
    expect(links()).to.have.length(0);
  });

  it('adds no preconnect once it has a session id', async () => {
    await readyCheckout({ sessionId: 'cs_x' });
    expect(document.head.querySelectorAll('link[rel="preconnect"][data-ledyer-checkout]')).to.have.length(0);
  });

  const preloads = () => [...document.head.querySelectorAll<HTMLLinkElement>('link[rel="preload"][data-ledyer-checkout]')];

  it('preloads the environment\'s script while it waits for a session id, once for many, until the last one leaves', async () => {
    const wrapper = await fixture(html`<div>
      <ledyer-checkout environment="production"></ledyer-checkout>
      <ledyer-checkout environment="production"></ledyer-checkout>
    </div>`);
    await new Promise((resolve) => setTimeout(resolve));
    expect(preloads().map((link) => [link.href, link.as, link.crossOrigin])).to.deep.equal([['https://checkout.live.ledyer.com/bootstrap.js', 'script', null]]);
    wrapper.firstElementChild!.remove();
    expect(preloads()).to.have.length(1);
    wrapper.remove();
    expect(preloads()).to.have.length(0);
  });

  it('preloads a bootstrap-url override, and the script it injects once the id arrives is the preloaded one', async () => {
    const el = await mountCheckout({});
    await new Promise((resolve) => setTimeout(resolve));
    expect(preloads().map((link) => link.href)).to.deep.equal([fakeUrl()]);
    el.sessionId = 'cs_preloaded';
    await waitForState(el, 'ready');
    const [script] = scripts();
    expect(script!.src, 'same URL as the preload').to.equal(fakeUrl());
    expect(script!.hasAttribute('crossorigin'), 'no crossorigin: Chromium reuses the preload only when the modes match').to.equal(false);
    expect(preloads(), 'the hint goes once the script is in').to.have.length(0);
  });

  it('adds no preload when it connects with a session id', async () => {
    await readyCheckout({ sessionId: 'cs_x' });
    expect(preloads()).to.have.length(0);
  });

  it('adds no preload for a configuration it cannot mount', async () => {
    await mountCheckout({ bootstrapUrl: 'http://example.com/bootstrap.js' });
    await new Promise((resolve) => setTimeout(resolve));
    expect(preloads()).to.have.length(0);
  });
});
