import { api } from './client'

export type Range = [string, string]
export type Day = 'mon' | 'tue' | 'wed' | 'thu' | 'fri' | 'sat' | 'sun'
export const DAYS: Day[] = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun']

export interface FacilityType {
  id: number
  name: string
  icon: string
  position: number
}

export interface OpenState {
  status: 'open' | 'closed' | 'unknown'
  open_now: boolean | null
  closes_at: string | null
  next_open_at: string | null
  today_hours: Range[]
  today_note: string
}

export interface FacilityBrief {
  id: number
  type: FacilityType
  name: string
  address: string
  latitude: number
  longitude: number
  phone: string
  accessibility: string[]
  state: OpenState
  distance_m: number | null
}

export interface HoursException {
  start: string
  end: string
  kind: 'closed' | 'hours' | 'open_24h'
  ranges: Range[]
  note: string
}

export interface Facility extends FacilityBrief {
  description: string
  photos: string[]
  hours: Record<Day, Range[]>
  exceptions: HoursException[]
  staff: { id: number; name: string } | null
  updated_at: string
}

export interface FacilityQuery {
  q?: string
  type_id?: number
  open_now?: boolean
  lat?: number
  lng?: number
  radius?: number
}

const base = (cid: number) => `/communities/${cid}`

export const listTypes = (cid: number) => api.get<FacilityType[]>(`${base(cid)}/facility-types`)
export const findFacilities = (cid: number, query: FacilityQuery = {}) =>
  api.get<FacilityBrief[]>(`${base(cid)}/facilities`, {
    query: { ...query, open_now: query.open_now === undefined ? undefined : String(query.open_now) },
  })
export const getFacility = (cid: number, id: number) => api.get<Facility>(`${base(cid)}/facilities/${id}`)

/** A link that opens navigation in Amap (高德) with the browser's WGS-84 coordinates. */
export function navigationUrl(f: { latitude: number; longitude: number; name: string }): string {
  const params = new URLSearchParams({
    position: `${f.longitude},${f.latitude}`,
    name: f.name,
    coordinate: 'wgs84',
    callnative: '1',
  })
  return `https://uri.amap.com/marker?${params}`
}
