// Pure rules of the resident's booking screens: what a slot in the grid shows and whether a tap books it,
// the exact reason for a refusal from its error code, durations, and the desk QR's token. Unit-tested in
// tests/unit/bookings.spec.ts.
import { ApiError } from '@/api/client'
import type { Booking, Resource, Slot } from '@/api/bookings'
import { errorMessage } from '@/composables/apiErrors'
import { i18n } from '@/i18n'

const t = (key: string, values: Record<string, unknown> = {}) => i18n.global.t(key, values)
// In the language shown: a feature's messages are loaded only in that one.
const te = (key: string) => i18n.global.te(key)

/**
 * free: a tap books it; waitlist: full, a tap joins the waitlist; full: full and no waitlist;
 * mine: my household holds or waits in it; off: not bookable for another reason (`why` says which).
 */
export type SlotState = 'free' | 'waitlist' | 'full' | 'mine' | 'off'

export interface SlotLook {
  state: SlotState
  /** Tapping opens the confirm sheet. */
  tappable: boolean
  /** The short word under the time (a key of bookings.slot, with its values). */
  label: string
  values: Record<string, unknown>
}

const LIVE = ['pending', 'confirmed', 'waitlisted', 'checked_in']

export function slotLook(slot: Slot, resource: Pick<Resource, 'waitlist'>): SlotLook {
  if (slot.mine && LIVE.includes(slot.mine.status)) {
    return { state: 'mine', tappable: false, label: `mine.${slot.mine.status}`, values: { n: slot.mine.position ?? '' } }
  }
  const full = slot.free <= 0 || slot.why_not === 'slot_full'
  if (full && (slot.bookable || slot.why_not === 'slot_full' || slot.why_not === null)) {
    return resource.waitlist
      ? { state: 'waitlist', tappable: true, label: 'waitlist', values: { n: slot.waitlist } }
      : { state: 'full', tappable: false, label: 'full', values: {} }
  }
  if (slot.bookable && slot.free > 0) return { state: 'free', tappable: true, label: 'free', values: { n: slot.free } }
  return { state: 'off', tappable: false, label: `why.${slot.why_not ?? 'blocked'}`, values: {} }
}

/** "30 分钟", "2 小时", "1 天" — the largest whole unit. */
export function durationText(minutes: number): string {
  if (minutes >= 1440 && minutes % 1440 === 0) return t('bookings.days', { n: minutes / 1440 })
  if (minutes >= 60 && minutes % 60 === 0) return t('bookings.hours', { n: minutes / 60 })
  return t('bookings.minutes', { n: minutes })
}

type RuleFacts = Partial<Pick<Resource, 'eligibility' | 'min_notice_minutes' | 'advance_days' | 'max_seats_per_booking'>>

/**
 * Why the server said no, in the user's language, from the error code alone (the server's English
 * message is never shown): a booking rule gets the resource's own numbers, a quota what is used of it.
 */
export function bookingError(err: unknown, resource: RuleFacts = {}): string {
  if (!(err instanceof ApiError)) return errorMessage(err)
  if (err.code === 'validation_failed' && err.errors.dwelling_id) return t('bookings.errors.choose_home')
  if (!te(`bookings.errors.${err.code}`)) return errorMessage(err)
  const d = err.details ?? {}
  const values: Record<string, unknown> = {
    who: resource.eligibility ? t(`bookings.eligibility.${resource.eligibility}`) : t('bookings.eligibility.some'),
    notice: durationText(resource.min_notice_minutes ?? 0),
    days: resource.advance_days ?? '',
    max: resource.max_seats_per_booking ?? 1,
    quota: d.quota ?? '',
    used: d.used ?? '',
    penalty: d.penalty ?? 0,
  }
  let text = t(`bookings.errors.${err.code}`, values)
  if (err.code === 'not_eligible' && !resource.eligibility) text = t('bookings.errors.not_eligible_any')
  if (err.code === 'too_late' && resource.min_notice_minutes === undefined) text = t('bookings.errors.too_late_any')
  if (err.code === 'too_far_ahead' && resource.advance_days === undefined) text = t('bookings.errors.too_far_ahead_any')
  if (err.code.endsWith('_quota_exceeded') && Number(d.penalty) > 0) text += t('bookings.errors.penalty', values)
  if (err.code === 'slot_full' && d.waitlist === true) text += t('bookings.errors.slot_full_waitlist')
  return text
}

/** Codes after which the slots on screen are stale: reload them. */
export const REFRESH_AFTER = ['slot_full', 'blocked', 'past', 'too_late', 'blackout', 'already_booked', 'no_such_slot', 'resource_closed']

/** Whether my household may still cancel (the server says so; the clock may have passed the cut-off since). */
export function cancellable(b: Pick<Booking, 'can_cancel' | 'cancel_until' | 'status'>, now = new Date()): boolean {
  return b.can_cancel && ['pending', 'confirmed', 'waitlisted'].includes(b.status) && now < new Date(b.cancel_until)
}

/** Days from `from` ("YYYY-MM-DD"), `n` of them, as "YYYY-MM-DD". */
export function dayStrip(from: string, n: number): string[] {
  const start = new Date(`${from}T00:00:00Z`)
  return Array.from({ length: n }, (_, i) => new Date(start.getTime() + i * 86_400_000).toISOString().slice(0, 10))
}

/** The desk token in what was scanned or typed: our /bookings/scan URL (any origin) or the bare token. */
export function deskToken(text: string): string | null {
  const raw = text.trim()
  if (!raw) return null
  if (!/[/?=]/.test(raw) && /^[\w.-]{8,200}$/.test(raw)) return raw
  let url: URL
  try {
    url = new URL(raw, 'http://x.invalid')
  } catch {
    return null // neither our URL nor a token: the caller says "not a check-in code"
  }
  if (!/\/bookings\/scan\/?$/.test(url.pathname)) return null
  return url.searchParams.get('t')?.trim() || null
}
