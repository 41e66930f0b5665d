/**
 * Which Ledyer the demo talks to, from the environment: the local sandbox (nothing set), or
 * Ledyer's real sandbox / production (`LEDYER_CLIENT_ID` + `LEDYER_CLIENT_SECRET`, and
 * `LEDYER_ENV=sandbox|production`, default sandbox). Anything half-set is a one-line error:
 * a newcomer who typed one variable wrong must not silently end up somewhere else.
 */
export type DemoTarget =
  | { kind: 'local-sandbox' }
  | {
      kind: 'ledyer';
      environment: 'sandbox' | 'production';
      clientId: string;
      clientSecret: string;
      /**
       * Where Ledyer's servers can reach this shop (an https tunnel), for the validate and
       * notification callbacks; `LEDYER_DEMO_PUBLIC_URL`. Without it the shop asks for no callbacks.
       */
      publicUrl: string | null;
    };

/** A configuration mistake the user fixes by changing a variable; its message is the whole story. */
export class DemoConfigError extends Error {
  override readonly name = 'DemoConfigError';
}

const value = (env: NodeJS.ProcessEnv, name: string): string | undefined => {
  const raw = env[name]?.trim();
  return raw ? raw : undefined;
};

export function demoTargetFromEnv(env: NodeJS.ProcessEnv): DemoTarget {
  const clientId = value(env, 'LEDYER_CLIENT_ID');
  const clientSecret = value(env, 'LEDYER_CLIENT_SECRET');
  const environment = value(env, 'LEDYER_ENV');
  const publicUrl = value(env, 'LEDYER_DEMO_PUBLIC_URL');

  if (environment !== undefined && environment !== 'sandbox' && environment !== 'production') {
    throw new DemoConfigError(`LEDYER_ENV must be "sandbox" or "production", not ${JSON.stringify(environment)}.`);
  }
  if (!clientId && !clientSecret) {
    if (environment) {
      throw new DemoConfigError(
        `LEDYER_ENV=${environment} is set but LEDYER_CLIENT_ID and LEDYER_CLIENT_SECRET are not: set both to use Ledyer's ${environment}, or unset LEDYER_ENV to run on the local sandbox.`,
      );
    }
    return { kind: 'local-sandbox' };
  }
  if (!clientId || !clientSecret) {
    const missing = clientId ? 'LEDYER_CLIENT_SECRET' : 'LEDYER_CLIENT_ID';
    const present = clientId ? 'LEDYER_CLIENT_ID' : 'LEDYER_CLIENT_SECRET';
    throw new DemoConfigError(`${present} is set but ${missing} is not: set both to use Ledyer's real environment, or neither to run on the local sandbox.`);
  }
  if (publicUrl !== undefined) {
    let parsed: URL | undefined;
    try {
      parsed = new URL(publicUrl);
    } catch {
      parsed = undefined;
    }
    if (parsed?.protocol !== 'https:') throw new DemoConfigError(`LEDYER_DEMO_PUBLIC_URL must be an https URL Ledyer can reach, not ${JSON.stringify(publicUrl)}.`);
  }
  return { kind: 'ledyer', environment: environment ?? 'sandbox', clientId, clientSecret, publicUrl: publicUrl ?? null };
}

/** What the start line says; never includes a credential. */
export function describeTarget(target: DemoTarget, sandboxUrl: string | null): string {
  if (target.kind === 'local-sandbox') return `the local Ledyer sandbox at ${sandboxUrl ?? '(not started)'} (offline, no credentials)`;
  const where = target.environment === 'production' ? "Ledyer's PRODUCTION environment (real invoices)" : "Ledyer's real sandbox (api.sandbox.ledyer.com)";
  return `${where}, with the credentials from LEDYER_CLIENT_ID / LEDYER_CLIENT_SECRET`;
}
