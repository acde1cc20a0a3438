import { ApiError } from '@/api/client'
import type { CatalogItem } from '@/api/points'

/** The most one redemption may take (the server says 1..10). */
export const MAX_QUANTITY = 10

/** A fresh Idempotency-Key. crypto.randomUUID exists only in secure contexts (not plain-http LAN addresses). */
export function newKey(cryptoImpl: Pick<Crypto, 'getRandomValues'> & { randomUUID?: () => string } = globalThis.crypto): string {
  if (typeof cryptoImpl.randomUUID === 'function') return cryptoImpl.randomUUID()
  const bytes = cryptoImpl.getRandomValues(new Uint8Array(16))
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('')
}

/** Whether the server may have done it even though we heard no answer: then a retry must reuse the key. */
export function outcomeUnknown(err: unknown): boolean {
  return err instanceof ApiError && (err.code === 'network_error' || err.status >= 500)
}

/**
 * One key per attempt at a write that moves points. A retry of the same request after a network error
 * reuses the key (so the server does it at most once); success, a definite refusal, or a different
 * request (another quantity) starts afresh.
 */
export function keyKeeper(make: () => string = newKey) {
  let key: string | null = null
  let forRequest = ''
  return {
    keyFor(request: string): string {
      if (!key || request !== forRequest) {
        key = make()
        forRequest = request
      }
      return key
    },
    /** After an answer: keep the key only when the outcome is unknown. */
    settle(err?: unknown): void {
      if (!err || !outcomeUnknown(err)) key = null
    },
    get pending(): string | null {
      return key
    },
  }
}

export const balanceAfter = (balance: number, cost: number, quantity: number) => balance - cost * quantity

/** How many of this item are left for me this month (null: no limit). */
export function monthLeft(item: Pick<CatalogItem, 'monthly_limit' | 'my_month_count'>): number | null {
  return item.monthly_limit === null ? null : Math.max(0, item.monthly_limit - item.my_month_count)
}

/** The most I can take now: stock, my monthly allowance, my points and the per-redemption cap. */
export function maxQuantity(item: Pick<CatalogItem, 'stock' | 'monthly_limit' | 'my_month_count' | 'points_cost'>, balance: number): number {
  const limits = [MAX_QUANTITY, Math.floor(balance / item.points_cost)]
  if (item.stock !== null) limits.push(item.stock)
  const left = monthLeft(item)
  if (left !== null) limits.push(left)
  return Math.max(0, Math.min(...limits))
}

/** Why this item cannot be redeemed now (an i18n key under market.), or null. */
export function blockedReason(item: Pick<CatalogItem, 'stock' | 'monthly_limit' | 'my_month_count' | 'points_cost'>, balance: number): string | null {
  if (item.stock !== null && item.stock <= 0) return 'soldOut'
  if (monthLeft(item) === 0) return 'limitReached'
  if (balance < item.points_cost) return 'notEnough'
  return null
}

/** "+20" / "−5": a signed amount as residents read it. */
export const signed = (n: number) => (n > 0 ? `+${n}` : n < 0 ? `−${Math.abs(n)}` : '0')

/** Pickup codes are 8 digits; people type them with spaces or read them off a QR code's URL. */
export function cleanCode(text: string): string {
  const fromUrl = /[?&]code=(\d{8})/.exec(text)
  return fromUrl ? fromUrl[1] : text.replace(/\D/g, '')
}

/** 1234 5678: easier to read out at the counter. */
export const spacedCode = (code: string) => code.replace(/^(\d{4})(\d{4})$/, '$1 $2')
