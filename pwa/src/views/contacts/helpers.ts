import { POSITIONS } from '@/api/contacts'
import type { Contact, Position, Span } from '@/api/contacts'
import { i18n } from '@/i18n'

const t = (key: string, values: Record<string, unknown> = {}) => i18n.global.t(key, values)

export interface ContactGroup {
  key: 'on_duty' | Position
  items: Contact[]
}

/** Who is on duty now first, then everyone else by position; the server's order is kept within a group. */
export function groupContacts(contacts: Contact[]): ContactGroup[] {
  const onDuty = contacts.filter((c) => c.on_duty)
  const groups: ContactGroup[] = onDuty.length ? [{ key: 'on_duty', items: onDuty }] : []
  for (const position of POSITIONS) {
    const items = contacts.filter((c) => !c.on_duty && c.position === position)
    if (items.length) groups.push({ key: position, items })
  }
  return groups
}

/** The number to call: the work phone, else the mobile its owner chose to show. */
export const phoneOf = (c: Pick<Contact, 'work_phone' | 'mobile'>) => c.work_phone || c.mobile

/** "08:30–12:00、13:30–17:30", or a word for a day off. */
export function formatSpans(spans: Span[]): string {
  return spans.length ? spans.map((s) => `${s.start}–${s.end}`).join(t('contacts.sep')) : t('contacts.off')
}

/** The letter shown when there is no photo. */
export const initialOf = (name: string) => Array.from(name.trim())[0]?.toUpperCase() ?? '?'

/** Weekday (0 = Monday) of a "YYYY-MM-DD" date. */
export const weekdayOf = (date: string) => (new Date(`${date}T00:00:00Z`).getUTCDay() + 6) % 7

/** Today's weekday (0 = Monday) on the community's clock. */
export function weekdayNow(timeZone = 'Asia/Shanghai', now = new Date()): number {
  const name = new Intl.DateTimeFormat('en-US', { weekday: 'short', timeZone }).format(now)
  return ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'].indexOf(name)
}
