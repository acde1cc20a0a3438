import { api } from './client'
import type { Community, Dwelling, Ref } from './types'

export const listCommunities = () => api.get<Community[]>('/communities')
export const listBuildings = (cid: number) => api.get<Ref[]>(`/communities/${cid}/buildings`)
export const listBuildingDwellings = (cid: number, bid: number) =>
  api.get<Dwelling[]>(`/communities/${cid}/buildings/${bid}/dwellings`)

export interface StaffMember {
  user: { id: number; name: string; phone: string }
  title: string
}
export const listStaff = (cid: number) => api.get<StaffMember[]>(`/communities/${cid}/staff`)
