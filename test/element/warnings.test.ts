import { expect } from '@open-wc/testing';
import { mountCheckout, readyCheckout, resetPage, waitForState } from './helpers.js';

describe('<ledyer-checkout> dev-mode warnings', () => {
  let warnings: string[];
  let original: typeof console.warn;
  beforeEach(() => {
    resetPage();
    warnings = [];
    original = console.warn;
    console.warn = (...args: unknown[]) => warnings.push(args.map(String).join(' '));
  });
  afterEach(() => {
    console.warn = original;
  });
  const codes = () => warnings.map((line) => /^\[ledyer-checkout\] ([a-z-]+):/.exec(line)?.[1]);

  it('production with a loopback bootstrap-url warns production-with-loopback-bootstrap', async () => {
    const el = await mountCheckout({ sessionId: 'cs_w', environment: 'production' });
    await waitForState(el, 'ready');
    expect(codes()).to.deep.equal(['production-with-loopback-bootstrap']);
  });

  it('the sandbox environment with a loopback bootstrap-url warns nothing', async () => {
    await readyCheckout({ environment: 'sandbox' });
    expect(warnings).to.deep.equal([]);
  });

  it('a buy-button-color that is not #rrggbb warns invalid-buy-button-color', async () => {
    await readyCheckout({ buyButtonColor: 'blue' });
    expect(codes()).to.deep.equal(['invalid-buy-button-color']);
  });

  it('a #rrggbb buy-button-color warns nothing', async () => {
    await readyCheckout({ buyButtonColor: '#00aa11' });
    expect(warnings).to.deep.equal([]);
  });

  it('a validation-timeout at or above Ledyer\'s 10 s warns validation-timeout-too-long', async () => {
    await readyCheckout({ validationTimeout: 10000 });
    expect(codes()).to.deep.equal(['validation-timeout-too-long']);
  });

  it('an unknown validation-timeout-action warns invalid-validation-timeout-action', async () => {
    await readyCheckout({ validationTimeoutAction: 'allow' });
    expect(codes()).to.deep.equal(['invalid-validation-timeout-action']);
  });

  it('a known validation-timeout-action below 10 s warns nothing', async () => {
    await readyCheckout({ validationTimeoutAction: 'proceed', validationTimeout: 9000 });
    expect(warnings).to.deep.equal([]);
  });

  it('resume() without suspend() warns resume-without-suspend, once', async () => {
    const el = await readyCheckout();
    el.resume();
    el.resume();
    expect(codes()).to.deep.equal(['resume-without-suspend']);
  });

  it('balanced suspend() and resume() warn nothing', async () => {
    const el = await readyCheckout();
    el.suspend();
    el.resume();
    expect(warnings).to.deep.equal([]);
  });
});
