// The server's head hints (src/server/page-hints.ts) in a real page: the browser must fetch
// Ledyer's script once, for the preload, and run that same download when the element injects
// the script. A hint that differs from the element's `<script>` (here: `crossorigin`) makes
// the browser fetch it a second time, which is what the helper's exact URL and no-CORS hint avoid.
import { expect, waitUntil } from '@open-wc/testing';
import { checkoutPageHints } from '../../src/server/page-hints.js';
import { fakeUrl, mountCheckout, resetPage, scripts, waitForState } from './helpers.js';

/** A script URL no earlier test fetched, so the resource timing entries are this test's own. */
const freshScriptUrl = (): string => fakeUrl({ hint: Math.random().toString(36).slice(2) });
const downloads = (url: string): number => performance.getEntriesByName(url).length;

/** Puts `html` into `<head>` as a server would have sent it; removed after the test. */
function addToHead(html: string): void {
  const template = document.createElement('template');
  template.innerHTML = html;
  for (const link of template.content.querySelectorAll('link')) {
    link.dataset['testHint'] = '';
    document.head.append(link);
  }
}

describe('checkoutPageHints in the page', () => {
  beforeEach(resetPage);
  afterEach(() => document.head.querySelectorAll('[data-test-hint]').forEach((link) => link.remove()));

  it('the preload is the download the element runs: Ledyer\'s script is fetched once', async () => {
    const url = freshScriptUrl();
    addToHead(checkoutPageHints({ bootstrapUrl: url }).html);
    await waitUntil(() => downloads(url) === 1, 'the preload never fetched the script');
    const el = await mountCheckout({ sessionId: 'cs_hinted', bootstrapUrl: url });
    await waitForState(el, 'ready');
    expect(scripts().map((script) => script.src)).to.deep.equal([url]);
    expect(downloads(url)).to.equal(1);
  });

  it('a preload that asks for CORS, unlike the element\'s script, is not reused: the script is fetched twice', async () => {
    const url = freshScriptUrl();
    addToHead(checkoutPageHints({ bootstrapUrl: url }).html.replace('<link rel="preload"', '<link rel="preload" crossorigin'));
    await waitUntil(() => downloads(url) === 1, 'the preload never fetched the script');
    const el = await mountCheckout({ sessionId: 'cs_hinted', bootstrapUrl: url });
    await waitForState(el, 'ready');
    expect(downloads(url)).to.equal(2);
  });
});
