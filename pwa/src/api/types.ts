export type Locale = 'zh-CN' | 'en'
export type Relation = 'owner' | 'tenant' | 'family'
export type ResidencyStatus = 'pending' | 'verified' | 'rejected'

export interface Ref {
  id: number
  name: string
}

export interface Dwelling {
  id: number
  label: string
  unit: string
  room: string
  building?: Ref
  grid?: Ref | null
  floor_area?: number | null
}

export interface Residency {
  id: number
  community_id: number
  relation: Relation
  status: ResidencyStatus
  reject_reason: string | null
  created_at: string
  verified_at: string | null
  dwelling: Dwelling
}

export interface Membership {
  community: Ref & { timezone?: string }
  role: 'resident' | 'staff'
  title: string | null
}

export interface Me {
  id: number
  phone: string
  name: string
  locale: Locale
  care_mode: boolean
  /** Absent from a profile cached before it was asked for. */
  birth_year?: number | null
  is_admin: boolean
  memberships: Membership[]
  residencies: Residency[]
}

export interface Community {
  id: number
  name: string
  district: string
  street: string
  timezone: string
}

export interface PendingResidency extends Omit<Residency, 'community_id'> {
  user: { id: number; name: string; phone: string }
}

/** A page of a staff list: the rows asked for and how many there are in all. */
export interface Page<T> {
  items: T[]
  total: number
  page: number
  per_page: number
}

export interface Invite {
  id: number
  code: string
  relation: Relation
  dwelling: Dwelling
  expires_at: string
  max_uses: number
  uses: number
  revoked_at: string | null
  active: boolean
}

export interface ImportResult {
  created: number
  updated: number
  buildings_created: number
  grids_created: number
  owners_linked: number
  claims_confirmed: number
}
