/**
 * HTTP Basic credentials for the OAuth token request, without Node's `Buffer`, so the
 * server entry runs on any Fetch-API runtime. `btoa` takes only Latin-1 code units, and a
 * client id or secret may hold any character, so the text is encoded as UTF-8 bytes first
 * (what `Buffer.from(text).toString('base64')` did, and what RFC 7617's `charset="UTF-8"` means).
 */
export function basicCredentials(clientId: string, clientSecret: string): string {
  let binary = '';
  for (const byte of new TextEncoder().encode(`${clientId}:${clientSecret}`)) binary += String.fromCharCode(byte);
  return btoa(binary);
}
