import { i18n } from '@/i18n'

/** A date in the community's time zone (Asia/Shanghai unless told), in the user's language. */
export function formatDate(iso: string | null | undefined, withTime = true, timeZone = 'Asia/Shanghai'): string {
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
