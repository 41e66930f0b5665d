/** The live channel on its own: subscribers, commands and their bounds, expiry, teardown. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { LiveCheckouts, type DriveResult, type LiveCheckoutOptions } from '../../src/sandbox/live-checkouts.js';

const SESSION = 'cs_live0000000000000000000000001';
const OTHER = 'cs_live0000000000000000000000002';

interface ServerEvent {
  event: string;
  data: Record<string, unknown>;
}

/** Reads a subscriber's stream as a page's EventSource would, event by event. */
function eventReader(stream: ReadableStream<Uint8Array>) {
  const reader = stream.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  return {
    async next(): Promise<ServerEvent | null> {
      for (;;) {
        const end = buffer.indexOf('\n\n');
        if (end >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const event = /^event: (.*)$/m.exec(block)?.[1];
          const data = /^data: (.*)$/m.exec(block)?.[1];
          if (event && data) return { event, data: JSON.parse(data) as Record<string, unknown> };
          continue;
        }
        const { done, value } = await reader.read();
        if (done) return null;
        buffer += decoder.decode(value, { stream: true });
      }
    },
    cancel: () => reader.cancel(),
  };
}

function live(options: Partial<LiveCheckoutOptions> = {}): LiveCheckouts {
  return new LiveCheckouts({ acknowledgeTimeoutMs: 200, outcomeTimeoutMs: 400, ...options });
}

function subscribe(channel: LiveCheckouts, sessionId = SESSION) {
  const subscribed = channel.subscribe(sessionId);
  assert.ok(subscribed.ok, 'subscribed');
  return eventReader(subscribed.stream);
}

describe('commands', () => {
  test('no page listening: drive answers no-page at once', async () => {
    const channel = live();
    assert.deepEqual(await channel.drive(SESSION, { outcome: 'complete', paymentMethod: null }), { kind: 'no-page' });
  });

  test('the newest page gets a buy event; started, settled by the purchase route, answered once the page showed it', async () => {
    const channel = live();
    const older = subscribe(channel);
    const page = subscribe(channel);
    const driven = channel.drive(SESSION, { outcome: 'pending', paymentMethod: 'advanceInvoice' });
    const event = await page.next();
    assert.equal(event?.event, 'buy');
    assert.equal(event?.data['outcome'], 'pending');
    assert.equal(event?.data['paymentMethod'], 'advanceInvoice');
    const commandId = String(event?.data['commandId']);
    assert.equal(channel.settle(SESSION, commandId, { kind: 'complete', orderId: 'or_1' }), false, 'not before the page took it');
    assert.equal(channel.report(OTHER, commandId, { state: 'started' }), false, "another session's page cannot take it");
    assert.equal(channel.report(SESSION, commandId, { state: 'started' }), true);
    assert.equal(channel.report(SESSION, commandId, { state: 'shown' }), false, 'nothing to show before the purchase');
    assert.equal(channel.settle(SESSION, commandId, { kind: 'pending', orderId: 'or_1' }), true);
    assert.equal(channel.settle(SESSION, commandId, { kind: 'complete', orderId: 'or_1' }), false, 'settled once');
    let answered = false;
    void driven.then(() => (answered = true));
    await new Promise((resolve) => setTimeout(resolve, 20));
    assert.equal(answered, false, 'not before the page showed it');
    assert.equal(channel.report(SESSION, commandId, { state: 'shown' }), true);
    assert.deepEqual(await driven, { kind: 'settled', outcome: { kind: 'pending', orderId: 'or_1' } });
    assert.equal(channel.report(SESSION, commandId, { state: 'started' }), false, 'a settled command is gone');
    await older.cancel();
    await page.cancel();
  });

  test('a denial by client validation is reported by the page and settles the command', async () => {
    const channel = live();
    const page = subscribe(channel);
    const driven = channel.drive(SESSION, { outcome: 'complete', paymentMethod: null });
    const commandId = String((await page.next())?.data['commandId']);
    channel.report(SESSION, commandId, { state: 'started' });
    channel.report(SESSION, commandId, { state: 'denied', title: 'Out of stock', body: 'Sold out.' });
    assert.deepEqual(await driven, { kind: 'settled', outcome: { kind: 'denied', title: 'Out of stock', body: 'Sold out.' } });
    await page.cancel();
  });

  test('a page that does not take the command in time: no-answer, and its late start is refused', async () => {
    const channel = live({ acknowledgeTimeoutMs: 50 });
    const page = subscribe(channel);
    const driven = channel.drive(SESSION, { outcome: 'complete', paymentMethod: null });
    const commandId = String((await page.next())?.data['commandId']);
    assert.deepEqual(await driven, { kind: 'no-answer' });
    assert.equal(channel.report(SESSION, commandId, { state: 'started' }), false);
    await page.cancel();
  });

  test('a settled command answers the server outcome even if the page never says shown, or leaves (a redirect)', async () => {
    const channel = live({ shownTimeoutMs: 30 });
    const quiet = subscribe(channel);
    const first = channel.drive(SESSION, { outcome: 'complete', paymentMethod: null });
    const firstId = String((await quiet.next())?.data['commandId']);
    channel.report(SESSION, firstId, { state: 'started' });
    channel.settle(SESSION, firstId, { kind: 'complete', orderId: 'or_1' });
    assert.deepEqual(await first, { kind: 'settled', outcome: { kind: 'complete', orderId: 'or_1' } });

    const leaving = live({ shownTimeoutMs: 60_000 });
    const page = subscribe(leaving);
    const second = leaving.drive(SESSION, { outcome: 'complete', paymentMethod: null });
    const secondId = String((await page.next())?.data['commandId']);
    leaving.report(SESSION, secondId, { state: 'started' });
    leaving.settle(SESSION, secondId, { kind: 'redirect', location: 'https://shop.example/thanks' });
    await page.cancel();
    assert.deepEqual(await second, { kind: 'settled', outcome: { kind: 'redirect', location: 'https://shop.example/thanks' } });
    await quiet.cancel();
  });

  test('a page on a slow machine says shown after the command answered: acknowledged, the answer unchanged', async () => {
    const channel = live({ shownTimeoutMs: 20 });
    const page = subscribe(channel);
    const driven = channel.drive(SESSION, { outcome: 'complete', paymentMethod: null });
    const commandId = String((await page.next())?.data['commandId']);
    assert.equal(channel.report(SESSION, commandId, { state: 'started' }), true);
    channel.settle(SESSION, commandId, { kind: 'complete', orderId: 'or_1' });
    assert.deepEqual(await driven, { kind: 'settled', outcome: { kind: 'complete', orderId: 'or_1' } });
    assert.equal(channel.report(SESSION, commandId, { state: 'shown' }), true, 'the late shown is no error');
    // Twin: a command that answered cannot be started again, nor reported on from another session.
    assert.equal(channel.report(SESSION, commandId, { state: 'started' }), false);
    assert.equal(channel.report(OTHER, commandId, { state: 'shown' }), false);
    assert.equal(channel.report(SESSION, 'not-a-command', { state: 'shown' }), false);
    await page.cancel();
  });

  test('a page that started but never finishes: timeout', async () => {
    const channel = live({ outcomeTimeoutMs: 50 });
    const page = subscribe(channel);
    const driven = channel.drive(SESSION, { outcome: 'complete', paymentMethod: null });
    channel.report(SESSION, String((await page.next())?.data['commandId']), { state: 'started' });
    assert.deepEqual(await driven, { kind: 'timeout' });
    await page.cancel();
  });

  test('a page that leaves mid-command, or says it cannot buy: no-answer, so the caller buys server-side', async () => {
    const channel = live({ acknowledgeTimeoutMs: 5000, outcomeTimeoutMs: 5000 });
    const leaving = subscribe(channel);
    const first = channel.drive(SESSION, { outcome: 'complete', paymentMethod: null });
    channel.report(SESSION, String((await leaving.next())?.data['commandId']), { state: 'started' });
    await leaving.cancel();
    assert.deepEqual(await first, { kind: 'no-answer' });

    const done = subscribe(channel);
    const second = channel.drive(SESSION, { outcome: 'complete', paymentMethod: null });
    channel.report(SESSION, String((await done.next())?.data['commandId']), { state: 'unavailable' });
    assert.deepEqual(await second, { kind: 'no-answer' });
    await done.cancel();
  });

  test('a page served a moment ago is waited for; one served long ago, or never, is not', async () => {
    const channel = live({ connectGraceMs: 1000 });
    channel.pageServed(SESSION);
    const driven = channel.drive(SESSION, { outcome: 'complete', paymentMethod: null });
    const page = subscribe(channel);
    const event = await page.next();
    assert.equal(event?.event, 'buy', 'the command went to the page that connected late');
    channel.report(SESSION, String(event?.data['commandId']), { state: 'started' });
    channel.settle(SESSION, String(event?.data['commandId']), { kind: 'complete', orderId: 'or_1' });
    channel.report(SESSION, String(event?.data['commandId']), { state: 'shown' });
    assert.equal((await driven).kind, 'settled');
    await page.cancel();

    const stale = live({ connectGraceMs: 0 });
    stale.pageServed(OTHER);
    await new Promise((resolve) => setTimeout(resolve, 5));
    assert.deepEqual(await stale.drive(OTHER, { outcome: 'complete', paymentMethod: null }), { kind: 'no-page' });
  });
});

describe('expiry, caps and teardown', () => {
  test("expire tells the session's pages, ends their streams, and leaves other sessions alone", async () => {
    const channel = live();
    const page = subscribe(channel);
    const other = subscribe(channel, OTHER);
    assert.equal(channel.expire(SESSION, 'This checkout session has expired.'), 1);
    assert.deepEqual(await page.next(), { event: 'expired', data: { message: 'This checkout session has expired.' } });
    assert.equal(await page.next(), null, 'the stream ended');
    assert.equal(channel.pageCount(SESSION), 0);
    assert.equal(channel.pageCount(OTHER), 1);
    await other.cancel();
  });

  test('caps: per session and in total; a page that leaves frees its place', async () => {
    const channel = live({ maxPagesPerSession: 1, maxPages: 2 });
    const first = subscribe(channel);
    const refused = channel.subscribe(SESSION);
    assert.equal(refused.ok, false);
    assert.equal(!refused.ok && refused.reason, 'session-full');
    const other = subscribe(channel, OTHER);
    const third = channel.subscribe('cs_live0000000000000000000000003');
    assert.equal(!third.ok && third.reason, 'server-full');
    await first.cancel();
    assert.ok(channel.subscribe(SESSION).ok, 'room again');
    await other.cancel();
    channel.close();
  });

  test('close ends every stream, answers waiting commands, refuses new pages', async () => {
    const channel = live({ acknowledgeTimeoutMs: 60_000 });
    const page = subscribe(channel);
    const driven: Promise<DriveResult> = channel.drive(SESSION, { outcome: 'complete', paymentMethod: null });
    assert.equal((await page.next())?.event, 'buy');
    channel.close();
    assert.deepEqual(await driven, { kind: 'no-answer' });
    assert.equal(await page.next(), null);
    assert.equal(channel.pageCount(), 0);
    const late = channel.subscribe(SESSION);
    assert.equal(!late.ok && late.reason, 'closed');
  });
});
