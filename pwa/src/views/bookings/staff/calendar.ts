// Pure rules of the staff calendar: wall-clock times in the community's zone, the week grid (times down,
// days across), what a slot's cell says, and stepping days. Unit-tested in tests/unit/bookingsStaff.spec.ts.
import type { CalendarBooking, Slot, SlotDay } from '@/api/bookingsStaff'

/** "09:30": a moment as the community's clock reads it. */
export function clock(iso: string, timeZone = 'Asia/Shanghai'): string {
  return new Intl.DateTimeFormat('en-GB', { timeZone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(new Date(iso))
}

/** The calendar day ("2026-12-01") of a moment in the community's zone. */
export function dayOf(date: Date, timeZone = 'Asia/Shanghai'): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(date)
}

/** A day `n` days after `day` (negative: before). */
export function addDays(day: string, n: number): string {
  const d = new Date(`${day}T00:00:00Z`)
  d.setUTCDate(d.getUTCDate() + n)
  return d.toISOString().slice(0, 10)
}

/** The Monday of the week holding `day`: weeks run Monday to Sunday, as the quotas count them. */
export function mondayOf(day: string): string {
  const weekday = (new Date(`${day}T00:00:00Z`).getUTCDay() + 6) % 7
  return addDays(day, -weekday)
}

export interface WeekCell {
  date: string
  slot: Slot | null
}

export interface WeekGrid {
  days: { date: string; closed: boolean; note: string }[]
  rows: { time: string; cells: WeekCell[] }[]
}

/** Days across, each start time that occurs on any day down; a day without that slot gets an empty cell. */
export function weekGrid(days: SlotDay[], timeZone = 'Asia/Shanghai'): WeekGrid {
  const times = new Set<string>()
  const byDay = days.map((d) => new Map(d.slots.map((s) => [clock(s.starts_at, timeZone), s])))
  byDay.forEach((m) => m.forEach((_s, time) => times.add(time)))
  const rows = [...times].sort().map((time) => ({
    time,
    cells: days.map((d, i) => ({ date: d.date, slot: byDay[i].get(time) ?? null })),
  }))
  return { days: days.map(({ date, closed, note }) => ({ date, closed, note })), rows }
}

export type CellState = 'blocked' | 'full' | 'some' | 'free' | 'past'

/** How a slot reads at a glance: blocked, full, partly booked, free, or over. */
export function cellState(slot: Slot): CellState {
  if (slot.blocked) return 'blocked'
  if (slot.why_not === 'past') return 'past'
  if (slot.free <= 0) return 'full'
  return slot.taken > 0 ? 'some' : 'free'
}

const ACTIVE = ['pending', 'confirmed', 'checked_in', 'waitlisted']

/** The slot's bookings staff act on first (holding and waiting ones), then the rest, each in booking order. */
export function sortedBookings(list: CalendarBooking[] = []): CalendarBooking[] {
  const rank = (b: CalendarBooking) => (ACTIVE.includes(b.status) ? 0 : 1)
  return [...list].sort((a, b) => rank(a) - rank(b))
}

/** Whether staff can check a booking in now: confirmed, from `early` minutes before its slot to its end. */
export function canCheckIn(b: CalendarBooking, slot: Pick<Slot, 'starts_at' | 'ends_at'>, early: number, now = new Date()): boolean {
  const opens = new Date(slot.starts_at).getTime() - early * 60_000
  return b.status === 'confirmed' && now.getTime() >= opens && now <= new Date(slot.ends_at)
}

/** Whether staff can still cancel a booking. */
export const canCancel = (b: CalendarBooking) => ['pending', 'confirmed', 'waitlisted'].includes(b.status)

/** The first and last day of the month holding `day`. */
export function monthRange(day: string): { from: string; to: string } {
  const from = `${day.slice(0, 8)}01`
  const nextMonth = `${addDays(from, 31).slice(0, 8)}01`
  return { from, to: addDays(nextMonth, -1) }
}
