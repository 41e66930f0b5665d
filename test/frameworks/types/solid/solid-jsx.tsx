// Type-check fixture: `<ledyer-checkout>` in Solid's JSX, typed by `ledyer-checkout/solid`.
// Every `@ts-expect-error` line must fail to compile (tsc reports an unused one).
import type {} from 'ledyer-checkout/solid';
import type { LedyerCheckout, LedyerErrorEvent, ValidationResult } from 'ledyer-checkout';

const approve = async (): Promise<ValidationResult> => ({ proceed: true });

export function Checkout(props: { sessionId: string }) {
  let checkout: LedyerCheckout | undefined;
  return (
    <ledyer-checkout
      ref={checkout}
      session-id={props.sessionId}
      environment="production"
      no-padding
      validation-timeout={5000}
      validation-timeout-action="proceed"
      class="checkout"
      prop:validate={approve}
      on:ledyer-confirmation={(event) => event.status.toUpperCase()}
      on:ledyer-error={(event) => console.warn(event.code, event.currentTarget.sessionId)}
      on:ledyer-state-change={{ once: true, handleEvent: (event) => event.state }}
    />
  );
}

export const alsoAsProperties = <ledyer-checkout prop:sessionId="cs_1" prop:loadTimeout={10_000} validate={approve} />;

export const wrong = [
  // @ts-expect-error environment is 'sandbox' | 'production'
  <ledyer-checkout environment="live" />,
  // @ts-expect-error session-id is a string
  <ledyer-checkout session-id={42} />,
  // @ts-expect-error validation-timeout is a number
  <ledyer-checkout validation-timeout="soon" />,
  // @ts-expect-error on:ledyer-confirmation gets a LedyerConfirmationEvent
  <ledyer-checkout on:ledyer-confirmation={(event: LedyerErrorEvent) => event.code} />,
  // @ts-expect-error a state change has no status
  <ledyer-checkout on:ledyer-state-change={(event) => event.status} />,
  // @ts-expect-error prop:validate returns a promise of a ValidationResult
  <ledyer-checkout prop:validate={() => 'yes'} />,
  // @ts-expect-error on a <div> the handler is untyped: the events are declared on this element only
  <div on:ledyer-confirmation={(event) => event.status} />,
];
