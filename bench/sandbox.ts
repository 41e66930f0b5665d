/**
 * The local Ledyer the benchmarks run against, plus the merchant's side of session creation
 * done with plain HTTP (not the server helper), so the browser figures do not depend on it.
 * Credentials stay in this process; pages only ever see a session id.
 */
import { startSandbox, type RunningSandbox } from '../src/sandbox/index.js';

export interface BenchSandbox {
  url: string;
  sandbox: RunningSandbox;
  /** A new session (the seed page's example order); `sessionId` is what the browser gets. */
  createSession(): Promise<{ sessionId: string; orderId: string }>;
  close(): Promise<void>;
}

/** The example body of Ledyer's create-session page, trimmed to what the sandbox needs. */
export function exampleSessionBody(): Record<string, unknown> {
  return {
    country: 'SE',
    currency: 'SEK',
    locale: 'sv-SE',
    customer: { companyId: '559311-3714', email: 'jane.doe@example.com', firstName: 'Jane', lastName: 'Doe', phone: '0700000000' },
    orderLines: [
      {
        type: 'physical', reference: '111-222-333', description: 'Coffee Machine X200',
        quantity: 10, unitPrice: 50000, unitDiscountAmount: 0, vat: 2500, totalAmount: 500000, totalVatAmount: 100000,
      },
      {
        type: 'shippingFee', reference: '444-555-666', description: 'Shipping fee',
        quantity: 1, unitPrice: 10000, unitDiscountAmount: 0, vat: 2500, totalAmount: 10000, totalVatAmount: 2000,
      },
    ],
    settings: { security: { level: 300, requireClientValidation: false }, urls: { terms: 'https://www.example.com/terms.html' } },
    totalOrderAmount: 510000,
    totalOrderAmountExclVat: 408000,
    totalOrderVatAmount: 102000,
  };
}

export async function startBenchSandbox(): Promise<BenchSandbox> {
  const sandbox = await startSandbox({ port: 0, host: '127.0.0.1' });
  const { clientId, clientSecret } = sandbox.credentials;
  let token: Promise<string> | undefined;
  const getToken = () =>
    (token ??= (async () => {
      const response = await fetch(`${sandbox.url}/oauth/token`, {
        method: 'POST',
        headers: {
          authorization: `Basic ${Buffer.from(`${clientId}:${clientSecret}`).toString('base64')}`,
          'content-type': 'application/x-www-form-urlencoded',
        },
        body: 'grant_type=client_credentials',
      });
      if (!response.ok) throw new Error(`sandbox token: ${response.status}`);
      return ((await response.json()) as { access_token: string }).access_token;
    })());
  return {
    url: sandbox.url,
    sandbox,
    async createSession() {
      const response = await fetch(`${sandbox.url}/v1/sessions`, {
        method: 'POST',
        headers: { authorization: `Bearer ${await getToken()}`, 'content-type': 'application/json' },
        body: JSON.stringify(exampleSessionBody()),
      });
      if (!response.ok) throw new Error(`sandbox create session: ${response.status} ${await response.text()}`);
      return (await response.json()) as { sessionId: string; orderId: string };
    },
    close: () => sandbox.close(),
  };
}

/** Whether the sandbox serves its browser side yet (bootstrap.js answers 501 without it). */
export async function browserSideMissing(url: string): Promise<string | null> {
  const response = await fetch(`${url}/bootstrap.js`).catch(() => null);
  if (!response) return 'sandbox unreachable';
  await response.arrayBuffer();
  return response.ok ? null : `sandbox bootstrap.js answers ${response.status} (browser side not there yet)`;
}
