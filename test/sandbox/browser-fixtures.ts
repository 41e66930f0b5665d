/**
 * Fixtures for the sandbox browser-side suites: a fake CheckoutService with one session per
 * outcome the hosted page must show, so routes and page are tested without the API core.
 * Its live channel is the real one.
 */
import type { CheckoutCustomer, CheckoutLookup, CheckoutService, CheckoutView, PurchaseOutcome, PurchaseRequest } from '../../src/sandbox/checkout-service.js';
import { LiveCheckouts } from '../../src/sandbox/live-checkouts.js';

export const SESSION = {
  open: 'cs_open0000000000000000000000001',
  validation: 'cs_validate000000000000000000001',
  pending: 'cs_pending0000000000000000000001',
  declined: 'cs_declined000000000000000000001',
  declinedPlain: 'cs_declinedplain0000000000000001',
  redirect: 'cs_redirect000000000000000000001',
  complete: 'cs_complete000000000000000000001',
  tall: 'cs_tall00000000000000000000000001',
  hostile: 'cs_hostile000000000000000000001',
  expired: 'cs_expired000000000000000000001',
  unknown: 'cs_unknown000000000000000000001',
} as const;

export function customer(overrides: Partial<CheckoutCustomer> = {}): CheckoutCustomer {
  return {
    companyId: '559311-3714',
    companyName: 'Ledyer AB',
    email: 'buyer@example.com',
    firstName: 'Anna',
    lastName: 'Andersson',
    phone: '+46701234567',
    reference1: 'PO-1',
    reference2: '',
    billingAddress: { companyName: 'Ledyer AB', streetAddress: 'Sveavägen 49', postalCode: '11359', city: 'Stockholm', country: 'SE', careOf: '', attentionName: '' },
    shippingAddress: null,
    ...overrides,
  };
}

export function view(sessionId: string, overrides: Partial<CheckoutView> = {}): CheckoutView {
  return {
    sessionId,
    orderId: `or_${sessionId.slice(3)}`,
    locale: 'sv-SE',
    currency: 'SEK',
    customer: customer(),
    settings: { showNameFields: true, allowShippingAddress: true, showShippingAddressContact: true, requireClientValidation: false },
    orderLines: [
      { reference: 'SKU-1', description: 'Blue widget', quantity: 2, type: 'physical', unitPrice: 'SEK 500.00', totalAmount: 'SEK 1,000.00' },
      { reference: 'SHIP', description: 'Shipping', quantity: 1, type: 'shippingFee', unitPrice: 'SEK 100.00', totalAmount: 'SEK 100.00' },
    ],
    totalOrderAmount: 'SEK 1,100.00',
    totalOrderVatAmount: 'SEK 220.00',
    totalOrderAmountExclVat: 'SEK 880.00',
    termsUrl: 'https://example.com/terms',
    privacyUrl: null,
    status: 'open',
    version: 'v1',
    ...overrides,
  };
}

export interface FakeService extends CheckoutService {
  calls: Array<{ method: string; sessionId: string; body?: unknown }>;
  /** Where the redirect session sends the buyer. */
  redirectTo: string;
  /** The merchant updates the session: its view changes and gets a new version. */
  changeOrder(sessionId: string, change: Partial<CheckoutView>): void;
}

export function createFakeService(): FakeService {
  const views = new Map<string, CheckoutView>([
    [SESSION.open, view(SESSION.open)],
    [SESSION.validation, view(SESSION.validation, { settings: { showNameFields: false, allowShippingAddress: false, showShippingAddressContact: false, requireClientValidation: true } })],
    [SESSION.pending, view(SESSION.pending)],
    [SESSION.declined, view(SESSION.declined)],
    [SESSION.declinedPlain, view(SESSION.declinedPlain)],
    [SESSION.redirect, view(SESSION.redirect)],
    [SESSION.complete, view(SESSION.complete, { status: 'complete' })],
    [
      SESSION.tall,
      view(SESSION.tall, {
        orderLines: Array.from({ length: 40 }, (_, index) => ({
          reference: `SKU-${index}`,
          description: `Widget number ${index}`,
          quantity: 1,
          type: 'physical',
          unitPrice: 'SEK 10.00',
          totalAmount: 'SEK 10.00',
        })),
      }),
    ],
    [
      SESSION.hostile,
      view(SESSION.hostile, {
        customer: customer({ companyName: '"><script>window.pwned=1</script>', reference1: "<img src=x onerror=alert(1)>'" }),
        orderLines: [{ reference: 'X', description: '</script><b>bold</b>', quantity: 1, type: 'physical', unitPrice: 'SEK 1.00', totalAmount: 'SEK 1.00' }],
        termsUrl: 'javascript:alert(1)',
      }),
    ],
  ]);
  const service: FakeService = {
    calls: [],
    redirectTo: 'https://example.com/',
    live: new LiveCheckouts({ acknowledgeTimeoutMs: 1000, outcomeTimeoutMs: 5000 }),
    changeOrder(sessionId, change) {
      const found = views.get(sessionId);
      if (!found) throw new Error(`no fake session ${sessionId}`);
      Object.assign(found, change, { version: `v${Number(found.version.slice(1)) + 1}` });
    },
    lookup(sessionId: string): CheckoutLookup {
      service.calls.push({ method: 'lookup', sessionId });
      if (sessionId === SESSION.expired) return { ok: false, reason: 'expired-session', message: 'This checkout session has expired. Please return to the store and start again.' };
      const found = views.get(sessionId);
      if (!found) return { ok: false, reason: 'unknown-session', message: 'This checkout session does not exist.' };
      return { ok: true, view: structuredClone(found) };
    },
    updateCustomer(sessionId, patch) {
      service.calls.push({ method: 'updateCustomer', sessionId, body: patch });
      const found = views.get(sessionId);
      if (!found) return { ok: false, message: 'This checkout session does not exist.' };
      if (typeof patch.email === 'string' && !patch.email.includes('@')) return { ok: false, message: 'Invalid customer details: email' };
      const changed = new Set<'customer' | 'billing' | 'shipping'>();
      const next = { ...found.customer };
      for (const [key, value] of Object.entries(patch)) {
        const name = key as keyof CheckoutCustomer;
        if (JSON.stringify(next[name]) === JSON.stringify(value)) continue;
        Object.assign(next, { [name]: value });
        changed.add(name === 'billingAddress' ? 'billing' : name === 'shippingAddress' ? 'shipping' : 'customer');
      }
      // Like the core: a new organisation number brings the registered company's name and address.
      if (patch.companyId !== undefined && patch.billingAddress === undefined && patch.companyId !== found.customer.companyId) {
        if (patch.companyName === undefined) next.companyName = 'Sandbox Testbolag AB';
        next.billingAddress = { ...next.billingAddress, companyName: 'Sandbox Testbolag AB', streetAddress: 'Testgatan 1', postalCode: '11122' };
        changed.add('billing');
      }
      found.customer = next;
      return { ok: true, changed: [...changed] };
    },
    async purchase(sessionId: string, request: PurchaseRequest): Promise<PurchaseOutcome> {
      service.calls.push({ method: 'purchase', sessionId, body: request });
      const orderId = `or_${sessionId.slice(3)}`;
      const found = views.get(sessionId);
      if (found && found.version !== request.version) return { kind: 'session-changed', view: structuredClone(found) };
      switch (sessionId) {
        case SESSION.pending:
          return { kind: 'pending', orderId };
        case SESSION.declined:
          return { kind: 'declined', title: 'Credit limit reached', body: 'Your company has reached its credit limit with this store.' };
        case SESSION.declinedPlain:
          return { kind: 'declined', title: null, body: null };
        case SESSION.redirect:
          return { kind: 'redirect', location: service.redirectTo };
        default:
          return { kind: 'complete', orderId };
      }
    },
  };
  return service;
}

/**
 * A merchant's cart change on the seed session (create-order-session.txt): its coffee
 * machines at a new quantity, the shipping line kept, lines and the three totals, as
 * Ledyer's update session takes them.
 */
export function seedQuantityUpdate(quantity: number): Record<string, unknown> {
  const machines = quantity * 50000;
  return {
    orderLines: [
      { type: 'physical', reference: '111-222-333', description: 'Coffee Machine X200', quantity, unitPrice: 50000, unitDiscountAmount: 0, vat: 2500, totalAmount: machines, totalVatAmount: machines / 5 },
      { type: 'shippingFee', reference: '444-555-666', description: 'Shipping fee', quantity: 1, unitPrice: 10000, unitDiscountAmount: 0, vat: 2500, totalAmount: 10000, totalVatAmount: 2000 },
    ],
    totalOrderAmount: machines + 10000,
    totalOrderVatAmount: machines / 5 + 2000,
    totalOrderAmountExclVat: ((machines + 10000) * 4) / 5,
  };
}
