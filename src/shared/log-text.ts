/**
 * Text from a request (an id, an event type, an error message) on its way into a log line.
 * Control characters would let a caller forge a second log line, and bidi overrides would
 * make a line read differently from what it says, so both are written as escapes. Pure.
 */

// C0 and C1 controls, DEL, and Unicode's bidirectional formatting characters.
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029]/g;

/** `text` with every character that could forge or disguise a log line escaped as `\uXXXX`. */
export function escapeForLog(text: string, maxLength = 500): string {
  const escaped = text.replace(UNSAFE, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`);
  return escaped.length > maxLength ? `${escaped.slice(0, maxLength)}…` : escaped;
}
