import { i18n } from '@/i18n'
import type { OpenState, Range } from '@/api/facilities'

const t = (key: string, values?: Record<string, unknown>) => i18n.global.t(key, values ?? {})

/** "08:30–12:00"; a range past midnight reads "22:00–次日02:00". */
export function formatRange([start, end]: Range): string {
  const overnight = end !== '24:00' && end <= start
  return `${start}–${overnight ? t('facilities.nextDay') : ''}${end}`
}

/** The day's ranges joined by `sep` (a comma in the user's language, or a line break for a column). */
export function formatRanges(ranges: Range[], sep = t('app.listSep')): string {
  if (!ranges.length) return t('facilities.closedAllDay')
  if (ranges.length === 1 && ranges[0][0] === '00:00' && ranges[0][1] === '24:00') return t('facilities.allDay')
  return ranges.map(formatRange).join(sep)
}

/** A moment the server gave in the community's own offset, as that community's wall clock reads it. */
export function formatMoment(iso: string, now = new Date()): string {
  const match = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2})/.exec(iso)
  const offset = /([+-])(\d{2}):(\d{2})$/.exec(iso)
  if (!match) return iso
  const minutes = offset ? (offset[1] === '-' ? -1 : 1) * (Number(offset[2]) * 60 + Number(offset[3])) : 0
  const today = new Date(now.getTime() + minutes * 60_000).toISOString().slice(0, 10)
  const tomorrow = new Date(now.getTime() + (minutes + 24 * 60) * 60_000).toISOString().slice(0, 10)
  const [, day, time] = match
  if (day === today) return t('facilities.todayAt', { time })
  if (day === tomorrow) return t('facilities.tomorrowAt', { time })
  return `${day.slice(5)} ${time}`
}

/** One line that says what matters now: "营业中，17:30 关门" or "已关门，明天 08:00 开门". */
export function stateLine(state: OpenState): string {
  if (state.status === 'unknown') return t('facilities.noHours')
  if (state.open_now) {
    return state.closes_at ? t('facilities.closesAt', { time: formatMoment(state.closes_at) }) : t('facilities.openAllDay')
  }
  return state.next_open_at ? t('facilities.opensAt', { time: formatMoment(state.next_open_at) }) : t('facilities.notSoon')
}

export function formatDistance(metres: number | null): string {
  if (metres === null) return ''
  return metres < 1000 ? t('facilities.metres', { n: metres }) : t('facilities.km', { n: (metres / 1000).toFixed(1) })
}

/** Digits and + only, for tel: links ("0755-2666 1234" → "075526661234"). */
export const telHref = (phone: string) => `tel:${phone.replace(/[^\d+]/g, '')}`
