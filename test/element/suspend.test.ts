import { expect } from '@open-wc/testing';
import { fakeLog, mountCheckout, fakeUrl, readyCheckout, resetPage, waitForState } from './helpers.js';

const apiCalls = () => fakeLog().calls.filter((call) => call.method !== 'clientValidation').map((call) => call.method);

describe('<ledyer-checkout> suspend and resume', () => {
  beforeEach(resetPage);

  it('nests: the checkout resumes only after the last resume()', async () => {
    const el = await readyCheckout();
    el.suspend();
    el.suspend();
    expect(el.state).to.equal('suspended');
    el.resume();
    expect(el.state).to.equal('suspended');
    expect(apiCalls()).to.deep.equal(['suspend']);
    el.resume();
    expect(el.state).to.equal('ready');
    expect(apiCalls()).to.deep.equal(['suspend', 'resume']);
  });

  it('an extra resume() does nothing', async () => {
    const el = await readyCheckout();
    const warn = console.warn;
    console.warn = () => undefined;
    try {
      el.resume();
    } finally {
      console.warn = warn;
    }
    expect(apiCalls()).to.deep.equal([]);
    el.suspend();
    expect(apiCalls(), 'the count did not go below zero').to.deep.equal(['suspend']);
  });

  it('withSuspended() returns fn\'s value and resumes', async () => {
    const el = await readyCheckout();
    const value = await el.withSuspended(async () => {
      expect(el.state).to.equal('suspended');
      return 42;
    });
    expect(value).to.equal(42);
    expect(el.state).to.equal('ready');
    expect(apiCalls()).to.deep.equal(['suspend', 'resume']);
  });

  it('withSuspended() resumes even when fn throws, and rethrows', async () => {
    const el = await readyCheckout();
    let caught: unknown;
    try {
      await el.withSuspended(() => {
        throw new Error('cart update failed');
      });
    } catch (error) {
      caught = error;
    }
    expect((caught as Error).message).to.equal('cart update failed');
    expect(el.state).to.equal('ready');
    expect(apiCalls()).to.deep.equal(['suspend', 'resume']);
  });

  it('a suspend() while loading applies once the checkout is ready', async () => {
    const el = await mountCheckout({ sessionId: 'cs_s', bootstrapUrl: fakeUrl({ 'iframe-delay': '100' }) });
    el.suspend();
    expect(apiCalls()).to.deep.equal([]);
    await waitForState(el, 'suspended');
    expect(apiCalls()).to.deep.equal(['suspend']);
    el.resume();
    expect(el.state).to.equal('ready');
  });

  it('a suspend() and resume() while loading leave Ledyer untouched', async () => {
    const el = await mountCheckout({ sessionId: 'cs_s', bootstrapUrl: fakeUrl({ 'iframe-delay': '100' }) });
    el.suspend();
    el.resume();
    await waitForState(el, 'ready');
    expect(apiCalls()).to.deep.equal([]);
  });
});
