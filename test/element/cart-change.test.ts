// A cart change while the checkout is open, as Ledyer's plugins do it: suspend → the
// merchant's server updates the session → resume, with no reload. The element on the local
// sandbox's real bootstrap.js and hosted page; the plugin (sandbox-plugin.mjs) plays the
// merchant's server and reads the cross-origin checkout frame for us.
import { expect, oneEvent } from '@open-wc/testing';
import { executeServerCommand } from '@web/test-runner-commands';
import type { LedyerConfirmationEvent } from '../../src/index.js';
import { mountCheckout, record, resetPage, scripts, waitForState } from './helpers.js';

interface CreatedSession {
  sessionId: string;
  orderId: string;
  url: string;
  error?: string;
}

type FrameAction = { action: 'text'; selector: string } | { action: 'wait-for-text'; selector: string; text: string } | { action: 'click'; selector: string };

async function createSession(): Promise<CreatedSession> {
  const response = await fetch('/__ledyer/session', { method: 'POST', body: '{}' });
  const session = (await response.json()) as CreatedSession;
  if (session.error) throw new Error(session.error);
  return session;
}

/** The merchant's server updates the session: the seed's coffee machines at `quantity`. */
async function updateCart(orderId: string, quantity: number): Promise<void> {
  const answer = (await (await fetch(`/__ledyer/session/${orderId}`, { method: 'POST', body: JSON.stringify({ quantity }) })).json()) as { error?: string };
  if (answer.error) throw new Error(`cart update failed: ${answer.error}`);
}

/** The order as the merchant's server reads it from Ledyer, or the status it got instead. */
async function readOrder(orderId: string): Promise<{ order?: Order; status?: number; error?: string }> {
  return (await fetch(`/__ledyer/order/${orderId}`)).json() as Promise<{ order?: Order; status?: number; error?: string }>;
}

/** What the buyer sees in the checkout frame; `text` waits (bounded) until it shows that. */
async function shown(selector: string, text?: string): Promise<string | null> {
  const action: FrameAction = text === undefined ? { action: 'text', selector } : { action: 'wait-for-text', selector, text };
  return (await executeServerCommand<{ text: string | null }, FrameAction>('ledyer-checkout-frame', action)).text;
}

const clickInCheckout = (selector: string) => executeServerCommand<boolean, FrameAction>('ledyer-checkout-frame', { action: 'click', selector });

interface OrderLine {
  description: string;
  quantity: number;
}
interface Order {
  uncaptured: { orderLines: OrderLine[] };
  orderAmount: { minorUnits: number };
}

async function mountOnSandbox(session: CreatedSession) {
  const el = await mountCheckout({ sessionId: session.sessionId, bootstrapUrl: `${session.url}/bootstrap.js` });
  await waitForState(el, 'ready', 10000);
  return el;
}

describe('<ledyer-checkout> cart change on the sandbox', () => {
  beforeEach(resetPage);

  it('withSuspended(update) with no reload: the checkout shows the new total, and the order holds the new lines', async () => {
    const session = await createSession();
    const el = await mountOnSandbox(session);
    expect(await shown('#total')).to.equal('SEK 5,100.00');
    const script = scripts()[0];
    const iframe = el.querySelector('iframe');
    const loads = record(el, 'ledyer-load');

    await el.withSuspended(() => updateCart(session.orderId, 3));

    expect(await shown('#total', 'SEK 1,600.00')).to.equal('SEK 1,600.00');
    expect(scripts()).to.deep.equal([script], 'the same script: no reload');
    expect(el.querySelector('iframe')).to.equal(iframe, 'the same iframe: no reload');
    expect(loads).to.have.length(0);

    const confirmed = oneEvent(el, 'ledyer-confirmation') as Promise<LedyerConfirmationEvent>;
    await clickInCheckout('#buy');
    expect((await confirmed).status).to.equal('complete');
    const { order, error } = await readOrder(session.orderId);
    if (!order) throw new Error(`no order: ${error}`);
    expect(order.uncaptured.orderLines.map((line) => [line.description, line.quantity])).to.deep.equal([
      ['Coffee Machine X200', 3],
      ['Shipping fee', 1],
    ]);
    expect(order.orderAmount.minorUnits).to.equal(160000);
  });

  it('an update the checkout never re-read (no suspend/resume): buying is refused, the buyer is shown the new total, nothing is bought', async () => {
    const session = await createSession();
    const el = await mountOnSandbox(session);
    const confirmations = record(el, 'ledyer-confirmation');
    await updateCart(session.orderId, 2);
    expect(await shown('#total')).to.equal('SEK 5,100.00', 'the checkout shows the session as of its last read');

    await clickInCheckout('#buy');
    expect(await shown('#alert-body', 'The order was updated; check the new total and place the order again.')).to.equal(
      'The order was updated; check the new total and place the order again.',
    );
    expect(await shown('#total')).to.equal('SEK 1,100.00');
    expect(confirmations).to.have.length(0);
    expect((await readOrder(session.orderId)).status).to.equal(404, 'no order');
  });
});
