import { i18n } from '@/i18n'

let homeZone = 'Asia/Shanghai'

/** Dates show in the time zone of the user's community, wherever the phone is. */
export function setHomeTimeZone(zone: string | undefined): void {
  homeZone = zone || 'Asia/Shanghai'
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
