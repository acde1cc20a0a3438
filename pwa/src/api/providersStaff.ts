// Staff calls of convenience services (backend/providers): providers with their services, verification
// against a private licence photo, suspension, and hiding abusive ratings.
import { api } from './client'
import type { Day, Range } from './facilities'

export type ProviderStatus = 'pending' | 'verified' | 'suspended'
export const PROVIDER_STATUSES: ProviderStatus[] = ['pending', 'verified', 'suspended']
export const CATEGORIES = ['housekeeping', 'repair', 'locksmith', 'meals', 'haircut', 'parcels', 'health', 'laundry', 'other'] as const
export type Category = (typeof CATEGORIES)[number]

export interface ProviderServiceItem {
  id?: number
  name: string
  description: string
  /** Yuan as the server writes decimals ("30.00"); null: ask the provider. */
  price_from: string | number | null
  price_to: string | number | null
  unit: string
}

export interface ProviderInput {
  name: string
  category: Category
  description: string
  phone: string
  address: string
  latitude: number | null
  longitude: number | null
  service_area: string
  hours: Partial<Record<Day, Range[]>>
  photos: string[]
  licence_file_id: string | null
  services: ProviderServiceItem[]
}

export interface Provider extends ProviderInput {
  id: number
  services: (ProviderServiceItem & { id: number })[]
  open_now: boolean | null
  rating: { average: number | null; count: number }
  bookable_resource_id: number | null
  status: ProviderStatus
  status_reason: string
  verified_by: { id: number; name: string } | null
  verified_at: string | null
}

export interface Rating {
  id: number
  stars: number
  text: string
  hidden: boolean
  hidden_reason?: string
  month?: string
  user?: { id: number; name: string }
  dwelling?: { id: number; label: string }
  created_at: string
}

const base = (cid: number) => `/communities/${cid}/providers`

export const listProviders = (cid: number, status?: ProviderStatus) => api.get<Provider[]>(`${base(cid)}/`, { query: { status } })
export const getProvider = (cid: number, id: number) => api.get<Provider>(`${base(cid)}/${id}`)
export const createProvider = (cid: number, input: ProviderInput) => api.post<Provider>(`${base(cid)}/`, input)
export const updateProvider = (cid: number, id: number, input: ProviderInput) => api.put<Provider>(`${base(cid)}/${id}`, input)
export const verifyProvider = (cid: number, id: number) => api.post<Provider>(`${base(cid)}/${id}/verify`)
export const suspendProvider = (cid: number, id: number, reason: string) => api.post<Provider>(`${base(cid)}/${id}/suspend`, { reason })

/** A page of ratings; the server may answer with a bare list. */
export async function listRatings(cid: number, id: number, page = 1): Promise<{ items: Rating[]; total: number }> {
  const got = await api.get<Rating[] | { items: Rating[]; total: number }>(`${base(cid)}/${id}/ratings`, { query: { page } })
  return Array.isArray(got) ? { items: got, total: got.length } : got
}
export const hideRating = (cid: number, ratingId: number, reason: string) =>
  api.post<Rating>(`${base(cid)}/ratings/${ratingId}/hide`, { reason })
export const unhideRating = (cid: number, ratingId: number) => api.post<Rating>(`${base(cid)}/ratings/${ratingId}/unhide`)

export const fileUrl = (cid: number, id: string, thumb = false) => `/api/v1/communities/${cid}/files/${id}${thumb ? '/thumb' : ''}`
