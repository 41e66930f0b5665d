/**
 * The cart: skus and quantities only. Prices shown beside it come from the catalogue the
 * server sent, for display; what the buyer pays is priced again on the server.
 */
import type { CartItem } from '../api-types.js';

const STORAGE_KEY = 'ledyer-demo-cart';

export class Cart extends EventTarget {
  private readonly quantities = new Map<string, number>();

  constructor(
    private readonly maxQuantity: number,
    knownSkus: ReadonlySet<string>,
  ) {
    super();
    // A cart saved by an older catalogue may name products that are gone: drop those.
    for (const item of readSaved()) {
      if (knownSkus.has(item.sku)) this.quantities.set(item.sku, this.clamp(item.quantity));
    }
  }

  get items(): CartItem[] {
    return [...this.quantities].map(([sku, quantity]) => ({ sku, quantity }));
  }

  get count(): number {
    let count = 0;
    for (const quantity of this.quantities.values()) count += quantity;
    return count;
  }

  quantity(sku: string): number {
    return this.quantities.get(sku) ?? 0;
  }

  add(sku: string, quantity = 1): void {
    this.set(sku, this.quantity(sku) + quantity);
  }

  /** 0 removes the line. */
  set(sku: string, quantity: number): void {
    const next = this.clamp(quantity);
    if (next === this.quantity(sku)) return;
    if (next === 0) this.quantities.delete(sku);
    else this.quantities.set(sku, next);
    this.changed();
  }

  clear(): void {
    if (this.quantities.size === 0) return;
    this.quantities.clear();
    this.changed();
  }

  private clamp(quantity: number): number {
    if (!Number.isFinite(quantity)) return 0;
    return Math.min(this.maxQuantity, Math.max(0, Math.trunc(quantity)));
  }

  private changed(): void {
    try {
      sessionStorage.setItem(STORAGE_KEY, JSON.stringify(this.items));
    } catch {
      // Storage can be full or disabled (private mode); the cart still works for this page.
    }
    this.dispatchEvent(new Event('change'));
  }
}

function readSaved(): CartItem[] {
  try {
    const parsed: unknown = JSON.parse(sessionStorage.getItem(STORAGE_KEY) ?? '[]');
    if (!Array.isArray(parsed)) return [];
    return parsed.filter(
      (item): item is CartItem =>
        typeof item === 'object' && item !== null && typeof item.sku === 'string' && typeof item.quantity === 'number',
    );
  } catch {
    return [];
  }
}
