// The element's own texts follow `lang` on the element or its nearest ancestor.
import { expect, fixture, html } from '@open-wc/testing';
import { setLedyerCheckoutStrings, type LedyerCheckout } from '../../src/index.js';
import { fakeUrl, resetPage, visibleText, waitForState } from './helpers.js';

/** A checkout whose configuration fails at once: its error text shows, with no retry. */
async function misconfigured(lang: string | null, wrap?: string): Promise<LedyerCheckout> {
  const host = document.createElement('div');
  if (wrap !== undefined) host.lang = wrap;
  const el = document.createElement('ledyer-checkout');
  if (lang !== null) el.lang = lang;
  el.sessionId = '';
  host.append(el);
  await fixture(host);
  await waitForState(el, 'error');
  await el.updateComplete;
  return el;
}

/** A checkout whose script 404s: a recoverable error with its retry button. */
async function unreachable(lang: string): Promise<LedyerCheckout> {
  const key = `k${Math.random().toString(36).slice(2)}`;
  const el = await fixture<LedyerCheckout>(html`<ledyer-checkout lang=${lang} session-id="cs_lang" bootstrap-url=${`/__fake/flaky/${key}/bootstrap`}></ledyer-checkout>`);
  await waitForState(el, 'error');
  await el.updateComplete;
  return el;
}

describe('<ledyer-checkout> texts in the page\'s language', () => {
  beforeEach(resetPage);

  for (const [lang, expected] of [
    ['en', 'The checkout is not set up correctly.'],
    ['sv', 'Kassan är inte korrekt inställd.'],
    ['da', 'Kassen er ikke sat korrekt op.'],
    ['fi', 'Kassaa ei ole määritetty oikein.'],
    ['no', 'Kassen er ikke satt opp riktig.'],
    ['nb', 'Kassen er ikke satt opp riktig.'],
    ['nn-NO', 'Kassen er ikke satt opp riktig.'],
    ['sv-SE', 'Kassan är inte korrekt inställd.'],
  ] as const) {
    it(`lang="${lang}" on the element shows "${expected}"`, async () => {
      const el = await misconfigured(lang);
      expect(visibleText(el)).to.equal(expected);
    });
  }

  it('the retry button and the load failure are in the language too', async () => {
    const el = await unreachable('da');
    expect(visibleText(el)).to.equal('Kassen kunne ikke indlæses. Prøv igen');
    const swedish = await unreachable('sv');
    expect(swedish.shadowRoot!.querySelector('[part="retry"]')!.textContent).to.equal('Försök igen');
  });

  it('the loading announcement is in the language', async () => {
    const el = await fixture<LedyerCheckout>(html`<ledyer-checkout lang="fi" session-id="cs_l" bootstrap-url=${fakeUrl({ 'iframe-delay': '400' })}></ledyer-checkout>`);
    await waitForState(el, 'loading');
    await el.updateComplete;
    expect(visibleText(el)).to.equal('Ladataan kassaa…');
  });

  it('takes the nearest ancestor\'s lang when the element has none', async () => {
    const el = await fixture<HTMLElement>(html`<section lang="sv"><div lang="da"><ledyer-checkout session-id=""></ledyer-checkout></div></section>`);
    const checkout = el.querySelector('ledyer-checkout')!;
    await waitForState(checkout, 'error');
    await checkout.updateComplete;
    expect(visibleText(checkout), 'the inner div\'s da, not the section\'s sv').to.equal('Kassen er ikke sat korrekt op.');
    const far = await fixture<HTMLElement>(html`<section lang="fi"><div><ledyer-checkout session-id=""></ledyer-checkout></div></section>`);
    const farCheckout = far.querySelector('ledyer-checkout')!;
    await waitForState(farCheckout, 'error');
    await farCheckout.updateComplete;
    expect(visibleText(farCheckout)).to.equal('Kassaa ei ole määritetty oikein.');
  });

  it('falls back to English for a language it has no texts for, and without any lang', async () => {
    expect(visibleText(await misconfigured('de'))).to.equal('The checkout is not set up correctly.');
    expect(visibleText(await misconfigured(''))).to.equal('The checkout is not set up correctly.');
  });

  it('setLedyerCheckoutStrings() adds a language; keys left out are English', async () => {
    setLedyerCheckoutStrings('x-test-de', { error: 'Der Checkout ist nicht richtig eingerichtet.' });
    expect(visibleText(await misconfigured('x-test-de'))).to.equal('Der Checkout ist nicht richtig eingerichtet.');
    setLedyerCheckoutStrings('x-test-de', { 'script-load-failed': 'Der Checkout konnte nicht geladen werden.' });
    const el = await unreachable('x-test-de');
    expect(visibleText(el)).to.equal('Der Checkout konnte nicht geladen werden. Try again');
  });

  it('setLedyerCheckoutStrings() for a regional tag changes one text and keeps the built-in rest', async () => {
    setLedyerCheckoutStrings('sv-x-test', { retry: 'Ladda om' });
    const el = await unreachable('sv-x-test');
    expect(visibleText(el)).to.equal('Kassan kunde inte laddas. Ladda om');
    expect(visibleText(await unreachable('sv')), 'plain sv is untouched').to.equal('Kassan kunde inte laddas. Försök igen');
  });

  it('a text for one configuration error replaces the shared one for that code only', async () => {
    setLedyerCheckoutStrings('en-x-test', { 'invalid-session-id': 'Your session has no id yet.' });
    expect(visibleText(await misconfigured('en-x-test'))).to.equal('Your session has no id yet.');
    const other = await fixture<LedyerCheckout>(html`<ledyer-checkout lang="en-x-test" session-id="cs_x" environment="live"></ledyer-checkout>`);
    await waitForState(other, 'error');
    await other.updateComplete;
    expect(visibleText(other)).to.equal('The checkout is not set up correctly.');
  });

  it('a merchant text with markup shows as text, never as markup', async () => {
    setLedyerCheckoutStrings('en-x-markup', { error: '<b>Bold</b> <img src=x onerror="window.__injected=1">' });
    const el = await misconfigured('en-x-markup');
    expect(visibleText(el)).to.equal('<b>Bold</b> <img src=x onerror="window.__injected=1">');
    expect(el.shadowRoot!.querySelector('b, img')).to.equal(null);
    expect((window as { __injected?: number }).__injected).to.equal(undefined);
  });
});
