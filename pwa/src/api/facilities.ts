import { api, request } from './client'

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
  limit?: number
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

/** What staff send to add or change a facility (the server fills missing weekdays with "closed"). */
export interface FacilityInput {
  type_id: number
  name: string
  address: string
  latitude: number
  longitude: number
  phone: string
  description: string
  accessibility: string[]
  photos: string[]
  hours: Record<Day, Range[]>
  exceptions: HoursException[]
  staff_user_id: number | null
}

export type FacilityTypeInput = Omit<FacilityType, 'id'>

export const ACCESSIBILITY = [
  'wheelchair',
  'step_free',
  'elevator',
  'accessible_toilet',
  'braille',
  'hearing_loop',
  'guide_dog',
  'seating',
] as const

export const createType = (cid: number, input: FacilityTypeInput) =>
  api.post<FacilityType>(`${base(cid)}/facility-types`, input)
export const updateType = (cid: number, id: number, input: FacilityTypeInput) =>
  request<FacilityType>('PUT', `${base(cid)}/facility-types/${id}`, { body: input })
export const deleteType = (cid: number, id: number) => api.del(`${base(cid)}/facility-types/${id}`)

export const createFacility = (cid: number, input: FacilityInput) => api.post<Facility>(`${base(cid)}/facilities`, input)
export const updateFacility = (cid: number, id: number, input: FacilityInput) =>
  request<Facility>('PUT', `${base(cid)}/facilities/${id}`, { body: input })
export const deleteFacility = (cid: number, id: number) => api.del(`${base(cid)}/facilities/${id}`)
