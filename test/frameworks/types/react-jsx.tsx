// Type-check fixture: the bare `<ledyer-checkout>` in TSX, typed by `ledyer-checkout/react`
// (React 19 sets attributes and adds `onledyer-*` listeners on custom elements).
import type {} from 'ledyer-checkout/react';
import type { LedyerErrorEvent } from 'ledyer-checkout';

export function Checkout({ sessionId }: { sessionId: string }) {
  return (
    <ledyer-checkout
      session-id={sessionId}
      environment="sandbox"
      bootstrap-url="https://checkout.sandbox.ledyer.com/bootstrap.js"
      buy-button-color="#112233"
      no-padding
      validation-timeout={5000}
      validation-timeout-action="deny"
      load-timeout={15000}
      validate={() => ({ proceed: true })}
      className="checkout"
      onledyer-confirmation={(event) => event.status.toUpperCase()}
      onledyer-error={(event) => event.code.toUpperCase()}
      onledyer-state-change={(event) => event.previous}
      onledyer-validate={(event) => event.respondWith({ proceed: false, message: 'Out of stock' })}
    />
  );
}

export const wrong = [
  // @ts-expect-error environment is 'sandbox' | 'production'
  <ledyer-checkout environment="live" />,
  // @ts-expect-error session-id is a string
  <ledyer-checkout session-id={42} />,
  // @ts-expect-error validation-timeout is a number
  <ledyer-checkout validation-timeout="soon" />,
  // @ts-expect-error onledyer-confirmation gets a LedyerConfirmationEvent
  <ledyer-checkout onledyer-confirmation={(event: LedyerErrorEvent) => event.code} />,
  // @ts-expect-error a state change has no status
  <ledyer-checkout onledyer-state-change={(event) => event.status} />,
];
