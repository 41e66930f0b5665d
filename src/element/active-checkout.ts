/**
 * Ledyer's bootstrap contract is page-global (one script, events on `document`, one
 * `window.ledyer.api`), so only one element may own it at a time. Others wait and are told
 * when it is free.
 */

export interface CheckoutClaimant {
  /** Called (in a microtask) when the page is free again; the claimant may try to claim. */
  pageReleased(): void;
}

let owner: CheckoutClaimant | null = null;
const waiting = new Set<CheckoutClaimant>();

export function claimPage(claimant: CheckoutClaimant): boolean {
  if (owner !== null && owner !== claimant) {
    waiting.add(claimant);
    return false;
  }
  owner = claimant;
  waiting.delete(claimant);
  return true;
}

/** For an element that leaves the page: it no longer wants to be told. */
export function stopWaiting(claimant: CheckoutClaimant): void {
  waiting.delete(claimant);
}

export function releasePage(claimant: CheckoutClaimant): void {
  if (owner !== claimant) return;
  owner = null;
  // A microtask, so an element that re-connects in the same task (a framework re-mount)
  // reclaims the page before the waiting ones are told.
  queueMicrotask(() => {
    for (const next of [...waiting]) {
      if (owner !== null) return;
      next.pageReleased();
    }
  });
}
