// Pure rules of the volunteer screens: what a scanned text means, the QR URL, the rotating code's
// timer, what a volunteer may do with an activity, and dates for the forms. Unit-tested in
// tests/unit/volunteering.spec.ts.
import type { Activity, Attendance, Availability } from '@/api/volunteering'
import { formatDate } from '@/composables/format'

/** The QR code staff show: a URL the phone's own camera opens straight into the scan page. */
export function scanUrl(origin: string, token: string, cid?: number): string {
  const c = cid ? `&c=${cid}` : ''
  return `${origin}/volunteer/scan?t=${encodeURIComponent(token)}${c}`
}

const TOKEN = /^\d{1,10}\.[a-z]{1,3}\.\d{1,12}\.[0-9a-f]{6,64}$/i

/**
 * The check-in token in what was scanned or typed: our scan URL (from any origin — a phone may have
 * cached another address of the same server), or the bare token. null when it is neither.
 */
export function tokenFrom(text: string): { token: string; cid: number | null } | null {
  const raw = text.trim()
  if (!raw) return null
  if (TOKEN.test(raw)) return { token: raw, cid: null }
  let url: URL
  try {
    url = new URL(raw, 'http://x.invalid')
  } catch {
    return null // not a URL and not a token: the caller says "not a check-in code"
  }
  if (!/\/volunteer\/scan\/?$/.test(url.pathname)) return null
  const token = url.searchParams.get('t')?.trim() ?? ''
  const cid = Number(url.searchParams.get('c'))
  return token ? { token, cid: Number.isInteger(cid) && cid > 0 ? cid : null } : null
}

export interface CodeTimerOptions<T> {
  fetch: () => Promise<T>
  onCode: (code: T) => void
  onError?: (err: unknown) => void
  /** How often to fetch a fresh code; the server's window is 30 s and accepts the previous one. */
  every?: number
  /** After a failed fetch, try again this much sooner. */
  retry?: number
  timers?: { set: (fn: () => void, ms: number) => unknown; clear: (handle: unknown) => void }
}

/**
 * Fetches a code now and again every `every` ms until stopped; a failure retries after `retry` ms and
 * keeps the last code on screen (it stays valid for up to another window).
 */
export function codeTimer<T>(opts: CodeTimerOptions<T>) {
  const every = opts.every ?? 25_000
  const retry = opts.retry ?? 5_000
  const timers = opts.timers ?? { set: (fn, ms) => setTimeout(fn, ms), clear: (h) => clearTimeout(h as number) }
  let handle: unknown = null
  let running = false
  let generation = 0

  async function tick(): Promise<void> {
    const mine = generation
    let wait = every
    try {
      const code = await opts.fetch()
      if (running && mine === generation) opts.onCode(code)
    } catch (err) {
      wait = retry
      if (running && mine === generation) opts.onError?.(err)
    }
    if (running && mine === generation) handle = timers.set(() => void tick(), wait)
  }

  return {
    start(): Promise<void> {
      this.stop()
      running = true
      return tick()
    },
    stop(): void {
      running = false
      generation++
      if (handle !== null) timers.clear(handle)
      handle = null
    },
    get running(): boolean {
      return running
    },
  }
}

/** Places still free; never below zero. */
export const placesLeft = (a: Pick<Activity, 'places' | 'taken'>) => Math.max(0, a.places - a.taken)

export type SignupAction = 'signup' | 'waitlist' | 'cancel' | 'closed' | 'none'

/** What the big button on an activity does for me now. */
export function signupAction(
  a: Pick<Activity, 'status' | 'places' | 'taken' | 'signup_deadline' | 'cancel_cutoff' | 'my_signup' | 'ends_at'>,
  now = new Date(),
): SignupAction {
  if (a.status !== 'open') return 'none'
  const mine = a.my_signup && a.my_signup.status !== 'cancelled' ? a.my_signup : null
  if (mine) return now < new Date(a.cancel_cutoff) ? 'cancel' : 'none'
  if (now >= new Date(a.signup_deadline)) return 'closed'
  return placesLeft(a) > 0 ? 'signup' : 'waitlist'
}

/** The skills an activity asks for that I do not have. */
export function missingSkills(activity: Pick<Activity, 'skills'>, mySkillIds: number[]): string[] {
  return activity.skills.filter((s) => !mySkillIds.includes(s.id)).map((s) => s.name)
}

/** Hours as people say them: 2, 1.5, 0.25 — no trailing zeros. */
export function hoursText(hours: number): string {
  return String(Math.round(hours * 100) / 100)
}

export const minutesToHours = (minutes: number | null | undefined) => hoursText((minutes ?? 0) / 60)

/** Where my attendance stands, as a key under volunteering.att. */
export function attendanceState(a: Pick<Attendance, 'checked_in_at' | 'checked_out_at' | 'status'> | null): string {
  if (!a || !a.checked_in_at) return 'notIn'
  if (!a.checked_out_at) return 'in'
  return a.status // pending | approved | rejected
}

/** A calendar day as a date input holds it ("2026-11-30"), in the phone's time. */
export function dayInput(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0')
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`
}

/** A moment as a datetime-local input holds it, to the minute, in the phone's time. */
export function localInput(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0')
  return `${dayInput(date)}T${pad(date.getHours())}:${pad(date.getMinutes())}`
}

export const isoFromLocal = (local: string): string => (local ? new Date(local).toISOString() : '')

export type Period = 'thisYear' | 'lastYear' | 'last12' | 'custom'

/** The from/to days of a certificate period (custom keeps what was typed). */
export function periodRange(period: Period, today = new Date()): { from: string; to: string } | null {
  const y = today.getFullYear()
  if (period === 'thisYear') return { from: `${y}-01-01`, to: dayInput(today) }
  if (period === 'lastYear') return { from: `${y - 1}-01-01`, to: `${y - 1}-12-31` }
  if (period === 'last12') {
    const from = new Date(today)
    from.setFullYear(y - 1)
    from.setDate(from.getDate() + 1)
    return { from: dayInput(from), to: dayInput(today) }
  }
  return null
}

/** Availability grouped for the form: weekday / weekend rows of morning, afternoon, evening. */
export function availabilityRows(all: readonly Availability[]): { day: string; slots: Availability[] }[] {
  return ['weekday', 'weekend'].map((day) => ({ day, slots: all.filter((a) => a.startsWith(`${day}_`)) }))
}

/** The verification page a certificate's code opens. */
export const verifyUrl = (origin: string, code: string) => `${origin}/verify/${encodeURIComponent(code)}`

/** Minutes rounded as the server does (backend/volunteering/attendance.py): down, or nearest with halves up. */
export function roundMinutes(minutes: number, unit: number, rule: 'down' | 'nearest'): number {
  const m = Math.max(0, Math.floor(minutes))
  return (rule === 'down' ? Math.floor(m / unit) : Math.floor((m + Math.floor(unit / 2)) / unit)) * unit
}

/** "2026/12/03 09:00 – 11:00": the end's date only when it is another day. */
export function timeRange(starts: string, ends: string): string {
  const end = formatDate(ends)
  const day = formatDate(ends, false)
  const sameDay = formatDate(starts, false) === day && end.startsWith(day)
  return `${formatDate(starts)} – ${sameDay ? end.slice(day.length).replace(/^[,\s]+/, '') : end}`
}
