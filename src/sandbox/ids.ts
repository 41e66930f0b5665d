/**
 * Ledyer-style identifiers. The seed's ids (`or_24w4p5pJogDfyMevIEddZLqyXMG`) are a prefix and
 * 27 base62 characters: the shape of a KSUID (4 bytes of seconds + 16 random bytes), which
 * also sorts by creation time. Reproducing the shape keeps merchant code that stores or
 * validates ids honest against the sandbox.
 */
import { randomBytes, randomInt } from 'node:crypto';

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const KSUID_EPOCH_SECONDS = 1_400_000_000;
const KSUID_LENGTH = 27;

function ksuid(nowMs: number): string {
  const bytes = Buffer.alloc(20);
  bytes.writeUInt32BE(Math.max(0, Math.floor(nowMs / 1000) - KSUID_EPOCH_SECONDS), 0);
  randomBytes(16).copy(bytes, 4);
  let value = BigInt(`0x${bytes.toString('hex')}`);
  let text = '';
  while (value > 0n) {
    text = BASE62[Number(value % 62n)] + text;
    value /= 62n;
  }
  return text.padStart(KSUID_LENGTH, '0');
}

export type IdPrefix = 'or' | 'ol' | 'oe' | 'in' | 'ac' | 'cs';

/** `or_` order, `ol_` order line, `oe_` order event, `in_` ledger (invoice), `ac_` merchant account. */
export function newId(prefix: IdPrefix, nowMs = Date.now()): string {
  return `${prefix}_${ksuid(nowMs)}`;
}

/**
 * Session ids: Ledyer's format is not public (LEDYER.md), so the sandbox uses its own `cs_`
 * prefix with the same body; merchants must treat the session id as an opaque string.
 */
export const newSessionId = (nowMs = Date.now()): string => newId('cs', nowMs);

/** The short human-readable order reference the seed shows (`"DXXX5HYZ"`). */
export function newOrderReference(): string {
  const alphabet = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';
  let text = '';
  for (let index = 0; index < 8; index += 1) text += alphabet[randomInt(alphabet.length)];
  return text;
}

export const ID_BODY_LENGTH = KSUID_LENGTH;
