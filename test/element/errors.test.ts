import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import { LedyerErrorEvent } from '../../src/index.js';
import { fakeUrl, mountCheckout, record, resetPage, scripts, containers, visibleText, waitForState } from './helpers.js';

describe('<ledyer-checkout> failures', () => {
  beforeEach(resetPage);

  for (const [label, sessionId] of [
    ['empty', ''],
    ['with spaces', 'cs abc'],
    ['with markup', '<b>cs</b>'],
  ] as const) {
    it(`a ${label} session-id reports invalid-session-id, injects no script and says so`, async () => {
      const el = document.createElement('ledyer-checkout');
      const errors = record(el, 'ledyer-error');
      el.bootstrapUrl = fakeUrl();
      el.sessionId = sessionId;
      await fixture(el);
      await waitForState(el, 'error');
      expect(errors).to.have.length(1);
      expect(errors[0]).to.be.instanceOf(LedyerErrorEvent);
      expect([errors[0]!.code, errors[0]!.recoverable]).to.deep.equal(['invalid-session-id', false]);
      expect(errors[0]!.bubbles && errors[0]!.composed).to.equal(true);
      expect(el.error?.code).to.equal('invalid-session-id');
      expect(scripts()).to.have.length(0);
      expect(containers()).to.have.length(0);
      expect(visibleText(el)).to.contain('The checkout is not set up correctly.');
      expect(visibleText(el), 'no retry for a bad configuration').not.to.contain('Try again');
      await expect(el).to.be.accessible();
    });
  }

  it('a well-formed session id reports no error', async () => {
    const el = await mountCheckout({ sessionId: 'cs_2abcDEF012-x.y:z' });
    const errors = record(el, 'ledyer-error');
    await waitForState(el, 'ready');
    expect(errors).to.have.length(0);
    expect(el.error).to.equal(null);
    expect(visibleText(el)).not.to.contain('not set up correctly');
  });

  for (const url of ['http://example.com/bootstrap.js', 'http://192.168.1.2/bootstrap.js', 'ftp://127.0.0.1/bootstrap.js', 'javascript:alert(1)']) {
    it(`bootstrap-url ${url} reports invalid-bootstrap-url and injects nothing`, async () => {
      const el = await mountCheckout({ sessionId: 'cs_x', bootstrapUrl: url });
      await waitForState(el, 'error');
      expect(el.error?.code).to.equal('invalid-bootstrap-url');
      expect(scripts()).to.have.length(0);
    });
  }

  it('an unknown environment reports invalid-environment rather than silently using the sandbox', async () => {
    const el = await fixture(html`<ledyer-checkout session-id="cs_x" environment="live"></ledyer-checkout>`);
    await waitForState(el as never, 'error');
    expect((el as HTMLElementTagNameMap['ledyer-checkout']).error?.code).to.equal('invalid-environment');
    expect(scripts()).to.have.length(0);
  });

  it('a script that 404s reports script-load-failed, offers a retry, and reload() recovers', async () => {
    const key = `k${Math.random().toString(36).slice(2)}`;
    const el = await mountCheckout({ sessionId: 'cs_404', bootstrapUrl: `/__fake/flaky/${key}/bootstrap` });
    const errors = record(el, 'ledyer-error');
    await waitForState(el, 'error');
    expect(errors.map((event) => [event.code, event.recoverable])).to.deep.equal([['script-load-failed', true]]);
    expect(scripts(), 'the failed script is removed').to.have.length(0);
    expect(containers()).to.have.length(0);
    expect(visibleText(el)).to.contain('could not be loaded');
    await expect(el).to.be.accessible();
    const retry = el.shadowRoot!.querySelector<HTMLButtonElement>('[part="retry"]')!;
    expect(retry.textContent).to.equal('Try again');
    retry.click();
    await waitForState(el, 'ready');
    expect(el.error).to.equal(null);
    expect(visibleText(el)).not.to.contain('could not be loaded');
    expect(scripts()).to.have.length(1);
  });

  it('a script that never mounts an iframe reports load-timeout', async () => {
    const el = await mountCheckout({ sessionId: 'cs_t', bootstrapUrl: fakeUrl({ mode: 'no-iframe' }), loadTimeout: 200 });
    const errors = record(el, 'ledyer-error');
    await waitForState(el, 'error');
    expect(errors.map((event) => [event.code, event.recoverable])).to.deep.equal([['load-timeout', true]]);
    expect(scripts()).to.have.length(0);
    expect(containers()).to.have.length(0);
    expect(visibleText(el)).to.contain('taking too long');
  });

  it('a checkout that loads within load-timeout reports nothing', async () => {
    const el = await mountCheckout({ sessionId: 'cs_t', loadTimeout: 2000 });
    const errors = record(el, 'ledyer-error');
    await waitForState(el, 'ready');
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(errors).to.have.length(0);
  });

  it('slot="error" replaces the built-in message', async () => {
    const el = await fixture<HTMLElementTagNameMap['ledyer-checkout']>(html`<ledyer-checkout session-id="">
      <p slot="error">Please call us to order.</p>
    </ledyer-checkout>`);
    await waitForState(el, 'error');
    expect(visibleText(el)).to.contain('Please call us to order.');
    expect(visibleText(el)).not.to.contain('not set up correctly');
  });

  it('slot="error" content is hidden while there is no error', async () => {
    const el = await fixture<HTMLElementTagNameMap['ledyer-checkout']>(html`<ledyer-checkout session-id="cs_ok" bootstrap-url=${fakeUrl()}>
      <p slot="error">Please call us to order.</p>
    </ledyer-checkout>`);
    await waitForState(el, 'ready');
    expect(visibleText(el)).not.to.contain('Please call us');
  });

  it('an error that follows another while in error shows the new one, and only its own retry', async () => {
    const key = `k${Math.random().toString(36).slice(2)}`;
    const el = await mountCheckout({ sessionId: 'cs_404', bootstrapUrl: `/__fake/flaky/${key}/bootstrap` });
    await waitForState(el, 'error');
    expect(visibleText(el)).to.equal('The checkout could not be loaded. Try again');
    const errors = record(el, 'ledyer-error');
    el.sessionId = 'not an id';
    await waitUntil(() => errors.length === 1, 'no second error');
    expect(el.state).to.equal('error');
    expect(visibleText(el)).to.equal('The checkout is not set up correctly.');
    expect(el.shadowRoot!.querySelector('[part="retry"]')).to.equal(null);
  });

  it('in development, the message explains the error and names the value', async () => {
    const el = document.createElement('ledyer-checkout');
    const errors = record(el, 'ledyer-error');
    el.sessionId = 'cs abc';
    await fixture(el);
    await waitForState(el, 'error');
    expect(errors[0]!.message).to.match(/^session-id "cs abc" is not a Ledyer session id/);
    expect(el.error!.message).to.equal(errors[0]!.message);
  });
});
