/**
 * `startLedyerSandbox()` and `connectLedyerSandbox()` without a browser: the handle's options
 * work with `createLedyerClient`, each control call answers its typed outcome or rejects
 * saying what failed with the sandbox's message, the callback log shows what the merchant
 * answered, and the handle tears down, keeps its secret to itself, and starts nothing on import.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { inspect } from 'node:util';
import { build } from 'esbuild';
import { createLedyerClient, LedyerApiError, type CreateSessionRequestInput, type LedyerClient } from '../../src/server/index.js';
import { connectLedyerSandbox, SandboxControlError, startLedyerSandbox, type LedyerSandbox } from '../../src/testing/index.js';
import { seedCreateSessionRequest } from '../shared/seeds.js';

const root = fileURLToPath(new URL('../..', import.meta.url));

let kit: LedyerSandbox;
let client: LedyerClient;
let merchant: Server;
let merchantUrl: string;
/** How the merchant's notification URL answers, one status per request; then 200. */
let notificationStatuses: number[] = [];

before(async () => {
  kit = await startLedyerSandbox({ notificationRetryDelaysMs: [20, 20] });
  client = createLedyerClient({ ...kit.clientOptions, retries: 0 });
  merchant = createServer((request, response) => {
    request.resume();
    request.on('end', () => {
      if (request.url === '/validate') return void response.writeHead(200, { 'content-type': 'application/json' }).end('{"reference":"PO-7"}');
      response.writeHead(notificationStatuses.shift() ?? 200).end();
    });
  });
  await new Promise<void>((resolve) => merchant.listen(0, '127.0.0.1', resolve));
  merchantUrl = `http://127.0.0.1:${(merchant.address() as AddressInfo).port}`;
});

after(async () => {
  await kit?.close();
  merchant?.closeAllConnections();
  await new Promise((resolve) => merchant?.close(resolve));
});

function sessionRequest(): CreateSessionRequestInput {
  const body = seedCreateSessionRequest() as { settings: { urls: Record<string, string> } };
  body.settings.urls['validate'] = `${merchantUrl}/validate`;
  body.settings.urls['notification'] = `${merchantUrl}/notification`;
  return body as unknown as CreateSessionRequestInput;
}

/** The rejection of `promise`, which must be a SandboxControlError. */
async function controlError(promise: Promise<unknown>): Promise<SandboxControlError> {
  const error = await promise.then(
    () => assert.fail('expected the call to reject'),
    (reason: unknown) => reason,
  );
  assert.ok(error instanceof SandboxControlError, `a SandboxControlError, got ${String(error)}`);
  return error;
}

describe('the handle', () => {
  test('clientOptions create and read a session with createLedyerClient; bootstrapUrl serves the script', async () => {
    assert.deepEqual(Object.keys(kit.clientOptions).sort(), ['baseUrls', 'clientId', 'clientSecret', 'environment']);
    assert.deepEqual(kit.clientOptions.baseUrls, { api: kit.url, auth: kit.url });
    const { sessionId, orderId } = await client.createSession(sessionRequest());
    assert.equal((await client.getSession(orderId)).id, sessionId);
    const script = await fetch(kit.bootstrapUrl);
    assert.equal(script.status, 200);
    assert.match(script.headers.get('content-type') ?? '', /javascript/);
  });

  test('the sandbox options pass through: a session lives sessionTtlMs', async () => {
    const shortLived = await startLedyerSandbox({ sessionTtlMs: 60_000 });
    try {
      const created = await createLedyerClient(shortLived.clientOptions).createSession(sessionRequest());
      const lifetime = Date.parse(created.expiresAt) - Date.now();
      assert.ok(lifetime > 0 && lifetime <= 60_000, `expires in ${lifetime} ms`);
    } finally {
      await shortLived.close();
    }
  });

  test('printing the handle shows its URL and never the client secret; nor does a control error', async () => {
    const printed = inspect(kit, { depth: 5 });
    assert.match(printed, new RegExp(kit.url.replace(/[.:/]/g, '\\$&')));
    assert.doesNotMatch(printed, new RegExp(kit.clientOptions.clientSecret));
    const error = await controlError(kit.complete('cs_unknown'));
    assert.doesNotMatch(`${error.message} ${inspect(error)}`, new RegExp(kit.clientOptions.clientSecret));
  });

  test('close() stops the sandbox, is idempotent, and calls after it reject as closed; Symbol.asyncDispose closes too', async () => {
    const own = await startLedyerSandbox();
    await own.close();
    await own.close();
    await assert.rejects(fetch(`${own.url}/bootstrap.js`), /fetch failed/);
    const error = await controlError(own.complete('cs_x'));
    assert.equal(error.code, 'closed');
    assert.match(error.message, /^sandbox\.complete\("cs_x"\): this sandbox handle is closed$/);

    const disposed = await startLedyerSandbox();
    await disposed[Symbol.asyncDispose]();
    await assert.rejects(fetch(`${disposed.url}/bootstrap.js`), /fetch failed/);
  });

  test('importing ledyer-checkout/testing starts nothing: the process ends by itself', () => {
    const result = spawnSync(
      process.execPath,
      ['--import', 'tsx', '--input-type=module', '-e', "await import('./src/testing/index.ts'); console.log(process.getActiveResourcesInfo().filter((kind) => !/^(TTY|Pipe)Wrap$/.test(kind)).join(',') || 'none');"],
      { cwd: root, encoding: 'utf8', timeout: 60_000 },
    );
    assert.equal(result.status, 0, result.stderr);
    assert.equal(result.stdout.trim(), 'none');
  });

  test('the element bundle takes nothing from src/testing, nor anything from Node', async () => {
    const bundle = await build({ entryPoints: [`${root}src/index.ts`], bundle: true, format: 'esm', write: false, metafile: true, logLevel: 'silent' });
    const inputs = Object.keys(bundle.metafile.inputs);
    assert.ok(inputs.some((input) => input.startsWith('src/element/')));
    assert.deepEqual(inputs.filter((input) => input.startsWith('src/testing/') || input.startsWith('src/sandbox/') || input.startsWith('node:')), []);
  });
});

describe('purchases with no page open: the sandbox buys server-side', () => {
  test('complete answers the order, drivenBy server; the order exists', async () => {
    const { sessionId } = await client.createSession(sessionRequest());
    const outcome = await kit.complete(sessionId, { paymentMethod: 'advanceInvoice' });
    assert.equal(outcome.kind, 'complete');
    assert.equal(outcome.drivenBy, 'server');
    assert.ok(outcome.kind === 'complete');
    const order = await client.getOrder(outcome.orderId);
    assert.equal(order.id, outcome.orderId);
    assert.equal((await client.getPaymentStatus(outcome.orderId)).paymentMethod?.type, 'advanceInvoice');
  });

  test('pending, then sign: the order exists only after the signatory signs', async () => {
    const { sessionId, orderId } = await client.createSession(sessionRequest());
    const outcome = await kit.pending(sessionId);
    assert.deepEqual(outcome, { kind: 'pending', orderId, drivenBy: 'server' });
    await assert.rejects(client.getOrder(orderId), (error: unknown) => error instanceof LedyerApiError && error.status === 404);
    assert.deepEqual(await kit.sign(sessionId), { kind: 'complete', orderId, drivenBy: 'server' });
    assert.equal((await client.getOrder(orderId)).id, orderId);
  });

  test('sign on a session that awaits no signatory rejects with the sandbox’s reason', async () => {
    const { sessionId } = await client.createSession(sessionRequest());
    const error = await controlError(kit.sign(sessionId));
    assert.equal(error.status, 409);
    assert.match(error.message, new RegExp(`^sandbox\\.sign\\("${sessionId}"\\): the sandbox answered 409 purchase_failed: This session is not awaiting a signatory\\.$`));
  });

  test('complete on an unknown session rejects naming it', async () => {
    const error = await controlError(kit.complete('cs_doesNotExist'));
    assert.equal(error.status, 404);
    assert.equal(error.sandboxCode, 'not_found');
    assert.equal(error.code, 'sandbox-refused');
    assert.match(error.message, /^sandbox\.complete\("cs_doesNotExist"\): the sandbox answered 404 not_found: no session with sessionId or orderId "cs_doesNotExist"$/);
  });

  test('an empty session id is refused before anything is sent', async () => {
    await assert.rejects(kit.complete(''), /sandbox\.complete\(""\): sessionId must be a non-empty string/);
    await assert.rejects(kit.expire(undefined as unknown as string), /sandbox\.expire\(undefined\): sessionId must be a non-empty string .*got undefined/);
  });

  test('a bad payment method is refused with the field and what it expects', async () => {
    const { sessionId } = await client.createSession(sessionRequest());
    const error = await controlError(kit.complete(sessionId, { paymentMethod: 'card' as 'invoice' }));
    assert.equal(error.status, 400);
    assert.match(error.message, /paymentMethod: expected "invoice" or "advanceInvoice"/);
  });

  test('expire: the session is expired, and buying it is refused', async () => {
    const { sessionId, orderId } = await client.createSession(sessionRequest());
    const expiry = await kit.expire(sessionId);
    assert.equal(expiry.orderId, orderId);
    assert.ok(Date.parse(expiry.expiresAt) <= Date.now());
    assert.equal((await client.getSession(orderId)).status, 'expired');
    const error = await controlError(kit.complete(orderId));
    assert.equal(error.status, 409);
    assert.match(error.message, /expired/);
  });

  test('reset forgets every session', async () => {
    const other = await startLedyerSandbox();
    try {
      const { sessionId } = await createLedyerClient(other.clientOptions).createSession(sessionRequest());
      await other.reset();
      assert.equal((await controlError(other.complete(sessionId))).status, 404);
    } finally {
      await other.close();
    }
  });
});

describe('faults', () => {
  test('armed: the client sees the status; listed with what remains; cleared: calls work again', async () => {
    const armed = await kit.fault({ path: '/v1/sessions', method: 'post', kind: 'status', status: 503, count: 2 });
    assert.deepEqual({ ...armed, id: 0 }, { id: 0, path: '/v1/sessions', method: 'POST', count: 2, kind: 'status', status: 503, remaining: 2 });
    await assert.rejects(client.createSession(sessionRequest()), (error: unknown) => error instanceof LedyerApiError && error.status === 503);
    assert.deepEqual((await kit.faults()).map((fault) => fault.remaining), [1]);
    await kit.clearFaults();
    assert.deepEqual(await kit.faults(), []);
    assert.ok((await client.createSession(sessionRequest())).sessionId);
  });

  test('a bad spec is refused naming the field', async () => {
    const error = await controlError(kit.fault({ path: '/v1/sessions', kind: 'status' }));
    assert.equal(error.status, 400);
    assert.match(error.message, /status: status is required for kind "status"/);
    const kind = await controlError(kit.fault({ path: 'v1/orders', kind: 'explode' as 'drop' }));
    assert.match(kind.message, /path: path must start with \//);
    assert.match(kind.message, /kind: kind must be "status", "delay", "drop" or "lose-answer"/);
    assert.deepEqual(await kit.faults(), []);
  });
});

describe('callbacks', () => {
  test('validations: the body sent and the merchant’s answer', async () => {
    const { sessionId, orderId } = await client.createSession(sessionRequest());
    await kit.complete(sessionId);
    const validations = await kit.validations({ orderId });
    assert.equal(validations.length, 1);
    const [validation] = validations;
    assert.equal(validation?.kind, 'validate');
    assert.equal(validation?.url, `${merchantUrl}/validate`);
    assert.equal(validation?.body.orderId, orderId);
    assert.equal(validation?.status, 200);
    assert.equal(validation?.responseBody, '{"reference":"PO-7"}');
    assert.equal((await client.getOrder(orderId)).merchantReference, 'PO-7');
  });

  test('notifications: each attempt with its status, retries after a 500, narrowed by eventType', async () => {
    notificationStatuses = [500, 503];
    const { sessionId, orderId } = await client.createSession(sessionRequest());
    await kit.complete(sessionId);
    const ready = await kit.waitForNotification({ orderId, eventType: 'com.ledyer.order.ready_for_capture', status: 200 });
    assert.equal(ready.body.orderId, orderId);
    const creates = await kit.notifications({ orderId, eventType: 'com.ledyer.order.create' });
    assert.deepEqual(creates.map((delivery) => [delivery.attempt, delivery.status]), [[1, 500], [2, 503], [3, 200]]);
    assert.ok(creates.every((delivery) => delivery.body.merchantId === creates[0]?.body.merchantId));
  });

  test('the session-level awaiting_signatory notification is found by sessionId', async () => {
    const { sessionId } = await client.createSession(sessionRequest());
    await kit.pending(sessionId);
    const awaiting = await kit.waitForNotification({ sessionId });
    assert.equal(awaiting.body.eventType, 'com.ledyer.checkout.session.awaiting_signatory');
    assert.equal(awaiting.body.orderId, undefined);
  });

  test('waitForNotification gives up at its timeout, listing what was sent', async () => {
    const { sessionId, orderId } = await client.createSession(sessionRequest());
    await kit.complete(sessionId);
    await kit.waitForNotification({ orderId, eventType: 'com.ledyer.order.ready_for_capture' });
    const error = await controlError(kit.waitForNotification({ orderId, eventType: 'com.ledyer.order.full_capture' }, { timeout: 200 }));
    assert.equal(error.code, 'timeout');
    assert.match(error.message, new RegExp(`^sandbox\\.waitForNotification\\(\\{"orderId":"${orderId}","eventType":"com\\.ledyer\\.order\\.full_capture"\\}\\): no matching notification within 200 ms \\(none was sent\\)$`));
    const any = await controlError(kit.waitForNotification({ orderId, status: 418 }, { timeout: 100 }));
    assert.match(any.message, /sent: com\.ledyer\.order\.create attempt 1 → 200, com\.ledyer\.order\.ready_for_capture attempt 1 → 200\)$/);
  });

  test('clearCallbacks empties the log', async () => {
    const other = await startLedyerSandbox();
    try {
      const otherClient = createLedyerClient(other.clientOptions);
      const { sessionId, orderId } = await otherClient.createSession(sessionRequest());
      await other.complete(sessionId);
      await other.waitForNotification({ orderId, eventType: 'com.ledyer.order.ready_for_capture' });
      await other.clearCallbacks();
      assert.deepEqual(await other.notifications(), []);
      assert.deepEqual(await other.validations(), []);
    } finally {
      await other.close();
    }
  });
});

describe('connectLedyerSandbox', () => {
  test('drives a sandbox that runs elsewhere, and close() leaves it running', async () => {
    const remote = await connectLedyerSandbox(`${kit.url}/anything`);
    assert.equal(remote.url, kit.url);
    assert.equal(remote.bootstrapUrl, kit.bootstrapUrl);
    const { sessionId } = await createLedyerClient(remote.clientOptions).createSession(sessionRequest());
    assert.equal((await remote.complete(sessionId)).kind, 'complete');
    await remote.close();
    assert.equal((await controlError(remote.faults())).code, 'closed');
    assert.deepEqual(await kit.faults(), [], 'the sandbox itself still answers');
  });

  test('rejects when nothing answers there, or something that is not the sandbox', async () => {
    const gone = await startLedyerSandbox();
    await gone.close();
    const unreachable = await controlError(connectLedyerSandbox(gone.url));
    assert.equal(unreachable.code, 'sandbox-unreachable');
    assert.match(unreachable.message, new RegExp(`^connectLedyerSandbox\\("${gone.url}"\\): no Ledyer sandbox answers there: the sandbox at ${gone.url} could not be reached: fetch failed \\(ECONNREFUSED\\)$`));

    const notSandbox = await controlError(connectLedyerSandbox(merchantUrl));
    assert.equal(notSandbox.code, 'unexpected-answer');
    assert.match(notSandbox.message, /no Ledyer sandbox answers there: .*is it a Ledyer sandbox\?/);

    await assert.rejects(connectLedyerSandbox('127.0.0.1:4010'), /connectLedyerSandbox: url must be an absolute URL such as http:\/\/127\.0\.0\.1:4010, got "127\.0\.0\.1:4010"/);
  });
});
