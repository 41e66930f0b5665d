// Which `data-env` the injected script carries. Ledyer's plugins pair `localhost` only with a
// Ledyer on the developer's machine; an https override stands for Ledyer's sandbox or
// production. Nothing here reaches the network: the runner's Chromium resolves no host but
// the loopback ones (web-test-runner.config.mjs), so the https scripts simply fail to load.
import { expect, fixture, html } from '@open-wc/testing';
import type { LedyerCheckout } from '../../src/index.js';
import { fakeUrl, resetPage, scripts, waitForState } from './helpers.js';

/** The first script the element injects, caught as it enters `<head>` (a failed load removes it again). */
function nextInjectedScript(): Promise<HTMLScriptElement> {
  return new Promise((resolve) => {
    const observer = new MutationObserver((records) => {
      for (const added of records.flatMap((record) => [...record.addedNodes])) {
        if (added instanceof HTMLScriptElement && added.hasAttribute('data-ledyer-checkout')) {
          observer.disconnect();
          resolve(added);
        }
      }
    });
    observer.observe(document.head, { childList: true });
  });
}

async function injected(environment: string | undefined, bootstrapUrl: string | undefined): Promise<{ el: LedyerCheckout; script: HTMLScriptElement }> {
  const script = nextInjectedScript();
  const el = document.createElement('ledyer-checkout');
  if (environment !== undefined) el.environment = environment as LedyerCheckout['environment'];
  if (bootstrapUrl !== undefined) el.bootstrapUrl = bootstrapUrl;
  el.sessionId = 'cs_env';
  await fixture(el);
  return { el, script: await script };
}

describe('<ledyer-checkout> data-env', () => {
  beforeEach(resetPage);

  it('an http override on a loopback host sends localhost', async () => {
    const { el, script } = await injected('production', fakeUrl());
    expect(script.dataset['env']).to.equal('localhost');
    await waitForState(el, 'ready');
  });

  it('an https override on a loopback name sends localhost too', async () => {
    const { script } = await injected('sandbox', 'https://localhost:1337/bootstrap.iife.js');
    expect(script.dataset['env']).to.equal('localhost');
  });

  for (const environment of ['sandbox', 'production'] as const) {
    it(`an https override sends the environment's value, ${environment}`, async () => {
      const { el, script } = await injected(environment, 'https://checkout-proxy.shop.example/ledyer/bootstrap.js');
      expect(script.src).to.equal('https://checkout-proxy.shop.example/ledyer/bootstrap.js');
      expect(script.dataset['env']).to.equal(environment);
      await waitForState(el, 'error');
      expect(el.error?.code, 'the unreachable host fails like any script').to.equal('script-load-failed');
    });
  }

  it('an https override keeps the default environment, sandbox, when none is set', async () => {
    const { script } = await injected(undefined, 'https://checkout-proxy.shop.example/bootstrap.js');
    expect(script.dataset['env']).to.equal('sandbox');
  });

  it('without an override, production loads Ledyer\'s live script with data-env production', async () => {
    const { script } = await injected('production', undefined);
    expect([script.src, script.dataset['env']]).to.deep.equal(['https://checkout.live.ledyer.com/bootstrap.js', 'production']);
  });

  it('an unknown environment with an https override reports invalid-environment and injects nothing', async () => {
    const el = await fixture<LedyerCheckout>(html`<ledyer-checkout session-id="cs_env" environment="live" bootstrap-url="https://checkout-proxy.shop.example/bootstrap.js"></ledyer-checkout>`);
    await waitForState(el, 'error');
    expect(el.error?.code).to.equal('invalid-environment');
    expect(scripts()).to.have.length(0);
  });
});
