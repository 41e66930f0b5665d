/** Hydrates the server's document; StrictMode when the page asks for it. */
import { StrictMode } from 'react';
import { hydrateRoot } from 'react-dom/client';
import { Page, type PageProps } from './page.js';

export function hydratePage(): void {
  const props = JSON.parse(document.getElementById('page-props')!.textContent!) as PageProps;
  const page = <Page {...props} />;
  hydrateRoot(document, props.strict ? <StrictMode>{page}</StrictMode> : page, {
    // React reports a hydration mismatch here (and then renders the page again on the client).
    onRecoverableError: (error) => console.error(`recoverable: ${error instanceof Error ? error.message : String(error)}`),
  });
}
