import { api } from './client'

export type GuideMode = 'in_person' | 'online' | 'both'

export interface GuideCategory {
  id: number
  name: string
  icon: string
  position: number
  item_count: number
}

export interface GuideItemBrief {
  id: number
  category_id: number
  position: number
  title: string
  summary: string
  mode: GuideMode
  no_longer_issued: boolean
  published: boolean
  updated_at: string
  helpful_yes: number
  helpful_no: number
}

export interface Material {
  name: string
  form: 'original' | 'copy' | 'both'
  copies: number
  note: string
}

export interface GuideItem extends GuideItemBrief {
  category: { id: number; name: string; icon: string }
  audience: string
  materials: Material[]
  steps: string[]
  office: string
  facility: { id: number; name: string; address: string; phone: string; latitude: number; longitude: number } | null
  office_hours: string
  fee: string
  time_limit_days: number | null
  legal_basis: string
  online_url: string
  contact: { id: number; name: string } | null
  phone: string
  tags: string[]
  aliases: string[]
  instead: string
}

/** Text cut into plain and matched pieces, for highlighting without HTML. */
export interface Segment {
  text: string
  hit: boolean
}

export interface SearchHit {
  kind: 'guide' | 'facility'
  id: number
  score: number
  field: 'title' | 'tags' | 'body'
  title: Segment[]
  snippet: Segment[]
}

export interface Suggestion {
  kind: 'guide' | 'facility'
  id: number
  text: string
  title: Segment[]
}

const base = (cid: number) => `/communities/${cid}`

export const listCategories = (cid: number) => api.get<GuideCategory[]>(`${base(cid)}/guide/categories`)
export const listItems = (cid: number, categoryId: number) =>
  api.get<GuideItemBrief[]>(`${base(cid)}/guide/items`, { query: { category_id: categoryId } })
export const getItem = (cid: number, id: number) => api.get<GuideItem>(`${base(cid)}/guide/items/${id}`)
export const sendFeedback = (cid: number, id: number, helpful: boolean, comment = '') =>
  api.post<GuideItem>(`${base(cid)}/guide/items/${id}/feedback`, { helpful, comment })
// Full searches are in api/search.ts (they are logged, and say which hit was opened).
export const suggest = (cid: number, q: string) =>
  api.get<Suggestion[]>(`${base(cid)}/search/suggest`, { query: { q } })

// Staff: writing the guide.

export type ItemStatus = 'all' | 'draft' | 'published'

/** What the editor sends; the same fields an import file's items carry, plus the links. */
export interface GuideItemInput {
  category_id: number
  title: string
  summary: string
  audience: string
  materials: Material[]
  steps: string[]
  office: string
  office_hours: string
  fee: string
  time_limit_days: number | null
  legal_basis: string
  mode: GuideMode
  online_url: string
  phone: string
  tags: string[]
  aliases: string[]
  no_longer_issued: boolean
  instead: string
  facility_id: number | null
  contact_user_id: number | null
  published: boolean
}

export interface GuideFeedbackSummary {
  helpful_yes: number
  helpful_no: number
  comments: { helpful: boolean; comment: string; created_at: string; user: { id: number; name: string } }[]
}

export interface GuideFile {
  version: number
  categories: { name: string; icon: string; items: Omit<GuideItemInput, 'category_id' | 'facility_id' | 'contact_user_id'>[] }[]
}

export interface GuideImportResult {
  categories_created: number
  items_created: number
  items_updated: number
}

const g = (cid: number) => `${base(cid)}/guide`

export const listAllItems = (cid: number, status: ItemStatus = 'all') =>
  api.get<GuideItemBrief[]>(`${g(cid)}/items`, { query: { status } })
export const createItem = (cid: number, input: GuideItemInput) => api.post<GuideItem>(`${g(cid)}/items`, input)
export const updateItem = (cid: number, id: number, input: GuideItemInput) =>
  api.put<GuideItem>(`${g(cid)}/items/${id}`, input)
export const deleteItem = (cid: number, id: number) => api.del(`${g(cid)}/items/${id}`)
export const getFeedback = (cid: number, id: number) => api.get<GuideFeedbackSummary>(`${g(cid)}/items/${id}/feedback`)

export const createCategory = (cid: number, name: string) =>
  api.post<GuideCategory>(`${g(cid)}/categories`, { name })
export const renameCategory = (cid: number, category: GuideCategory, name: string) =>
  api.put<GuideCategory>(`${g(cid)}/categories/${category.id}`, { name, icon: category.icon })
export const deleteCategory = (cid: number, id: number) => api.del(`${g(cid)}/categories/${id}`)
export const orderCategories = (cid: number, ids: number[]) =>
  api.put<GuideCategory[]>(`${g(cid)}/categories/order`, { ids })

export const exportGuide = (cid: number) => api.get<GuideFile>(`${g(cid)}/export`)
export const importGuide = (cid: number, file: unknown) => api.post<GuideImportResult>(`${g(cid)}/import`, file)
