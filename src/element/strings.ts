/**
 * The element's own texts (loading, errors, "Try again") in the page's language: Ledyer's
 * buyers are Swedish, Danish, Finnish and Norwegian businesses. Everything else the buyer
 * reads is Ledyer's iframe, which picks its own language.
 *
 * Stored as one `|`-joined string per language, in `KEYS` order: what every storefront
 * downloads, so no key names repeated per language.
 */
import type { LedyerErrorCode } from './types.js';

/**
 * Every text the element shows. The error keys are `ledyer-error` codes; a code without its
 * own text (a configuration error the buyer cannot fix) shows `error`. A merchant may add a
 * text for any other code with `setLedyerCheckoutStrings`.
 */
export interface LedyerCheckoutStrings extends Partial<Record<LedyerErrorCode, string>> {
  /** Announced while the checkout loads. */
  loading: string;
  /** The retry button after a recoverable error. */
  retry: string;
  /** Any error without a text of its own, e.g. a bad configuration. */
  error: string;
  'script-load-failed': string;
  'load-timeout': string;
  'another-checkout-active': string;
}

const KEYS = ['loading', 'retry', 'error', 'script-load-failed', 'load-timeout', 'another-checkout-active'] as const;

const BUILT_IN: Record<string, string> = {
  en: 'Loading checkout…|Try again|The checkout is not set up correctly.|The checkout could not be loaded.|The checkout is taking too long to load.|Another checkout is already open on this page.',
  sv: 'Laddar kassan…|Försök igen|Kassan är inte korrekt inställd.|Kassan kunde inte laddas.|Det tar för lång tid att ladda kassan.|En annan kassa är redan öppen på den här sidan.',
  da: 'Indlæser kassen…|Prøv igen|Kassen er ikke sat korrekt op.|Kassen kunne ikke indlæses.|Det tager for lang tid at indlæse kassen.|En anden kasse er allerede åben på denne side.',
  fi: 'Ladataan kassaa…|Yritä uudelleen|Kassaa ei ole määritetty oikein.|Kassaa ei voitu ladata.|Kassan lataaminen kestää liian kauan.|Toinen kassa on jo auki tällä sivulla.',
  no: 'Laster inn kassen…|Prøv igjen|Kassen er ikke satt opp riktig.|Kassen kunne ikke lastes inn.|Det tar for lang tid å laste inn kassen.|En annen kasse er allerede åpen på denne siden.',
};

const overrides: Record<string, Partial<LedyerCheckoutStrings>> = {};

const table = (lang: string): Partial<LedyerCheckoutStrings> => {
  const texts = BUILT_IN[lang]?.split('|');
  return texts ? Object.fromEntries(KEYS.map((key, index) => [key, texts[index]])) : {};
};

/**
 * Sets texts for a language (`sv`, `sv-SE`, or one the element has no texts for, e.g. `de`);
 * keys left out keep the built-in text, then the English one. Call it before the checkout
 * shows them: an element already showing a text keeps it until it renders again.
 */
export function setLedyerCheckoutStrings(lang: string, strings: Partial<LedyerCheckoutStrings>): void {
  const key = lang.toLowerCase();
  overrides[key] = { ...overrides[key], ...strings };
}

/**
 * The texts for a BCP 47 language tag: built-in English, then the base language's built-in
 * and merchant texts, then the merchant's for the exact tag. An unknown or empty tag is English.
 */
export function ledyerCheckoutStrings(lang: string): LedyerCheckoutStrings {
  const exact = lang.toLowerCase();
  const primary = exact.split('-')[0]!;
  // Norwegian's `nb` (Bokmål) and `nn` (Nynorsk) share the `no` texts.
  const shared = primary.replace(/^n[bn]$/, 'no');
  return { ...(table('en') as LedyerCheckoutStrings), ...table(shared), ...overrides[shared], ...overrides[primary], ...overrides[exact] };
}
