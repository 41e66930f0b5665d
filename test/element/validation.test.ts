import { expect } from '@open-wc/testing';
import { LedyerValidateEvent, type ValidationResult } from '../../src/index.js';
import { fakeLog, ledyerFires, nextTask, readyCheckout, record, resetPage, waitForState } from './helpers.js';
import { waitUntil } from '@open-wc/testing';

const answers = () => fakeLog().calls.filter((call) => call.method === 'clientValidation').map((call) => call.answer);
const waitForAnswer = (count = 1) => waitUntil(() => answers().length >= count, 'no clientValidation answer', { timeout: 3000 });

describe('<ledyer-checkout> client validation', () => {
  beforeEach(resetPage);

  it('with no handler at all, proceeds at once', async () => {
    const el = await readyCheckout();
    const started = performance.now();
    ledyerFires('ledyerCheckoutWaitingForClientValidation');
    await waitForAnswer();
    expect(performance.now() - started).to.be.below(200);
    expect(answers()).to.deep.equal([{ shouldProceed: true }]);
    expect(el.state).to.equal('ready');
  });

  it('fires a cancelable, bubbling ledyer-validate with the session id and a live signal', async () => {
    const el = await readyCheckout({ sessionId: 'cs_val' });
    let seen: LedyerValidateEvent | undefined;
    el.addEventListener('ledyer-validate', (event) => {
      seen = event;
      expect(el.state).to.equal('validating');
      expect(event.signal.aborted).to.equal(false);
      event.respondWith({ proceed: true });
    });
    ledyerFires('ledyerCheckoutWaitingForClientValidation');
    await waitForAnswer();
    expect(seen).to.be.instanceOf(LedyerValidateEvent);
    expect(seen!.sessionId).to.equal('cs_val');
    expect(seen!.cancelable && seen!.bubbles && seen!.composed).to.equal(true);
    expect(answers()).to.deep.equal([{ shouldProceed: true }]);
    expect(el.state).to.equal('ready');
  });

  it('denies with the merchant\'s title and message from an async respondWith', async () => {
    const el = await readyCheckout();
    el.addEventListener('ledyer-validate', (event) => {
      event.respondWith(nextTask(50).then((): ValidationResult => ({ proceed: false, title: 'Stock', message: 'Item 3 sold out' })));
    });
    ledyerFires('ledyerCheckoutWaitingForClientValidation');
    expect(el.state).to.equal('validating');
    await waitForAnswer();
    expect(answers()).to.deep.equal([{ shouldProceed: false, message: { title: 'Stock', body: 'Item 3 sold out' } }]);
  });

  it('asks the validate property with the session id and a signal', async () => {
    const el = await readyCheckout({ sessionId: 'cs_prop' });
    const asked: string[] = [];
    el.validate = async (detail, signal) => {
      asked.push(detail.sessionId);
      expect(signal).to.be.instanceOf(AbortSignal);
      return { proceed: false, message: 'Call us' };
    };
    ledyerFires('ledyerCheckoutWaitingForClientValidation');
    await waitForAnswer();
    expect(asked).to.deep.equal(['cs_prop']);
    expect(answers()).to.deep.equal([{ shouldProceed: false, message: { title: null, body: 'Call us' } }]);
  });

  it('proceeds only when every answer proceeds', async () => {
    const el = await readyCheckout();
    el.validate = () => ({ proceed: true });
    el.addEventListener('ledyer-validate', (event) => event.respondWith({ proceed: true }));
    ledyerFires('ledyerCheckoutWaitingForClientValidation');
    await waitForAnswer();
    expect(answers()).to.deep.equal([{ shouldProceed: true }]);
  });

  it('preventDefault() alone denies with Ledyer\'s default message', async () => {
    const el = await readyCheckout();
    el.addEventListener('ledyer-validate', (event) => event.preventDefault());
    ledyerFires('ledyerCheckoutWaitingForClientValidation');
    await waitForAnswer();
    expect(answers()).to.deep.equal([{ shouldProceed: false }]);
  });

  for (const [how, validate] of [
    ['throws', () => { throw new Error('boom'); }],
    ['rejects', () => Promise.reject(new Error('boom'))],
    ['answers nonsense', () => ({ ok: true }) as unknown as ValidationResult],
  ] as const) {
    it(`when the handler ${how}: denies and fires ledyer-error validation-failed`, async () => {
      const el = await readyCheckout();
      const errors = record(el, 'ledyer-error');
      el.validate = validate;
      ledyerFires('ledyerCheckoutWaitingForClientValidation');
      await waitForAnswer();
      expect(answers()).to.deep.equal([{ shouldProceed: false }]);
      expect(errors.map((event) => [event.code, event.recoverable])).to.deep.equal([['validation-failed', true]]);
      expect(el.state, 'a failed validation is not a broken checkout').to.equal('ready');
    });
  }

  it('with validation-timeout-action="proceed", a throwing handler proceeds (and still reports)', async () => {
    const el = await readyCheckout({ validationTimeoutAction: 'proceed' });
    const errors = record(el, 'ledyer-error');
    el.validate = () => { throw new Error('boom'); };
    ledyerFires('ledyerCheckoutWaitingForClientValidation');
    await waitForAnswer();
    expect(answers()).to.deep.equal([{ shouldProceed: true }]);
    expect(errors.map((event) => event.code)).to.deep.equal(['validation-failed']);
  });

  it('answers by the deadline when the handler never does, and aborts its signal', async () => {
    const el = await readyCheckout({ validationTimeout: 150 });
    const errors = record(el, 'ledyer-error');
    let signal: AbortSignal | undefined;
    el.validate = (_detail, s) => {
      signal = s;
      return new Promise<ValidationResult>(() => undefined);
    };
    const started = performance.now();
    ledyerFires('ledyerCheckoutWaitingForClientValidation');
    await nextTask(80);
    expect(answers(), 'not before the deadline').to.have.length(0);
    await waitForAnswer();
    expect(performance.now() - started).to.be.within(140, 1000);
    expect(answers()).to.deep.equal([{ shouldProceed: false }]);
    expect(errors.map((event) => event.code)).to.deep.equal(['validation-failed']);
    expect(signal!.aborted).to.equal(true);
  });

  it('a handler that answers within the deadline reports no error', async () => {
    const el = await readyCheckout({ validationTimeout: 300 });
    const errors = record(el, 'ledyer-error');
    el.validate = () => nextTask(50).then(() => ({ proceed: true }) as const);
    ledyerFires('ledyerCheckoutWaitingForClientValidation');
    await waitForAnswer();
    await nextTask(350);
    expect(answers()).to.deep.equal([{ shouldProceed: true }]);
    expect(errors).to.have.length(0);
  });

  it('answers exactly once when Ledyer repeats the request while one is pending', async () => {
    const el = await readyCheckout();
    let asked = 0;
    el.validate = () => {
      asked += 1;
      return nextTask(60).then(() => ({ proceed: true }) as const);
    };
    ledyerFires('ledyerCheckoutWaitingForClientValidation');
    ledyerFires('ledyerCheckoutWaitingForClientValidation');
    await waitForAnswer();
    await nextTask(100);
    expect(asked).to.equal(1);
    expect(answers()).to.have.length(1);
  });

  it('respondWith() after the listener returned throws InvalidStateError', async () => {
    const el = await readyCheckout();
    let late: LedyerValidateEvent | undefined;
    el.addEventListener('ledyer-validate', (event) => {
      late = event;
    });
    ledyerFires('ledyerCheckoutWaitingForClientValidation');
    await waitForAnswer();
    expect(() => late!.respondWith({ proceed: false })).to.throw(DOMException, /synchronously/);
    expect(answers()).to.deep.equal([{ shouldProceed: true }]);
  });

  it('returns to suspended, not ready, when it was suspended', async () => {
    const el = await readyCheckout();
    el.suspend();
    ledyerFires('ledyerCheckoutWaitingForClientValidation');
    await waitForAnswer();
    expect(el.state).to.equal('suspended');
  });

  it('a completed purchase during validation ends it without a late answer', async () => {
    const el = await readyCheckout();
    let signal: AbortSignal | undefined;
    el.validate = (_detail, s) => {
      signal = s;
      return nextTask(100).then(() => ({ proceed: true }) as const);
    };
    ledyerFires('ledyerCheckoutWaitingForClientValidation');
    ledyerFires('ledyerCheckoutOrderComplete');
    await waitForState(el, 'complete');
    await nextTask(150);
    expect(signal!.aborted).to.equal(true);
    expect(answers()).to.have.length(0);
  });
});
