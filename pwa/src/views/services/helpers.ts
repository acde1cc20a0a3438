// Pure rules of the convenience-service screens: prices as people say them, which rating is my household's
// this month, and the refusal codes of ratings. Unit-tested in tests/unit/bookings.spec.ts.
import { ApiError } from '@/api/client'
import type { Rating } from '@/api/providers'
import type { ProviderServiceItem } from '@/api/providersStaff'
import { errorMessage } from '@/composables/apiErrors'
import { dayOf } from '@/composables/format'
import { i18n } from '@/i18n'

const t = (key: string, values: Record<string, unknown> = {}) => i18n.global.t(key, values)
// In the language shown: a feature's messages are loaded only in that one.
const te = (key: string) => i18n.global.te(key)

/** "30", "12.5" — yuan without trailing zeros; null when not given. */
export function yuan(value: string | number | null | undefined): string | null {
  if (value === null || value === undefined || value === '') return null
  const n = Number(value)
  return Number.isFinite(n) ? String(Math.round(n * 100) / 100) : null
}

/** "30–80 元/次", "50 元起", "价格面议". */
export function priceText(s: Pick<ProviderServiceItem, 'price_from' | 'price_to' | 'unit'>): string {
  const from = yuan(s.price_from)
  const to = yuan(s.price_to)
  let price: string
  if (from === null && to === null) return t('services.priceAsk')
  if (from !== null && to !== null) price = from === to ? t('services.priceOne', { from }) : t('services.price', { from, to })
  else if (from !== null) price = t('services.priceFrom', { from })
  else price = t('services.priceUpTo', { to })
  return s.unit ? t('services.perUnit', { price, unit: s.unit }) : price
}

/** The cheapest price of a provider's services, for its card ("30 元起"); '' when none is given. */
export function lowestPrice(services: Pick<ProviderServiceItem, 'price_from' | 'price_to'>[]): string {
  const prices = services.map((s) => yuan(s.price_from) ?? yuan(s.price_to)).filter((p): p is string => p !== null)
  if (!prices.length) return ''
  return t('services.priceFrom', { from: String(Math.min(...prices.map(Number))) })
}

/** My household's rating of this month in a list, if there is one (the server marks it, or it is mine by author or home). */
export function myRatingThisMonth(
  ratings: (Rating & { mine?: boolean })[],
  me: { userId: number; dwellingIds: number[] },
  month: string,
): Rating | null {
  return (
    ratings.find(
      (r) => (r.month ?? dayOf(r.created_at).slice(0, 7)) === month && (r.mine || r.user?.id === me.userId || (r.dwelling && me.dwellingIds.includes(r.dwelling.id))),
    ) ?? null
  )
}

/** Why a rating was refused, in the user's language. */
export function ratingError(err: unknown): string {
  if (err instanceof ApiError && te(`services.errors.${err.code}`)) return t(`services.errors.${err.code}`)
  return errorMessage(err)
}
