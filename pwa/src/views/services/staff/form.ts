// The provider form and what it sends: prices typed as text, blank meaning "ask", coordinates both or
// neither, the week of opening hours. Unit-tested in tests/unit/servicesStaff.spec.ts.
import { DAYS } from '@/api/facilities'
import type { Day, Range } from '@/api/facilities'
import type { Category, Provider, ProviderInput } from '@/api/providersStaff'

export type Errors = Record<string, string>
type T = (key: string, values?: Record<string, unknown>) => string

export interface ServiceRow {
  id?: number
  name: string
  description: string
  priceFrom: string
  priceTo: string
  unit: string
}

export interface ProviderForm {
  name: string
  category: Category
  description: string
  phone: string
  address: string
  latitude: string
  longitude: string
  serviceArea: string
  hours: Record<Day, Range[]>
  photos: string[]
  licenceFileId: string | null
  services: ServiceRow[]
}

export const MAX_PHOTOS = 6
const emptyWeek = () => Object.fromEntries(DAYS.map((d) => [d, [] as Range[]])) as Record<Day, Range[]>
export const emptyService = (): ServiceRow => ({ name: '', description: '', priceFrom: '', priceTo: '', unit: '' })

export function emptyProvider(): ProviderForm {
  return {
    name: '',
    category: 'housekeeping',
    description: '',
    phone: '',
    address: '',
    latitude: '',
    longitude: '',
    serviceArea: '',
    hours: emptyWeek(),
    photos: [],
    licenceFileId: null,
    services: [emptyService()],
  }
}

/** "30.00" → "30", "29.50" → "29.5": prices as people write them. */
export function priceText(value: string | number | null | undefined): string {
  if (value === null || value === undefined || value === '') return ''
  return String(Number(value))
}

export function fromProvider(p: Provider): ProviderForm {
  const hours = emptyWeek()
  for (const d of DAYS) hours[d] = (p.hours[d] ?? []).map(([s, e]) => [s, e] as Range)
  return {
    name: p.name,
    category: p.category,
    description: p.description,
    phone: p.phone,
    address: p.address,
    latitude: p.latitude === null ? '' : String(p.latitude),
    longitude: p.longitude === null ? '' : String(p.longitude),
    serviceArea: p.service_area,
    hours,
    photos: [...p.photos],
    licenceFileId: p.licence_file_id,
    services: p.services.map((s) => ({
      id: s.id,
      name: s.name,
      description: s.description,
      priceFrom: priceText(s.price_from),
      priceTo: priceText(s.price_to),
      unit: s.unit,
    })),
  }
}

const price = (text: string) => (text.trim() === '' ? null : Number(text.trim()))
const coordinate = (text: string) => (text.trim() === '' ? null : Number(text.trim()))

export function toProviderInput(f: ProviderForm): ProviderInput {
  return {
    name: f.name.trim(),
    category: f.category,
    description: f.description.trim(),
    phone: f.phone.trim(),
    address: f.address.trim(),
    latitude: coordinate(f.latitude),
    longitude: coordinate(f.longitude),
    service_area: f.serviceArea.trim(),
    hours: f.hours,
    photos: f.photos,
    licence_file_id: f.licenceFileId,
    // A row left wholly blank is dropped rather than refused.
    services: f.services
      .filter((s) => s.name.trim() || s.priceFrom.trim() || s.priceTo.trim())
      .map((s) => ({
        ...(s.id ? { id: s.id } : {}),
        name: s.name.trim(),
        description: s.description.trim(),
        price_from: price(s.priceFrom),
        price_to: price(s.priceTo),
        unit: s.unit.trim(),
      })),
  }
}

const MONEY = /^\d{1,8}(\.\d{1,2})?$/

/** What is wrong before sending, keyed as the server's 422 is ("services.0.price_to"). */
export function validateProvider(f: ProviderForm, t: T): Errors {
  const out: Errors = {}
  const put = (key: string, bad: boolean, message: string) => bad && !out[key] && (out[key] = message)
  put('name', !f.name.trim(), t('servicesStaff.err.required'))
  put('phone', !/\d{3,}/.test(f.phone), t('servicesStaff.err.phone'))
  const lat = f.latitude.trim()
  const lng = f.longitude.trim()
  const badCoord = (v: string, limit: number) => !Number.isFinite(Number(v)) || Math.abs(Number(v)) > limit
  put('latitude', Boolean(lat || lng) && (!lat || !lng || badCoord(lat, 90) || badCoord(lng, 180)), t('servicesStaff.err.coordinates'))
  put('photos', f.photos.length > MAX_PHOTOS, t('servicesStaff.err.tooManyPhotos'))
  f.services.forEach((s, i) => {
    const blank = !s.name.trim() && !s.priceFrom.trim() && !s.priceTo.trim()
    if (blank) return
    put(`services.${i}.name`, !s.name.trim(), t('servicesStaff.err.required'))
    put(`services.${i}.price_from`, Boolean(s.priceFrom.trim()) && !MONEY.test(s.priceFrom.trim()), t('servicesStaff.err.price'))
    put(`services.${i}.price_to`, Boolean(s.priceTo.trim()) && !MONEY.test(s.priceTo.trim()), t('servicesStaff.err.price'))
    const from = price(s.priceFrom)
    const to = price(s.priceTo)
    put(`services.${i}.price_to`, from !== null && to !== null && to < from, t('servicesStaff.err.priceRange'))
  })
  for (const d of DAYS) f.hours[d].forEach((r, i) => put(`hours.${d}.${i}`, !r[0] || !r[1] || r[0] === r[1], t('facilityStaff.err.times')))
  return out
}
