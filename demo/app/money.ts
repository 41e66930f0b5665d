/**
 * Display formatting only. The browser never computes an amount it sends anywhere: the
 * server prices every session and edit from its catalogue. Seed style: "5,100.00".
 */
const number = new Intl.NumberFormat('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });

export function formatMinor(minorUnits: number): string {
  return number.format(minorUnits / 100);
}

export function formatMoney(minorUnits: number, currency: string): string {
  return `${currency} ${formatMinor(minorUnits)}`;
}

export function formatVat(basisPoints: number): string {
  return `${basisPoints / 100} %`;
}
