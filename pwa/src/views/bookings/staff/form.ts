// The resource form and what it sends: minutes people think of in hours, blank quotas meaning no limit, where
// the resource is held, and the slots a schedule makes. Unit-tested in tests/unit/bookingsStaff.spec.ts.
import { DAYS } from '@/api/facilities'
import type { Day, Range } from '@/api/facilities'
import type { Blackout, Eligibility, Resource, ResourceInput, ResourceKind } from '@/api/bookingsStaff'

export type Place = 'facility' | 'home' | 'provider'
export type Errors = Record<string, string>
type T = (key: string, values?: Record<string, unknown>) => string

/** Numbers stay text as typed until checked; notice and cut-off are in hours, the rest in minutes. */
export interface ResourceForm {
  kind: ResourceKind
  name: string
  description: string
  place: Place
  facility: { id: number; name: string } | null
  providerServiceId: number | null
  schedule: Record<Day, Range[]>
  slotMinutes: string
  bufferMinutes: string
  seats: string
  maxSeats: string
  blackouts: Blackout[]
  advanceDays: string
  noticeHours: string
  cutoffHours: string
  weekQuota: string
  monthQuota: string
  needsApproval: boolean
  eligibility: Eligibility
  waitlist: boolean
  earlyMinutes: string
  noShowMinutes: string
  photos: string[]
}

const emptyWeek = () => Object.fromEntries(DAYS.map((d) => [d, [] as Range[]])) as Record<Day, Range[]>

export function emptyResource(): ResourceForm {
  const schedule = emptyWeek()
  for (const d of DAYS.slice(0, 5)) schedule[d] = [['09:00', '12:00'], ['14:00', '17:00']]
  return {
    kind: 'room',
    name: '',
    description: '',
    place: 'facility',
    facility: null,
    providerServiceId: null,
    schedule,
    slotMinutes: '60',
    bufferMinutes: '0',
    seats: '1',
    maxSeats: '1',
    blackouts: [],
    advanceDays: '14',
    noticeHours: '1',
    cutoffHours: '2',
    weekQuota: '',
    monthQuota: '',
    needsApproval: false,
    eligibility: 'residents',
    waitlist: true,
    earlyMinutes: '15',
    noShowMinutes: '15',
    photos: [],
  }
}

/** Hours as people write them: 2, 1.5, 0.25. */
const hoursText = (minutes: number) => String(Math.round((minutes / 60) * 100) / 100)
const optional = (n: number | null) => (n === null || n === undefined ? '' : String(n))

export function fromResource(r: Resource): ResourceForm {
  const schedule = emptyWeek()
  for (const d of DAYS) schedule[d] = (r.schedule[d] ?? []).map(([s, e]) => [s, e] as Range)
  return {
    kind: r.kind,
    name: r.name,
    description: r.description,
    place: r.provider_service_id ? 'provider' : r.at_home ? 'home' : 'facility',
    facility: r.facility ? { id: r.facility.id, name: r.facility.name } : null,
    providerServiceId: r.provider_service_id,
    schedule,
    slotMinutes: String(r.slot_minutes),
    bufferMinutes: String(r.buffer_minutes),
    seats: String(r.seats),
    maxSeats: String(r.max_seats_per_booking),
    blackouts: r.blackouts.map((b) => ({ start: b.start, end: b.end, note: b.note ?? '' })),
    advanceDays: String(r.advance_days),
    noticeHours: hoursText(r.min_notice_minutes),
    cutoffHours: hoursText(r.cancel_cutoff_minutes),
    weekQuota: optional(r.week_quota),
    monthQuota: optional(r.month_quota),
    needsApproval: r.needs_approval,
    eligibility: r.eligibility,
    waitlist: r.waitlist,
    earlyMinutes: String(r.checkin_early_minutes),
    noShowMinutes: String(r.no_show_minutes),
    photos: [...r.photos],
  }
}

const whole = (text: string) => Number(text.trim())
const quota = (text: string) => (text.trim() === '' ? null : whole(text))

export function toResourceInput(f: ResourceForm): ResourceInput {
  return {
    kind: f.kind,
    name: f.name.trim(),
    description: f.description.trim(),
    // A room is always held somewhere; "at home" and a provider's service are for services.
    facility_id: f.place === 'facility' || f.kind === 'room' ? (f.facility?.id ?? null) : null,
    at_home: f.kind === 'service' && f.place === 'home',
    provider_service_id: f.kind === 'service' && f.place === 'provider' ? f.providerServiceId : null,
    schedule: f.schedule,
    slot_minutes: whole(f.slotMinutes),
    buffer_minutes: whole(f.bufferMinutes || '0'),
    seats: whole(f.seats),
    max_seats_per_booking: whole(f.maxSeats),
    blackouts: f.blackouts.map((b) => ({ start: b.start, end: b.end || b.start, note: b.note.trim() })),
    advance_days: whole(f.advanceDays),
    min_notice_minutes: Math.round(Number(f.noticeHours || '0') * 60),
    cancel_cutoff_minutes: Math.round(Number(f.cutoffHours || '0') * 60),
    week_quota: quota(f.weekQuota),
    month_quota: quota(f.monthQuota),
    needs_approval: f.needsApproval,
    eligibility: f.eligibility,
    waitlist: f.waitlist,
    checkin_early_minutes: whole(f.earlyMinutes || '0'),
    no_show_minutes: whole(f.noShowMinutes || '0'),
    photos: f.photos,
  }
}

const minutesOf = (hhmm: string) => {
  if (hhmm === '24:00') return 1440
  const [h, m] = hhmm.split(':').map(Number)
  return h * 60 + m
}

const hhmm = (minutes: number) => `${String(Math.floor(minutes / 60) % 24).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`

/** The slot start times of one window: slots of `slot` minutes, `buffer` minutes apart, that end within it. */
export function slotStarts([start, end]: Range, slot: number, buffer = 0): string[] {
  if (!start || !end || !(slot > 0)) return []
  const from = minutesOf(start)
  let to = minutesOf(end)
  if (to <= from) to += 1440 // runs past midnight, as facility hours do
  const out: string[] = []
  for (let t = from; t + slot <= to; t += slot + Math.max(0, buffer)) out.push(hhmm(t))
  return out
}

/** How many slots a week of this schedule offers. */
export function slotsPerWeek(schedule: Record<Day, Range[]>, slot: number, buffer = 0): number {
  return DAYS.reduce((n, d) => n + schedule[d].reduce((m, r) => m + slotStarts(r, slot, buffer).length, 0), 0)
}

const WEEK = 7 * 1440

/**
 * Pairs of windows that share a minute, as the server refuses them: on one day, or a window past midnight and
 * the next day's (Sunday's running into Monday's). Each window is { d, i } of schedule[d][i].
 */
export function overlappingWindows(schedule: Record<Day, Range[]>): [{ d: Day; i: number }, { d: Day; i: number }][] {
  const spans = DAYS.flatMap((d, n) => schedule[d].flatMap(([start, end], i) => {
    if (!start || !end || start === end) return []
    const from = n * 1440 + minutesOf(start)
    const length = (minutesOf(end) - minutesOf(start) + 1440) % 1440 || 1440
    return [{ d, i, from, to: from + length }]
  }))
  const out: [{ d: Day; i: number }, { d: Day; i: number }][] = []
  spans.forEach((a, k) => spans.slice(k + 1).forEach((b) => {
    if ([-WEEK, 0, WEEK].some((shift) => a.from < b.to + shift && b.from + shift < a.to)) out.push([{ d: a.d, i: a.i }, { d: b.d, i: b.i }])
  }))
  return out
}

const WHOLE = /^\d+$/
const DECIMAL = /^\d+(\.\d+)?$/

/** What is wrong before sending, keyed as the server's 422 is ("schedule.mon.0", "blackouts.1.end"). */
export function validateResource(f: ResourceForm, t: T): Errors {
  const out: Errors = {}
  const put = (key: string, bad: boolean, message: string) => bad && !out[key] && (out[key] = message)
  const required = t('bookingsStaff.err.required')
  put('name', !f.name.trim(), required)
  put('facility_id', f.kind === 'room' && !f.facility, t('bookingsStaff.err.roomFacility'))
  put('facility_id', f.kind === 'service' && f.place === 'facility' && !f.facility, required)
  put('provider_service_id', f.kind === 'service' && f.place === 'provider' && !f.providerServiceId, required)
  const positive = (key: string, text: string, min = 1) => put(key, !WHOLE.test(text.trim()) || Number(text) < min, t('bookingsStaff.err.whole', { min }))
  positive('slot_minutes', f.slotMinutes, 5)
  positive('buffer_minutes', f.bufferMinutes || '0', 0)
  positive('seats', f.seats)
  positive('max_seats_per_booking', f.maxSeats)
  put('max_seats_per_booking', Number(f.maxSeats) > Number(f.seats), t('bookingsStaff.err.maxSeats'))
  positive('advance_days', f.advanceDays)
  put('min_notice_minutes', !DECIMAL.test(f.noticeHours.trim() || '0'), t('bookingsStaff.err.hours'))
  put('cancel_cutoff_minutes', !DECIMAL.test(f.cutoffHours.trim() || '0'), t('bookingsStaff.err.hours'))
  if (f.weekQuota.trim()) positive('week_quota', f.weekQuota, 0)
  if (f.monthQuota.trim()) positive('month_quota', f.monthQuota, 0)
  positive('checkin_early_minutes', f.earlyMinutes || '0', 0)
  positive('no_show_minutes', f.noShowMinutes || '0', 0)
  const slot = Number(f.slotMinutes)
  for (const d of DAYS) {
    f.schedule[d].forEach((r, i) => {
      put(`schedule.${d}.${i}`, !r[0] || !r[1] || r[0] === r[1], t('facilityStaff.err.times'))
      put(`schedule.${d}.${i}`, slot > 0 && !slotStarts(r, slot).length, t('bookingsStaff.err.shortWindow', { n: slot }))
    })
  }
  for (const [a, b] of overlappingWindows(f.schedule)) {
    const name = (w: { d: Day; i: number }) => `${t(`facilities.days.${w.d}`)} ${f.schedule[w.d][w.i].join('–')}`
    put(`schedule.${a.d}.${a.i}`, true, t('bookingsStaff.err.overlap', { other: name(b) }))
    put(`schedule.${b.d}.${b.i}`, true, t('bookingsStaff.err.overlap', { other: name(a) }))
  }
  put('schedule', !Object.keys(out).some((k) => k.startsWith('schedule.')) && slotsPerWeek(f.schedule, slot || 60) === 0, t('bookingsStaff.err.noSlots'))
  f.blackouts.forEach((b, n) => {
    put(`blackouts.${n}.start`, !b.start, required)
    put(`blackouts.${n}.end`, Boolean(b.end && b.start && b.end < b.start), t('facilityStaff.err.endDate'))
  })
  return out
}
