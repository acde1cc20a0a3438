import type { Roster, Span } from '@/api/contacts'
import { i18n } from '@/i18n'
import { localDate } from '@/views/facilities/staff/form'
import type { Errors } from './form'

export const MAX_SPANS = 4
const TIME_RE = /^([01]\d|2[0-3]):[0-5]\d$/
const DATE_RE = /^\d{4}-\d{2}-\d{2}$/

const t = (key: string, values: Record<string, unknown> = {}) => i18n.global.t(key, values)

export interface ExceptionForm {
  date: string
  off: boolean
  spans: Span[]
  note: string
}

/** The roster as edited: spans per weekday (0 = Monday), and one entry per dated exception. */
export interface RosterForm {
  week: Span[][]
  exceptions: ExceptionForm[]
}

export const emptyRoster = (): RosterForm => ({ week: Array.from({ length: 7 }, () => []), exceptions: [] })

const byStart = (a: Span, b: Span) => a.start.localeCompare(b.start)

export function fromRoster(roster: Roster): RosterForm {
  const form = emptyRoster()
  for (const s of roster.week) form.week[s.weekday]?.push({ start: s.start, end: s.end })
  form.week.forEach((spans) => spans.sort(byStart))
  for (const e of roster.exceptions) {
    let entry = form.exceptions.find((x) => x.date === e.date)
    if (!entry) form.exceptions.push((entry = { date: e.date, off: e.off, spans: [], note: e.note }))
    if (!e.off && e.start && e.end) entry.spans.push({ start: e.start, end: e.end })
  }
  return form
}

/** The body for PUT, and for each flat row the form path it came from (to place the server's errors). */
export function toRoster(form: RosterForm): { roster: Roster; paths: { week: string[]; exceptions: string[] } } {
  const roster: Roster = { week: [], exceptions: [] }
  const paths = { week: [] as string[], exceptions: [] as string[] }
  form.week.forEach((spans, weekday) =>
    spans.forEach((s, i) => {
      roster.week.push({ weekday, start: s.start, end: s.end })
      paths.week.push(`week.${weekday}.${i}`)
    }),
  )
  form.exceptions.forEach((e, n) => {
    const note = e.note.trim()
    if (e.off) {
      roster.exceptions.push({ date: e.date, off: true, start: null, end: null, note })
      paths.exceptions.push(`exceptions.${n}`)
    } else
      e.spans.forEach((s, i) => {
        roster.exceptions.push({ date: e.date, off: false, start: s.start, end: s.end, note })
        paths.exceptions.push(`exceptions.${n}.spans.${i}`)
      })
  })
  return { roster, paths }
}

/** A whole day's problem ("Weekday 5: …", "2026-12-05: …") goes on that day rather than on the section. */
function dayOf(form: RosterForm, section: string, raw: unknown): string | undefined {
  const first = Array.isArray(raw) ? String(raw[0] ?? '') : ''
  const weekday = /^Weekday (\d):/.exec(first)
  if (section === 'week' && weekday) return `week.${weekday[1]}`
  const date = /^(\d{4}-\d{2}-\d{2}):/.exec(first)
  const n = date ? form.exceptions.findIndex((e) => e.date === date[1]) : -1
  if (section === 'exceptions' && n >= 0) return form.exceptions[n].off ? `exceptions.${n}` : `exceptions.${n}.spans`
  return undefined
}

/**
 * The server names flat rows ("week.3.end", "exceptions.1.date"); this names the rows as the form shows
 * them. `raw` is the 422's own errors, whose words say which day a whole-day problem is on.
 */
export function placeServerErrors(
  errors: Errors,
  paths: { week: string[]; exceptions: string[] },
  form: RosterForm = emptyRoster(),
  raw: Record<string, unknown> = {},
): Errors {
  const out: Errors = {}
  for (const [key, message] of Object.entries(errors)) {
    const [section, index, field] = key.split('.')
    const row = section === 'week' || section === 'exceptions' ? paths[section][Number(index)] : undefined
    let path = row ?? (section === 'week' || section === 'exceptions' ? dayOf(form, section, raw[section]) ?? section : key)
    if (row && section === 'exceptions' && (field === 'date' || field === 'note')) {
      path = `${row.split('.').slice(0, 2).join('.')}.${field}`
    }
    out[path] = out[path] ? `${out[path]}；${message}` : message
  }
  return out
}

function checkSpans(spans: Span[], path: string, out: Errors): void {
  if (spans.length > MAX_SPANS) out[path] = t('contactsStaff.err.tooMany', { n: MAX_SPANS })
  spans.forEach((s, i) => {
    if (!TIME_RE.test(s.start) || !(TIME_RE.test(s.end) || s.end === '24:00')) out[`${path}.${i}`] = t('contactsStaff.err.time')
    else if (s.start >= s.end) out[`${path}.${i}`] = t('contactsStaff.err.order')
  })
  const sorted = spans.map((s, i) => ({ ...s, i })).filter((s) => !out[`${path}.${s.i}`])
  sorted.sort(byStart)
  for (let k = 1; k < sorted.length; k++) {
    if (sorted[k].start < sorted[k - 1].end) out[`${path}.${sorted[k].i}`] = t('contactsStaff.err.overlap')
  }
}

/** What is wrong, keyed by form path ("week.5.0", "exceptions.1.date"); past dates are kept by the server. */
export function validateRoster(form: RosterForm, today = localDate()): Errors {
  const out: Errors = {}
  form.week.forEach((spans, d) => checkSpans(spans, `week.${d}`, out))
  const seen = new Set<string>()
  form.exceptions.forEach((e, n) => {
    if (!DATE_RE.test(e.date)) out[`exceptions.${n}.date`] = t('contactsStaff.err.date')
    else if (e.date < today) out[`exceptions.${n}.date`] = t('contactsStaff.err.past')
    else if (seen.has(e.date)) out[`exceptions.${n}.date`] = t('contactsStaff.err.sameDate')
    seen.add(e.date)
    if (e.off) return
    if (!e.spans.length) out[`exceptions.${n}.spans`] = t('contactsStaff.err.needSpan')
    checkSpans(e.spans, `exceptions.${n}.spans`, out)
  })
  return out
}
