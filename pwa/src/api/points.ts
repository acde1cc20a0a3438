import { api } from './client'
import type { Page } from './types'

// Points (积分), the love supermarket (爱心超市) and partners: backend/points/.

export type TransactionKind = 'hours' | 'manual' | 'redeem' | 'handover' | 'cancel' | 'expire' | 'reversal' | 'adjust'
export type ItemKind = 'goods' | 'service'
export type RedemptionStatus = 'reserved' | 'handed_over' | 'cancelled' | 'expired'
export const REDEMPTION_STATUSES: RedemptionStatus[] = ['reserved', 'handed_over', 'cancelled', 'expired']

export interface MyPoints {
  balance: number
  held: number
  earned_this_year: number
  expiring: { amount: number; on: string } | null
}

/** One of my ledger entries: the amount is signed as it moved my balance. */
export interface MyTransaction {
  id: number
  kind: TransactionKind
  amount: number
  memo: string
  created_at: string
  balance_after: number
}

export interface Photo {
  url: string
  thumb_url: string
  id?: string
}

export interface CatalogItem {
  id: number
  kind: ItemKind
  title: string
  description: string
  photo: Photo | null
  points_cost: number
  /** Goods: how many are left; services: null = unlimited. */
  stock: number | null
  /** Per person per calendar month; null = no limit. */
  monthly_limit: number | null
  my_month_count: number
  partner: { id: number; name: string } | null
  /** Staff see which upload the photo is, to keep it when saving. */
  photo_id?: string | null
  active?: boolean
  position?: number
}

/** Kind and stock are set when the item is made; afterwards stock moves only by adjustments. */
export interface CatalogInput {
  kind?: ItemKind
  title: string
  description: string
  photo: string | null
  points_cost: number
  stock?: number | null
  monthly_limit: number | null
  partner_id: number | null
  active?: boolean
}

export interface Redemption {
  id: number
  item: { id: number; title: string; kind: ItemKind; partner?: { id: number; name: string } | null }
  quantity: number
  points: number
  status: RedemptionStatus
  pickup_code: string
  expires_at: string
  created_at?: string
  handed_over_at?: string | null
  cancelled_reason?: string | null
  /** Shown to staff and partners. */
  user?: { id: number; name: string; phone?: string }
}

export interface LedgerTransaction {
  id: number
  kind: TransactionKind
  memo: string
  created_at: string
  created_by: number | null
  reverses_id: number | null
  reversed: boolean
  /** The resident whose balance it moved, if any, and by how much (signed). */
  user: { id: number; name: string } | null
  amount: number | null
  legs: { account_id: number; kind: string; amount: number; user: { id: number; name: string } | null; partner_id: number | null }[]
}

export interface Partner {
  id: number
  name: string
  category: string
  phone: string
  address: string
  description: string
  active: boolean
  members?: { user_id: number; name: string; phone: string }[]
}

export type PartnerInput = Omit<Partner, 'id' | 'members'>

export interface PointsSettings {
  expiry: 'none' | 'yearly'
  pickup_days: number
}

const base = (cid: number) => `/communities/${cid}/points`
const keyed = (key: string) => ({ headers: { 'Idempotency-Key': key } })

// Resident
export const myPoints = (cid: number) => api.get<MyPoints>(`${base(cid)}/me`)
export const myTransactions = (cid: number, page = 1) =>
  api.get<Page<MyTransaction> | MyTransaction[]>(`${base(cid)}/me/transactions`, { query: { page } })
export const listCatalog = (cid: number, kind?: ItemKind, all = false) =>
  api.get<CatalogItem[]>(`${base(cid)}/catalog`, { query: { kind, all: all ? 'true' : undefined } })
export const getItem = (cid: number, id: number) => api.get<CatalogItem>(`${base(cid)}/catalog/${id}`)
export const redeem = (cid: number, itemId: number, quantity: number, key: string) =>
  api.post<Redemption>(`${base(cid)}/redemptions`, { item_id: itemId, quantity }, keyed(key))
export const myRedemptions = (cid: number) => api.get<Redemption[] | Page<Redemption>>(`${base(cid)}/redemptions/mine`)
export const cancelRedemption = (cid: number, id: number, key: string, reason = '') =>
  api.post<Redemption>(`${base(cid)}/redemptions/${id}/cancel`, { reason }, keyed(key))

// Staff and partners' desks
export const listRedemptions = (cid: number, status?: RedemptionStatus, page = 1) =>
  api.get<Page<Redemption>>(`${base(cid)}/redemptions`, { query: { status, page } })
export const lookupCode = (cid: number, pickupCode: string) =>
  api.post<Redemption>(`${base(cid)}/redemptions/lookup`, { pickup_code: pickupCode })
export const handOver = (cid: number, id: number) => api.post<Redemption>(`${base(cid)}/redemptions/${id}/handover`)
export const myPartners = (cid: number) => api.get<Partner[]>(`${base(cid)}/partner/me`)

// Staff: catalogue
export const createItem = (cid: number, input: CatalogInput) => api.post<CatalogItem>(`${base(cid)}/catalog`, input)
/** PUT sends the whole item (null for no photo, limit or partner) so nothing is cleared by being left out; `active` may be left out. */
export const updateItem = (cid: number, id: number, input: Omit<CatalogInput, 'kind' | 'stock'>) => api.put<CatalogItem>(`${base(cid)}/catalog/${id}`, input)
export const adjustStock = (cid: number, id: number, change: number, reason: string) =>
  api.post<CatalogItem>(`${base(cid)}/catalog/${id}/stock`, { change, reason })
export const deactivateItem = (cid: number, id: number) => api.del(`${base(cid)}/catalog/${id}`)

// Staff: ledger
export const listTransactions = (cid: number, query: { user_id?: number; kind?: TransactionKind; page?: number } = {}) =>
  api.get<Page<LedgerTransaction>>(`${base(cid)}/transactions`, { query })
export const award = (cid: number, userId: number, amount: number, reason: string, key: string) =>
  api.post<LedgerTransaction>(`${base(cid)}/awards`, { user_id: userId, amount, reason }, keyed(key))
export const reverseTransaction = (cid: number, id: number, reason: string, key: string) =>
  api.post<LedgerTransaction>(`${base(cid)}/transactions/${id}/reverse`, { reason }, keyed(key))

// Staff: partners and settings
export const listPartners = (cid: number) => api.get<Partner[] | Page<Partner>>(`${base(cid)}/partners`)
export const createPartner = (cid: number, input: PartnerInput) => api.post<Partner>(`${base(cid)}/partners`, input)
/** PUT sends the whole partner, as the form shows it. */
export const updatePartner = (cid: number, id: number, input: PartnerInput) => api.put<Partner>(`${base(cid)}/partners/${id}`, input)
export const linkMember = (cid: number, id: number, phone: string) => api.post<Partner>(`${base(cid)}/partners/${id}/members`, { phone })
export const unlinkMember = (cid: number, id: number, userId: number) => api.del(`${base(cid)}/partners/${id}/members/${userId}`)
export const getSettings = (cid: number) => api.get<PointsSettings>(`${base(cid)}/settings`)
export const putSettings = (cid: number, settings: PointsSettings) => api.put<PointsSettings>(`${base(cid)}/settings`, settings)

/** A list the server may send plain (short resident lists) or paged (staff lists). */
export function itemsOf<T>(got: T[] | Page<T>): T[] {
  return Array.isArray(got) ? got : got.items
}
