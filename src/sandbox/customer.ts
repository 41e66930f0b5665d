/**
 * The buyer's details in a session. Ledyer looks the company up from its organisation number;
 * the sandbox has a tiny stand-in register so the hosted page and the order show an address.
 */
import type { CreateSessionRequest } from '../server/schemas.js';
import type { CheckoutAddress, CheckoutCustomer } from './checkout-service.js';
import { findTestCompany } from './test-companies.js';

export function lookupCompany(companyId: string, country: string): CheckoutAddress {
  // The register is SANDBOX_TEST_COMPANIES (test-companies.ts).
  const company = findTestCompany(companyId);
  return {
    companyName: company?.companyName ?? '',
    streetAddress: company?.streetAddress ?? '',
    postalCode: company?.postalCode ?? '',
    city: company?.city ?? '',
    country,
    careOf: '',
    attentionName: '',
  };
}

export function customerFromRequest(request: CreateSessionRequest, previous?: CheckoutCustomer): CheckoutCustomer {
  const given = request.customer ?? {};
  const companyId = given.companyId ?? previous?.companyId ?? '';
  const billingAddress =
    previous && previous.companyId === companyId && previous.billingAddress.companyName ? previous.billingAddress : lookupCompany(companyId, request.country);
  return {
    companyId,
    companyName: billingAddress.companyName,
    email: given.email ?? previous?.email ?? '',
    firstName: given.firstName ?? previous?.firstName ?? '',
    lastName: given.lastName ?? previous?.lastName ?? '',
    phone: given.phone ?? previous?.phone ?? '',
    reference1: given.reference1 ?? previous?.reference1 ?? '',
    reference2: given.reference2 ?? previous?.reference2 ?? '',
    billingAddress,
    shippingAddress: previous?.shippingAddress ?? null,
  };
}
