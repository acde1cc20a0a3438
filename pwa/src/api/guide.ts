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
  helpful_yes: number
  helpful_no: number
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
export const search = (cid: number, q: string, kind?: 'guide' | 'facility') =>
  api.get<SearchHit[]>(`${base(cid)}/search`, { query: { q, kind } })
export const suggest = (cid: number, q: string) =>
  api.get<Suggestion[]>(`${base(cid)}/search/suggest`, { query: { q } })
