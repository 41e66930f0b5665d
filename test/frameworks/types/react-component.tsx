// Type-check fixture: `<LedyerCheckout>` from `ledyer-checkout/react`, as a React 19 app
// writes it. Every `@ts-expect-error` line must fail to compile (tsc reports an unused one).
import { createRef, useRef } from 'react';
import { LedyerCheckout, type LedyerCheckoutElement } from 'ledyer-checkout/react';
import type { LedyerErrorEvent, ValidationResult } from 'ledyer-checkout';

export function Checkout({ sessionId }: { sessionId: string }) {
  const checkout = useRef<LedyerCheckoutElement>(null);
  const updateCart = async (): Promise<void> => {
    await checkout.current?.withSuspended(() => fetch('/api/cart', { method: 'POST' }));
  };
  return (
    <LedyerCheckout
      ref={checkout}
      sessionId={sessionId}
      environment="production"
      bootstrapUrl="https://checkout.live.ledyer.com/bootstrap.js"
      buyButtonColor="#112233"
      noPadding
      validationTimeout={5000}
      validationTimeoutAction="proceed"
      loadTimeout={15000}
      validate={async ({ sessionId: id }, signal): Promise<ValidationResult> => (signal.aborted || id === '' ? { proceed: false, title: 'Stop', message: 'No' } : { proceed: true })}
      className="checkout"
      style={{ minHeight: 480 }}
      onLedyerLoad={(event) => event.scriptUrl.toUpperCase()}
      onLedyerReady={(event) => event.sessionId.toUpperCase()}
      onLedyerValidate={(event) => event.respondWith({ proceed: true })}
      onLedyerConfirmation={(event) => (event.status === 'pending' ? updateCart() : undefined)}
      onLedyerCustomerChange={(event) => event.sessionId}
      onLedyerBillingChange={(event) => event.sessionId}
      onLedyerShippingChange={(event) => event.sessionId}
      onLedyerError={(event) => (event.recoverable ? checkout.current?.reload() : event.code)}
      onLedyerStateChange={(event) => `${event.previous} → ${event.state}`}
    >
      <p slot="error">Please call us to order.</p>
    </LedyerCheckout>
  );
}

export const wrong = [
  // @ts-expect-error environment is 'sandbox' | 'production'
  <LedyerCheckout environment="live" />,
  // @ts-expect-error sessionId is a string
  <LedyerCheckout sessionId={42} />,
  // @ts-expect-error noPadding is a boolean
  <LedyerCheckout noPadding="yes" />,
  // @ts-expect-error validationTimeout is a number of milliseconds
  <LedyerCheckout validationTimeout="8s" />,
  // @ts-expect-error validationTimeoutAction is 'deny' | 'proceed'
  <LedyerCheckout validationTimeoutAction="allow" />,
  // @ts-expect-error onLedyerConfirmation gets a LedyerConfirmationEvent, not a LedyerErrorEvent
  <LedyerCheckout onLedyerConfirmation={(event: LedyerErrorEvent) => event.code} />,
  // @ts-expect-error a confirmation has no code
  <LedyerCheckout onLedyerConfirmation={(event) => event.code} />,
  // @ts-expect-error callbacks are on + the event name in PascalCase
  <LedyerCheckout onLedyerconfirmation={() => undefined} />,
  // @ts-expect-error validate answers a ValidationResult
  <LedyerCheckout validate={() => ({ ok: true })} />,
  // @ts-expect-error the ref is the <ledyer-checkout> element
  <LedyerCheckout ref={createRef<HTMLDivElement>()} />,
];
