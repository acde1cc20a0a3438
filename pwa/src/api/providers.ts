// Resident calls of convenience services (便民服务, backend/providers): verified providers by category and
// distance, one provider, its ratings, and rating it (once per household per month; this month's can be
// edited). The shapes are shared with the staff calls (providersStaff.ts).
import { api } from './client'
import type { Category, Provider as StaffProvider, Rating } from './providersStaff'

export { CATEGORIES } from './providersStaff'
export type { Category, Rating }

/** A provider as residents see it (the staff-only fields may be missing). */
export type Provider = Omit<StaffProvider, 'status' | 'status_reason' | 'verified_by' | 'verified_at' | 'licence_file_id'> & {
  distance_m?: number | null
}

export interface RatingInput {
  stars: number
  text: string
  dwelling_id?: number
}

const base = (cid: number) => `/communities/${cid}/providers`

export const listProviders = (cid: number, query: { category?: Category; lat?: number; lng?: number; q?: string } = {}) =>
  api.get<Provider[]>(`${base(cid)}/`, { query })
export const listCategories = (cid: number) => api.get<{ key: Category; count: number }[]>(`${base(cid)}/categories`)
export const getProvider = (cid: number, id: number) => api.get<Provider>(`${base(cid)}/${id}`)

/** A page of ratings; the server may answer with a bare list. */
export async function listRatings(cid: number, id: number, page = 1): Promise<{ items: Rating[]; total: number }> {
  const got = await api.get<Rating[] | { items: Rating[]; total: number }>(`${base(cid)}/${id}/ratings`, { query: { page } })
  return Array.isArray(got) ? { items: got, total: got.length } : got
}
export const rate = (cid: number, id: number, input: RatingInput) => api.post<Rating>(`${base(cid)}/${id}/ratings`, input)
export const editMyRating = (cid: number, id: number, input: { stars: number; text: string }) =>
  api.put<Rating>(`${base(cid)}/${id}/ratings/mine`, input)
