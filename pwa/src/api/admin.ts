import { api } from './client'
import type { StaffMember } from './places'
import type { Community, Me, Membership, Page } from './types'

/** What an administrator of the deployment may do: communities, their staff, accounts. */
export interface CommunityInput {
  name: string
  district: string
  street: string
  timezone: string
}
export interface AdminUser {
  id: number
  phone: string
  name: string
  active: boolean
  is_admin: boolean
  memberships: Membership[]
}
export interface AppointInput {
  phone: string
  title: string
  name?: string
  password?: string
}

export const createCommunity = (input: CommunityInput) => api.post<Community>('/communities', input)
export const updateCommunity = (cid: number, input: CommunityInput) => api.put<Community>(`/communities/${cid}`, input)
export const listCommunityStaff = (cid: number) => api.get<StaffMember[]>(`/admin/communities/${cid}/staff`)
export const appointStaff = (cid: number, input: AppointInput) => api.post<Me>(`/admin/communities/${cid}/staff`, input)
export const removeStaff = (cid: number, userId: number) => api.del(`/admin/communities/${cid}/staff/${userId}`)
export const listUsers = (q: string, page = 1) =>
  api.get<Page<AdminUser>>('/admin/users', { query: { q: q || undefined, page, per_page: 30 } })
export const setUserActive = (id: number, active: boolean) => api.patch<Me>(`/admin/users/${id}`, { active })
