// The consultation settings form and its API body: routes by topic (one contact each, or none), and the
// holiday and 调休 workday lists kept sorted and without repeats.
import { TOPICS } from '@/api/consult'
import type { ConsultSettings, Topic } from '@/api/consult'
import { weekdayOf } from '@/views/contacts/helpers'

export const MIN_DAYS = 1
export const MAX_DAYS = 30

export interface SettingsForm {
  promise_days: number
  routes: Record<Topic, number | null>
  holidays: string[]
  workdays: string[]
}

const noRoutes = () => Object.fromEntries(TOPICS.map((t) => [t, null])) as Record<Topic, number | null>

export function emptySettings(): SettingsForm {
  return { promise_days: 2, routes: noRoutes(), holidays: [], workdays: [] }
}

export function fromSettings(s: ConsultSettings): SettingsForm {
  const routes = noRoutes()
  for (const r of s.routes) if (r.topic in routes) routes[r.topic] = r.contact_id
  return { promise_days: s.promise_days, routes, holidays: sortedDates(s.holidays), workdays: sortedDates(s.workdays) }
}

export function toSettings(form: SettingsForm): ConsultSettings {
  return {
    promise_days: form.promise_days,
    routes: TOPICS.flatMap((topic) => (form.routes[topic] ? [{ topic, contact_id: form.routes[topic] as number }] : [])),
    holidays: sortedDates(form.holidays),
    workdays: sortedDates(form.workdays),
  }
}

const DATE = /^\d{4}-\d{2}-\d{2}$/

export function sortedDates(dates: string[]): string[] {
  return [...new Set(dates.filter((d) => DATE.test(d)))].sort()
}

/** A date added to a list (ignored when empty or already there). */
export const addDate = (dates: string[], date: string) => sortedDates([...dates, date])

export const isWeekend = (date: string) => weekdayOf(date) >= 5

/** Problems by field, as message keys: the promise in whole days 1–30, a 调休 workday on a weekend, no day both. */
export function validateSettings(form: SettingsForm): Record<string, string> {
  const errors: Record<string, string> = {}
  const days = form.promise_days
  if (!Number.isInteger(days) || days < MIN_DAYS || days > MAX_DAYS) errors.promise_days = 'consultStaff.err.days'
  if (form.workdays.some((d) => !isWeekend(d))) errors.workdays = 'consultStaff.err.workdayWeekend'
  if (form.workdays.some((d) => form.holidays.includes(d))) errors.workdays = 'consultStaff.err.bothLists'
  return errors
}

/** The server names a route by its place in the body ("routes.3.contact_id"): say it on that topic. */
export function placeServerErrors(errors: Record<string, string>, sent: ConsultSettings): Record<string, string> {
  const out: Record<string, string> = {}
  for (const [path, message] of Object.entries(errors)) {
    const route = /^routes\.(\d+)/.exec(path)
    const topic = route ? sent.routes[Number(route[1])]?.topic : undefined
    const key = topic ? `routes.${topic}` : path.split('.')[0]
    out[key] = out[key] ? `${out[key]}；${message}` : message
  }
  return out
}
