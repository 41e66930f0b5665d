/**
 * One change at a time per checkout or order. Two admin clicks, or a cart change racing the
 * purchase-order save, must not interleave their read-then-write against Ledyer, or the
 * later answer could describe the earlier state. Keys are forgotten once idle.
 */
export function createKeyedLock(): <T>(key: string, work: () => Promise<T>) => Promise<T> {
  const tails = new Map<string, Promise<unknown>>();
  return (key, work) => {
    const previous = tails.get(key) ?? Promise.resolve();
    const result = previous.then(work, work);
    const tail = result.catch(() => undefined);
    tails.set(key, tail);
    void tail.then(() => {
      if (tails.get(key) === tail) tails.delete(key);
    });
    return result;
  };
}
