/**
 * Amounts as Ledyer's responses spell them (seed: edit-order.txt):
 * `{ amount: "5100.00", currency: "SEK", formatted: "5,100.00", formattedWithCurrency: "SEK 5,100.00", minorUnits: 510000 }`
 * and for a negative amount `"-500.00"`, `"-SEK 500.00"` (the sign goes before the currency).
 * Every currency Ledyer supports (SEK, NOK, DKK, EUR) has two decimals, so minor units are
 * always hundredths; integer arithmetic keeps the strings exact.
 */
export interface FormattedAmount {
  amount: string;
  currency: string;
  formatted: string;
  formattedWithCurrency: string;
  minorUnits: number;
}

export function formatAmount(minorUnits: number, currency: string): FormattedAmount {
  const sign = minorUnits < 0 ? '-' : '';
  const absolute = Math.abs(minorUnits);
  const major = String(Math.floor(absolute / 100));
  const fraction = String(absolute % 100).padStart(2, '0');
  const grouped = major.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return {
    amount: `${sign}${major}.${fraction}`,
    currency,
    formatted: `${sign}${grouped}.${fraction}`,
    formattedWithCurrency: `${sign}${currency} ${grouped}.${fraction}`,
    minorUnits,
  };
}
