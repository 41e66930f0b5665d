/**
 * The sandbox's company register: the organisation numbers a tester types into the hosted
 * page, and what each one does. Ledyer looks a company up from its organisation number and
 * waits for a signatory when the buyer may not sign for it; when that happens is not public
 * (LEDYER.md), so the sandbox keeps it to one well-known test number.
 */

export interface SandboxTestCompany {
  /** Absent on `other`: it stands for every number the register does not know. */
  companyId?: string;
  companyName: string;
  streetAddress: string;
  postalCode: string;
  city: string;
  /** A purchase for this company ends `pending` until `/sandbox/sessions/{id}/sign`. */
  awaitsSignatory: boolean;
}

export const SANDBOX_TEST_COMPANIES = Object.freeze({
  /** The company both seed pages use; its buyer can sign. */
  canSign: Object.freeze({
    companyId: '559311-3714',
    companyName: 'Ledyer AB',
    streetAddress: 'Sveavägen 49',
    postalCode: '11359',
    city: 'Stockholm',
    awaitsSignatory: false,
  }),
  /** Its purchases wait for a signatory: the page ends pending, `ledyerCheckoutOrderPending` fires. */
  awaitsSignatory: Object.freeze({
    companyId: '556000-0006',
    companyName: 'Signatory Required AB',
    streetAddress: 'Väntegatan 6',
    postalCode: '11160',
    city: 'Stockholm',
    awaitsSignatory: true,
  }),
  /** Every other organisation number: a test company whose buyer can sign. */
  other: Object.freeze({
    companyName: 'Sandbox Testbolag AB',
    streetAddress: 'Testgatan 1',
    postalCode: '11122',
    city: 'Stockholm',
    awaitsSignatory: false,
  }),
} satisfies Record<string, SandboxTestCompany>);

/** Buyers type organisation numbers with or without the dash; only the digits count. */
function digits(companyId: string): string {
  return companyId.replace(/\D/g, '');
}

/** The register entry for an organisation number (`other` for any number it does not know), or null for none. */
export function findTestCompany(companyId: string): SandboxTestCompany | null {
  if (companyId.trim() === '') return null;
  const wanted = digits(companyId);
  const known = [SANDBOX_TEST_COMPANIES.canSign, SANDBOX_TEST_COMPANIES.awaitsSignatory].find((company) => wanted !== '' && digits(company.companyId) === wanted);
  return known ?? SANDBOX_TEST_COMPANIES.other;
}

export function awaitsSignatory(companyId: string): boolean {
  return findTestCompany(companyId)?.awaitsSignatory ?? false;
}
