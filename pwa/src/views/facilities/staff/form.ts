import { DAYS } from '@/api/facilities'
import type { Day, Facility, FacilityInput, HoursException, Range } from '@/api/facilities'
import { i18n } from '@/i18n'

export const ALL_DAY: Range = ['00:00', '24:00']
export const MAX_RANGES = 6
const MAX_PHOTOS = 6

export interface FacilityForm {
  typeId: number | null
  name: string
  address: string
  latitude: string
  longitude: string
  phone: string
  description: string
  accessibility: string[]
  photos: string
  hours: Record<Day, Range[]>
  exceptions: HoursException[]
  staff: { id: number; name: string } | null
}

export type Errors = Record<string, string>

const t = (key: string, values: Record<string, unknown> = {}) => i18n.global.t(key, values)

const emptyWeek = () => Object.fromEntries(DAYS.map((d) => [d, [] as Range[]])) as Record<Day, Range[]>

export function emptyForm(): FacilityForm {
  return {
    typeId: null,
    name: '',
    address: '',
    latitude: '',
    longitude: '',
    phone: '',
    description: '',
    accessibility: [],
    photos: '',
    hours: emptyWeek(),
    exceptions: [],
    staff: null,
  }
}

const copyRanges = (ranges: Range[]) => ranges.map(([s, e]) => [s, e] as Range)

export function fromFacility(f: Facility): FacilityForm {
  const hours = emptyWeek()
  for (const d of DAYS) hours[d] = copyRanges(f.hours[d] ?? [])
  return {
    typeId: f.type.id,
    name: f.name,
    address: f.address,
    latitude: String(f.latitude),
    longitude: String(f.longitude),
    phone: f.phone,
    description: f.description,
    accessibility: [...f.accessibility],
    photos: f.photos.join('\n'),
    hours,
    exceptions: f.exceptions.map((e) => ({ ...e, ranges: copyRanges(e.ranges) })),
    staff: f.staff,
  }
}

const photoLines = (text: string) =>
  text
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean)

export function toInput(form: FacilityForm): FacilityInput {
  return {
    type_id: form.typeId ?? 0,
    name: form.name.trim(),
    address: form.address.trim(),
    latitude: Number(form.latitude),
    longitude: Number(form.longitude),
    phone: form.phone.trim(),
    description: form.description.trim(),
    accessibility: form.accessibility,
    photos: photoLines(form.photos),
    hours: form.hours,
    exceptions: form.exceptions.map((e) => ({ ...e, end: e.end || e.start, ranges: e.kind === 'hours' ? e.ranges : [] })),
    staff_user_id: form.staff?.id ?? null,
  }
}

/** An end at or before the start runs past midnight (the server's rule); 24:00 is the day's end. */
export const isOvernight = ([start, end]: Range) => Boolean(start && end) && end !== '24:00' && end < start

function rangeError([start, end]: Range): string {
  if (!start || !end) return t('facilityStaff.err.times')
  if (start === end) return t('facilityStaff.err.sameTimes')
  return ''
}

function coordinate(value: string, limit: number, key: string): string {
  const n = Number(value)
  return value.trim() === '' || !Number.isFinite(n) || Math.abs(n) > limit ? t(`facilityStaff.err.${key}`) : ''
}

/** What is wrong, keyed by the same paths the server's 422 uses ("hours.mon.0", "exceptions.1.end"). */
export function validate(form: FacilityForm): Errors {
  const out: Errors = {}
  const put = (path: string, message: string) => message && (out[path] = message)
  put('type_id', form.typeId ? '' : t('facilityStaff.err.required'))
  put('name', form.name.trim() ? '' : t('facilityStaff.err.required'))
  put('latitude', coordinate(form.latitude, 90, 'latitude'))
  put('longitude', coordinate(form.longitude, 180, 'longitude'))
  for (const d of DAYS) form.hours[d].forEach((r, i) => put(`hours.${d}.${i}`, rangeError(r)))
  form.exceptions.forEach((e, n) => {
    put(`exceptions.${n}.start`, e.start ? '' : t('facilityStaff.err.required'))
    put(`exceptions.${n}.end`, e.end && e.end < e.start ? t('facilityStaff.err.endDate') : '')
    if (e.kind !== 'hours') return
    put(`exceptions.${n}.ranges`, e.ranges.length ? '' : t('facilityStaff.err.needRange'))
    e.ranges.forEach((r, i) => put(`exceptions.${n}.ranges.${i}`, rangeError(r)))
  })
  const photos = photoLines(form.photos)
  put('photos', photos.length > MAX_PHOTOS ? t('facilityStaff.err.tooManyPhotos') : '')
  photos.forEach((p, i) => put(`photos.${i}`, /^https?:\/\/\S+$/.test(p) ? '' : t('facilityStaff.err.photo')))
  return out
}

/** The message for a path or for anything below it ("photos" shows "photos.2"'s message). */
export function errorAt(errors: Errors, path: string): string {
  if (errors[path]) return errors[path]
  const below = Object.keys(errors).find((k) => k.startsWith(`${path}.`))
  return below ? errors[below] : ''
}

/** Today's date where the browser is, as YYYY-MM-DD (toISOString would give UTC's date). */
export function localDate(d = new Date()): string {
  const pad = (n: number) => String(n).padStart(2, '0')
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`
}
