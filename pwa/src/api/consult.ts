import { api } from './client'
import type { Position } from './contacts'
import type { Page } from './types'

/** In the order the ask screen offers them; also what staff route by. */
export const TOPICS = [
  'housing',
  'elderly',
  'health',
  'law',
  'employment',
  'education',
  'certificates',
  'environment',
  'safety',
  'other',
] as const
export type Topic = (typeof TOPICS)[number]

export type QuestionStatus = 'open' | 'answered' | 'closed'

export interface QuestionPhoto {
  id: string
  url: string
  thumb_url: string
}

export interface ContactBrief {
  id: number
  name: string
  position: Position
  title: string
  photo_thumb_url: string | null
}

/** An answer, or the asker's follow-up (`by.asker`). */
export interface Answer {
  id: number
  text: string
  by: { name: string; title?: string; asker?: boolean }
  at: string
}

export interface Question {
  id: number
  topic: Topic
  text: string
  photos: QuestionPhoto[]
  /** null: the community. */
  addressed_to: ContactBrief | null
  /** null when nobody fits the routing: staff see it unassigned. */
  assignee: ContactBrief | null
  status: QuestionStatus
  asked_at: string
  due_at: string
  overdue: boolean
  escalated: boolean
  answers: Answer[]
  helpful: boolean | null
  closed_at: string | null
  faq_consent: boolean
  faq_item_id: number | null
  /** Present only for staff and answerers. */
  asker?: { name: string; home: string }
}

export interface QuestionInput {
  topic: Topic
  text: string
  photos: string[]
  contact_id?: number
  faq_consent: boolean
}

export interface InboxQuery {
  status?: QuestionStatus
  mine?: boolean
  page?: number
  per_page?: number
}

export interface ConsultSettings {
  promise_days: number
  routes: { topic: Topic; contact_id: number }[]
  /** Extra days off, "YYYY-MM-DD". */
  holidays: string[]
  /** Weekend days that are working days (调休). */
  workdays: string[]
}

const base = (cid: number) => `/communities/${cid}/questions`

export const askQuestion = (cid: number, input: QuestionInput) => api.post<Question>(base(cid), input)
export const myQuestions = (cid: number, page = 1, perPage = 20) =>
  api.get<Page<Question>>(`${base(cid)}/mine`, { query: { page, per_page: perPage } })
export const getQuestion = (cid: number, id: number) => api.get<Question>(`${base(cid)}/${id}`)
export const sendFeedback = (cid: number, id: number, helpful: boolean, close = false) =>
  api.post<Question>(`${base(cid)}/${id}/feedback`, { helpful, close })
export const closeQuestion = (cid: number, id: number) => api.post<Question>(`${base(cid)}/${id}/close`)
export const followUp = (cid: number, id: number, text: string) => api.post<Question>(`${base(cid)}/${id}/follow-up`, { text })

export const inbox = (cid: number, query: InboxQuery = {}) =>
  api.get<Page<Question>>(`${base(cid)}/inbox`, {
    query: { status: query.status, mine: query.mine ? 'true' : undefined, page: query.page, per_page: query.per_page },
  })
export const answerQuestion = (cid: number, id: number, text: string) => api.post<Question>(`${base(cid)}/${id}/answers`, { text })
export const transferQuestion = (cid: number, id: number, contactId: number, note = '') =>
  api.post<Question>(`${base(cid)}/${id}/transfer`, { contact_id: contactId, ...(note ? { note } : {}) })
export const makeFaq = (cid: number, id: number, title: string, answer: string) =>
  api.post<{ faq_item_id: number }>(`${base(cid)}/${id}/faq`, { title, answer })
export const getSettings = (cid: number) => api.get<ConsultSettings>(`${base(cid)}/manage/settings`)
export const putSettings = (cid: number, settings: ConsultSettings) => api.put<ConsultSettings>(`${base(cid)}/manage/settings`, settings)
