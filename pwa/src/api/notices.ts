import { api } from './client'

export type Category = 'urgent' | 'policy' | 'activity' | 'service' | 'other'
export type NoticeStatus = 'draft' | 'scheduled' | 'published' | 'withdrawn'
export const CATEGORIES: Category[] = ['urgent', 'policy', 'activity', 'service', 'other']
export const AUDIENCE_ROLES = ['owner', 'volunteer'] as const

/** A notice as its reader sees it. */
export interface NoticeBrief {
  id: number
  title: string
  summary: string
  category: Category
  pinned: boolean
  ack_required: boolean
  published_at: string
  expires_at: string | null
  read_at: string | null
  acknowledged_at: string | null
}

export interface Notice extends NoticeBrief {
  body_html: string
  author: string
}

export interface NoticePage {
  items: NoticeBrief[]
  next_cursor: string | null
}

export interface Audience {
  everyone: boolean
  grid_ids: number[]
  building_ids: number[]
  roles: string[]
}

export interface NoticeInput {
  title: string
  body: string
  category: Category
  audience: Audience
  pinned: boolean
  ack_required: boolean
  push: boolean
  expires_at: string | null
}

export interface StaffNotice extends Omit<NoticeInput, 'body'> {
  id: number
  body_html: string
  summary: string
  status: NoticeStatus
  publish_at: string | null
  published_at: string | null
  withdrawn_at: string | null
  last_reminded_at: string | null
  author: { id: number; name: string }
  created_at: string
  updated_at: string
}

export interface Counts {
  addressed: number
  pushed: number
  delivered: number
  read: number
  acknowledged: number
}

export interface GridStats extends Counts {
  grid_id: number | null
  grid_name: string
}

/** Texts of an urgent notice to residents without push: sent, failed, left out by the budget, waiting. */
export interface SmsCounts {
  sms_sent: number
  sms_failed: number
  sms_over_budget: number
  sms_pending: number
}

/** The worker addressing a notice (or pushing a reminder), a chunk of residents at a time. */
export interface SendingProgress {
  kind: 'publish' | 'remind'
  status: 'running' | 'done'
  done: number
  total: number | null
  deliveries: number
  started_at: string
  finished_at: string | null
}

export interface NoticeStats extends Counts, SmsCounts {
  notice_id: number
  grids: GridStats[]
  progress: SendingProgress | null
}

/** The community's SMS budget for urgent notices, and what this month has used of it. */
export interface SmsBudget {
  monthly: number
  per_notice: number
  custom: boolean
  used: number
  remaining: number
  month: string
  max: number
}

export interface UnreadResident {
  user_id: number
  name: string
  phone: string
  dwelling: string
  grid: string
}

export interface UnreadPage {
  items: UnreadResident[]
  next_cursor: string | null
}

export interface UnreadQuery {
  grid_id?: number
  building_id?: number
  cursor?: string
  limit?: number
}

const base = (cid: number) => `/communities/${cid}/notices`

// Residents
export const listNotices = (cid: number, query: { category?: Category; cursor?: string; limit?: number } = {}) =>
  api.get<NoticePage>(base(cid), { query })
export const unreadCount = (cid: number) => api.get<{ unread: number }>(`${base(cid)}/unread-count`)
export const getNotice = (cid: number, id: number) => api.get<Notice>(`${base(cid)}/${id}`)
export const acknowledge = (cid: number, id: number) => api.post<Notice>(`${base(cid)}/${id}/acknowledge`)
export const searchNotices = (cid: number, q: string) => api.get<NoticeBrief[]>(`${base(cid)}/search`, { query: { q } })

// Staff
export const listManaged = (cid: number, query: { status?: NoticeStatus; page?: number; per_page?: number } = {}) =>
  api.get<StaffNotice[]>(`${base(cid)}/manage`, { query })
export const getManaged = (cid: number, id: number) => api.get<StaffNotice>(`${base(cid)}/manage/${id}`)
export const createNotice = (cid: number, input: NoticeInput) => api.post<StaffNotice>(`${base(cid)}/manage`, input)
export const updateNotice = (cid: number, id: number, input: Partial<NoticeInput>) =>
  api.patch<StaffNotice>(`${base(cid)}/manage/${id}`, input)
export const deleteNotice = (cid: number, id: number) => api.del(`${base(cid)}/manage/${id}`)
export interface Reach {
  residents: number
  phones: number
  phones_later: number
  sms: number
  sms_over_budget: number
}
export const noticeReach = (cid: number, body: { audience: Audience; category: Category; push: boolean }) =>
  api.post<Reach>(`${base(cid)}/manage/reach`, body)
export const publishNotice = (cid: number, id: number, publishAt: string | null = null) =>
  api.post<StaffNotice>(`${base(cid)}/manage/${id}/publish`, { publish_at: publishAt })
export const withdrawNotice = (cid: number, id: number) => api.post<StaffNotice>(`${base(cid)}/manage/${id}/withdraw`)
export const noticeStats = (cid: number, id: number) => api.get<NoticeStats>(`${base(cid)}/manage/${id}/stats`)
export const unreadResidents = (cid: number, id: number, query: UnreadQuery = {}) =>
  api.get<UnreadPage>(`${base(cid)}/manage/${id}/unread`, { query: { limit: 50, ...query } })
export const remindUnread = (cid: number, id: number) =>
  api.post<{ reminded: number; deliveries: number }>(`${base(cid)}/manage/${id}/remind`)
export const smsBudget = (cid: number) => api.get<SmsBudget>(`${base(cid)}/manage/sms-budget`)
export const saveSmsBudget = (cid: number, body: { monthly: number; per_notice: number }) =>
  api.put<SmsBudget>(`${base(cid)}/manage/sms-budget`, body)
export const listGrids = (cid: number) => api.get<{ id: number; name: string }[]>(`/communities/${cid}/grids`)
