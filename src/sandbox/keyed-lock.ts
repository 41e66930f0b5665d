/**
 * Serializes asynchronous work per key (one order, one session). A handler that awaits in
 * the middle of a read-modify-write (a callback, a delay fault) must not interleave with
 * another one on the same order, or an edit could be lost.
 */
export class KeyedLock {
  private readonly tails = new Map<string, Promise<unknown>>();

  run<T>(key: string, work: () => T | Promise<T>): Promise<T> {
    const previous = this.tails.get(key) ?? Promise.resolve();
    const result = previous.then(work, work);
    const tail = result.catch(() => undefined);
    this.tails.set(key, tail);
    void tail.then(() => {
      // Forget the key once nothing else queued behind us, so the map does not grow forever.
      if (this.tails.get(key) === tail) this.tails.delete(key);
    });
    return result;
  }

  /** Whether work for `key` is running or queued (so its data must not be evicted under it). */
  isBusy(key: string): boolean {
    return this.tails.has(key);
  }
}
