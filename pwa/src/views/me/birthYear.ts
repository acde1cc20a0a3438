// The year of birth on the Me screen: services for seniors only check the resident's age by it. The
// server takes 1900 up to this year (Beijing time); empty clears it. Unit-tested in tests/unit/birthYear.spec.ts.
import { dayOf } from '@/composables/format'

export const FIRST_BIRTH_YEAR = 1900

/** This year where the community is (its time zone, Asia/Shanghai by default). */
export function thisYear(now: Date = new Date()): number {
  return Number(dayOf(now).slice(0, 4))
}

/** The year typed (full-width digits allowed), null when left empty, undefined when not a year in range. */
export function parseBirthYear(text: string, now: Date = new Date()): number | null | undefined {
  const digits = text.normalize('NFKC').trim()
  if (!digits) return null
  if (!/^[0-9]{4}$/.test(digits)) return undefined
  const year = Number(digits)
  return year >= FIRST_BIRTH_YEAR && year <= thisYear(now) ? year : undefined
}
