// The bench's modelled network (bench/pages.ts): a visit's first connection to an origin pays
// the setup, the rest of the visit does not, and a connection opened early (a preconnect) pays
// it before any request needs it. Bounds are generous: a loaded machine only adds time.
import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { startPages, type ModelledServer } from '../../bench/pages.js';

const RTT_MS = 200;
const HANDSHAKE_RTTS = 5; // 1000 ms of setup, far above a loopback request's own time

async function timedGet(url: string): Promise<number> {
  const started = performance.now();
  const response = await fetch(url);
  await response.arrayBuffer();
  assert.equal(response.status, 200);
  return performance.now() - started;
}

describe('bench network model: connection setup', () => {
  let pages: ModelledServer;
  before(async () => {
    pages = await startPages({
      sandboxUrl: 'http://127.0.0.1:9',
      bundle: 'export {};',
      createSession: async () => ({ sessionId: 'cs_unused' }),
      rttMs: RTT_MS,
      handshakeRtts: HANDSHAKE_RTTS,
    });
  });
  after(() => pages.close());

  it("a visit's first request pays the setup and one round trip; the next pays the round trip only", async () => {
    pages.newVisit();
    const first = await timedGet(`${pages.url}/app-b.js`);
    const second = await timedGet(`${pages.url}/app-b.js`);
    assert.ok(first >= RTT_MS * (HANDSHAKE_RTTS + 1) - 5, `first request took ${first} ms`);
    assert.ok(second >= RTT_MS - 5, `second request took ${second} ms`);
    assert.ok(second < RTT_MS * HANDSHAKE_RTTS, `second request paid the setup again: ${second} ms`);
  });

  it('a new visit pays the setup again', async () => {
    pages.newVisit();
    await timedGet(`${pages.url}/app-b.js`);
    pages.newVisit();
    const again = await timedGet(`${pages.url}/app-b.js`);
    assert.ok(again >= RTT_MS * (HANDSHAKE_RTTS + 1) - 5, `the new visit's first request took ${again} ms`);
  });

  it('a connection opened early (a preconnect) has paid the setup by the time a request comes', async () => {
    pages.newVisit();
    const { port } = new URL(pages.url);
    const early = connect(Number(port), '127.0.0.1');
    await new Promise((resolve) => early.once('connect', resolve));
    await new Promise((resolve) => setTimeout(resolve, RTT_MS * HANDSHAKE_RTTS + 100));
    const later = await timedGet(`${pages.url}/app-b.js`);
    early.destroy();
    assert.ok(later < RTT_MS * HANDSHAKE_RTTS, `the request after the preconnect paid the setup: ${later} ms`);
  });

  it('without handshakeRtts a visit pays the round trip only, as in the model without connection setup', async () => {
    const free = await startPages({ sandboxUrl: 'http://127.0.0.1:9', bundle: 'export {};', createSession: async () => ({ sessionId: 'cs_unused' }), rttMs: RTT_MS });
    try {
      free.newVisit();
      const first = await timedGet(`${free.url}/app-b.js`);
      assert.ok(first >= RTT_MS - 5 && first < RTT_MS * HANDSHAKE_RTTS, `first request took ${first} ms`);
    } finally {
      await free.close();
    }
  });
});
