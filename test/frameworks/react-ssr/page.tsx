/**
 * A server-rendered React 19 storefront page, rendered whole (`<html>` down) on the server and
 * hydrated with `hydrateRoot(document, …)`, as Next's App Router does. `variant` picks the
 * checkout: `component` is `ledyer-checkout/react`; `bare` is `<ledyer-checkout>` written
 * straight into the JSX with its `session-id`, without the README's SSR measures.
 */
import { useEffect, useRef, useState } from 'react';
import { LedyerCheckout, type LedyerCheckoutElement } from '../../../src/react/index.js';

export interface PageProps {
  sessionId: string;
  bootstrapUrl: string;
  variant: 'component' | 'bare';
  strict: boolean;
}

/** What the page tells the test; only the client writes it. */
export interface PageProbe {
  checkout?: LedyerCheckoutElement | null;
  ready: string[];
  states: string[];
}

declare global {
  interface Window {
    __probe?: PageProbe;
  }
}

function probe(): PageProbe {
  return (window.__probe ??= { ready: [], states: [] });
}

function Shop({ sessionId: firstSession, bootstrapUrl, variant }: PageProps) {
  const [status, setStatus] = useState('open');
  const [sessionId, setSessionId] = useState(firstSession);
  // A cart the server had to replace (e.g. an expired session): the page gets a new session id.
  const replaceSession = async (): Promise<void> => {
    const response = await fetch('/api/session', { method: 'POST' });
    setSessionId(((await response.json()) as { sessionId: string }).sessionId);
  };
  const checkout = useRef<LedyerCheckoutElement>(null);
  useEffect(() => {
    probe().checkout = checkout.current;
  }, []);
  return (
    <main>
      <h1>Your order</h1>
      <p data-testid="status">{status}</p>
      <button type="button" onClick={() => void replaceSession()}>
        New session
      </button>
      {variant === 'bare' ? (
        <ledyer-checkout session-id={sessionId} bootstrap-url={bootstrapUrl} onledyer-confirmation={(event) => setStatus(`confirmed ${event.status}`)} />
      ) : (
        <LedyerCheckout
          ref={checkout}
          sessionId={sessionId}
          bootstrapUrl={bootstrapUrl}
          className="checkout"
          style={{ display: 'block', minHeight: 320 }}
          onLedyerReady={(event) => probe().ready.push(event.sessionId)}
          onLedyerStateChange={(event) => probe().states.push(event.state)}
          onLedyerConfirmation={(event) => setStatus(`confirmed ${event.status}`)}
        >
          <p slot="error">Please call us to order.</p>
        </LedyerCheckout>
      )}
    </main>
  );
}

export function Page(props: PageProps) {
  // `<` escaped: the JSON sits in a <script>.
  const json = JSON.stringify(props).replace(/</g, '\\u003c');
  return (
    <html lang="sv">
      <head>
        <meta charSet="utf-8" />
        <title>Checkout</title>
        <script type="module" src={props.variant === 'bare' ? '/bare.js' : '/client.js'} />
      </head>
      <body>
        <Shop {...props} />
        <script id="page-props" type="application/json" dangerouslySetInnerHTML={{ __html: json }} />
      </body>
    </html>
  );
}
