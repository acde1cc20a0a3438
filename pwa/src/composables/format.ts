import { i18n } from '@/i18n'

let homeZone = 'Asia/Shanghai'

/** Dates show in the time zone of the user's community, wherever the phone is. */
export function setHomeTimeZone(zone: string | undefined): void {
  homeZone = zone || 'Asia/Shanghai'
}

/** A calendar day ("2027-01-01") as people say it: "1月1日周五" / "Fri, January 1"; the year only when the
 * day is more than ten months away, so next January's holiday needs none. */
export function formatDay(day: string, today = new Date()): string {
  const date = new Date(`${day}T00:00:00Z`)
  if (Number.isNaN(date.getTime())) return day
  const far = Math.abs(date.getTime() - today.getTime()) > 300 * 86_400_000
  return new Intl.DateTimeFormat(i18n.global.locale.value, {
    timeZone: 'UTC',
    ...(far ? { year: 'numeric' } : {}),
    month: 'long',
    day: 'numeric',
    weekday: 'short',
  }).format(date)
}

/** A date in the community's time zone, in the user's language. */
export function formatDate(iso: string | null | undefined, withTime = true, timeZone = homeZone): string {
  if (!iso) return ''
  const date = new Date(iso)
  if (Number.isNaN(date.getTime())) return iso
  return new Intl.DateTimeFormat(i18n.global.locale.value, {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    ...(withTime ? { hour: '2-digit', minute: '2-digit', hour12: false } : {}),
  }).format(date)
}

/** The time of day ("09:30", 24-hour in every language) in the community's time zone. */
export function formatTime(iso: string, timeZone = homeZone): string {
  const date = new Date(iso)
  if (Number.isNaN(date.getTime())) return iso
  return new Intl.DateTimeFormat('en-GB', { timeZone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(date)
}

/** The calendar day ("2026-12-01") of a moment in the community's time zone. */
export function dayOf(iso: string | Date, timeZone = homeZone): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date(iso))
}
