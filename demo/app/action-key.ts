/**
 * One Idempotency-Key per action the user asked for. A form keeps its key while what it
 * would send stays the same, so a double submit or a retry after a network error is applied
 * once; a changed request, or the next form rendered after a success, gets a new key.
 */
export function keyPerAction(): (request: unknown) => string {
  let key: string | null = null;
  let sent = '';
  return (request) => {
    const text = JSON.stringify(request);
    if (key === null || text !== sent) {
      key = crypto.randomUUID();
      sent = text;
    }
    return key;
  };
}
