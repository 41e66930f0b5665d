// `LedyerCheckout.define(tag)`: any new tag works, whatever else is defined.
import { expect, fixture, html } from '@open-wc/testing';
import { LedyerCheckout } from '../../src/index.js';
import { fakeUrl, resetPage, scripts, waitForState } from './helpers.js';

let counter = 0;
/** A tag no earlier test has defined: a registry keeps its definitions for the page's life. */
const freshTag = (): string => `test-checkout-${Date.now().toString(36)}-${++counter}`;

describe('LedyerCheckout.define()', () => {
  beforeEach(resetPage);

  it('defines a second tag while <ledyer-checkout> is defined, and that element mounts a checkout', async () => {
    expect(customElements.get('ledyer-checkout')).to.equal(LedyerCheckout);
    const tag = freshTag();
    expect(() => LedyerCheckout.define(tag)).not.to.throw();
    const Defined = customElements.get(tag)!;
    expect(Defined).not.to.equal(LedyerCheckout);
    expect(Defined.prototype).to.be.instanceOf(LedyerCheckout);
    const wrapper = await fixture<HTMLDivElement>(html`<div></div>`);
    const el = document.createElement(tag) as LedyerCheckout;
    el.bootstrapUrl = fakeUrl();
    el.sessionId = 'cs_second_tag';
    wrapper.append(el);
    await waitForState(el, 'ready');
    expect(el).to.be.instanceOf(LedyerCheckout);
    expect(scripts().map((script) => script.dataset['sessionId'])).to.deep.equal(['cs_second_tag']);
    expect(el.querySelector('iframe'), 'the iframe is in the second tag\'s light DOM').to.exist;
  });

  it('is idempotent for one tag: a second call keeps the first definition', () => {
    const tag = freshTag();
    LedyerCheckout.define(tag);
    const first = customElements.get(tag);
    LedyerCheckout.define(tag);
    expect(customElements.get(tag)).to.equal(first);
  });

  it('registers a merchant subclass under its own tag, and under a second one too', () => {
    class ShopCheckout extends LedyerCheckout {}
    const [one, two] = [freshTag(), freshTag()];
    ShopCheckout.define(one);
    ShopCheckout.define(two);
    expect(customElements.get(one)).to.equal(ShopCheckout);
    expect(document.createElement(two)).to.be.instanceOf(ShopCheckout);
  });

  it('leaves a tag that something else defined alone', () => {
    const tag = freshTag();
    class Other extends HTMLElement {}
    customElements.define(tag, Other);
    expect(() => LedyerCheckout.define(tag)).not.to.throw();
    expect(customElements.get(tag)).to.equal(Other);
  });

  it('throws the browser\'s error for a name that is not a valid custom element name', () => {
    expect(() => LedyerCheckout.define('checkout')).to.throw(DOMException, /not a valid custom element name/);
    expect(customElements.get('checkout')).to.equal(undefined);
  });
});
