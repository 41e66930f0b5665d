// The element on the local sandbox's real bootstrap.js and hosted checkout page.
import { expect, waitUntil } from '@open-wc/testing';
import { mountCheckout, record, resetPage, scripts, waitForState } from './helpers.js';

interface CreatedSession {
  sessionId: string;
  orderId: string;
  url: string;
  error?: string;
}

async function createSession(options: { requireClientValidation?: boolean } = {}): Promise<CreatedSession> {
  const response = await fetch('/__ledyer/session', { method: 'POST', body: JSON.stringify(options) });
  const session = (await response.json()) as CreatedSession;
  if (session.error) throw new Error(session.error);
  return session;
}

describe('<ledyer-checkout> on the sandbox', () => {
  beforeEach(resetPage);

  it('mounts the hosted checkout from the sandbox bootstrap and becomes ready', async () => {
    const { sessionId, url } = await createSession();
    const el = await mountCheckout({ sessionId, bootstrapUrl: `${url}/bootstrap.js` });
    const loads = record(el, 'ledyer-load');
    await waitForState(el, 'ready', 10000);
    expect(loads.map((event) => event.sessionId)).to.deep.equal([sessionId]);
    const iframe = el.querySelector('iframe');
    expect(iframe, 'the sandbox put its iframe into our container').to.exist;
    expect(new URL(iframe!.src).origin).to.equal(url);
    expect(scripts()).to.have.length(1);
    const api = (window as { ledyer?: { api?: Record<string, unknown> } }).ledyer?.api;
    expect(typeof api?.['suspend'] && typeof api?.['clientValidation']).to.equal('function');
    await expect(el).to.be.accessible();
  });

  it('suspend() and resume() reach the sandbox without a missing-API warning', async () => {
    const { sessionId, url } = await createSession();
    const el = await mountCheckout({ sessionId, bootstrapUrl: `${url}/bootstrap.js` });
    await waitForState(el, 'ready', 10000);
    const warn = console.warn;
    const warnings: string[] = [];
    console.warn = (...args: unknown[]) => warnings.push(args.map(String).join(' '));
    try {
      await el.withSuspended(() => expect(el.state).to.equal('suspended'));
    } finally {
      console.warn = warn;
    }
    expect(el.state).to.equal('ready');
    expect(warnings.filter((line) => line.includes('ledyer-api-missing'))).to.deep.equal([]);
  });

  it('a bootstrap path the sandbox does not serve reports script-load-failed', async () => {
    const { sessionId, url } = await createSession();
    const el = await mountCheckout({ sessionId, bootstrapUrl: `${url}/no-such-bootstrap.js` });
    await waitForState(el, 'error', 10000);
    expect(el.error?.code).to.equal('script-load-failed');
    expect(scripts()).to.have.length(0);
  });

  it('re-mounting on a new sandbox session leaves one script and one iframe', async () => {
    const first = await createSession();
    const second = await createSession();
    const el = await mountCheckout({ sessionId: first.sessionId, bootstrapUrl: `${first.url}/bootstrap.js` });
    await waitForState(el, 'ready', 10000);
    el.sessionId = second.sessionId;
    await waitUntil(() => el.state === 'ready' && scripts()[0]?.dataset['sessionId'] === second.sessionId, 'second session never ready', { timeout: 10000 });
    expect(scripts()).to.have.length(1);
    expect(document.querySelectorAll('iframe')).to.have.length(1);
  });
});
