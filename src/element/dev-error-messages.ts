/**
 * The long explanation of each `ledyer-error`, for development builds only. A production
 * build (`process.env.NODE_ENV === "production"`) carries the stable code and the value at
 * fault instead, `invalid-session-id: "cs 1"`, as React's production errors carry a code
 * (see `errorMessage` in ledyer-checkout.ts and the README's error codes); these texts then
 * compile away with this module, like the dev warnings (dev-warnings.ts explains the trick).
 */
import type { LedyerErrorCode } from './types.js';

export function devErrorMessage(code: LedyerErrorCode, detail: unknown): string {
  switch (code) {
    case 'invalid-session-id':
      return `session-id ${JSON.stringify(detail)} is not a Ledyer session id (the sessionId from create session: letters, digits and _.:- only).`;
    case 'invalid-environment':
      return `environment ${JSON.stringify(detail)} is not "sandbox" or "production".`;
    case 'invalid-bootstrap-url':
      return `bootstrap-url ${JSON.stringify(detail)} is not https, nor http on a loopback host (127.0.0.0/8, localhost, [::1]).`;
    case 'inside-shadow-root':
      return '<ledyer-checkout> is in a shadow root; Ledyer finds its container with document.getElementById, so put the element in the document\'s light DOM.';
    case 'another-checkout-active':
      return 'Another <ledyer-checkout> is active; Ledyer allows one per page. This one mounts when that one leaves.';
    case 'script-load-failed':
      return `Ledyer's script failed to load from ${String(detail)} (network, 404 or Content-Security-Policy; allow *.ledyer.com in script-src and frame-src).`;
    case 'load-timeout':
      return `No checkout iframe loaded within ${String(detail)} ms (load-timeout).`;
    case 'validation-failed':
      return `Client validation failed: ${String(detail)}.`;
  }
}
