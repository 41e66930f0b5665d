// Type-check fixture: `<ledyer-checkout>` in Preact's JSX, typed by `ledyer-checkout/preact`.
// Every `@ts-expect-error` line must fail to compile (tsc reports an unused one).
import type {} from 'ledyer-checkout/preact';
import type { LedyerErrorEvent } from 'ledyer-checkout';

export function Checkout({ sessionId }: { sessionId: string }) {
  return (
    <ledyer-checkout
      session-id={sessionId}
      environment="production"
      no-padding
      validation-timeout={5000}
      validation-timeout-action="proceed"
      class="checkout"
      onledyer-confirmation={(event) => event.status.toUpperCase()}
      onledyer-error={(event) => event.code.toUpperCase()}
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
