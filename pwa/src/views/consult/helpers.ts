// Pure rules of the question screens: how a status reads to the asker and to staff, and what each may
// do next. Messages are i18n keys, so they test without a DOM.
import type { Answer, Question } from '@/api/consult'

export type TagType = 'primary' | 'success' | 'warning' | 'danger' | 'default'

export interface Tag {
  key: string
  type: TagType
  icon: string
}

export const MIN_TEXT = 5
export const MAX_TEXT = 1000
export const MAX_PHOTOS = 3

const STATUS_TAGS: Record<Question['status'], Tag> = {
  open: { key: 'consult.status.open', type: 'warning', icon: 'clock-o' },
  answered: { key: 'consult.status.answered', type: 'success', icon: 'chat-o' },
  closed: { key: 'consult.status.closed', type: 'default', icon: 'passed' },
}

export const statusTag = (q: Pick<Question, 'status'>): Tag => STATUS_TAGS[q.status]

/**
 * The line under a waiting question for the asker, kept gentle: the promised date while it lasts; once
 * past it, only that the community head follows it up (when escalated), never "overdue".
 */
export function waitingLine(q: Pick<Question, 'status' | 'overdue' | 'escalated' | 'due_at'>): { key: string; due?: string } | null {
  if (q.status !== 'open') return null
  if (q.escalated) return { key: 'consult.escalatedGentle' }
  if (q.overdue) return { key: 'consult.waiting' }
  return { key: 'consult.dueBy', due: q.due_at }
}

/** Extra tags for staff: overdue in red, escalated to the head. */
export function staffTags(q: Pick<Question, 'status' | 'overdue' | 'escalated'>): Tag[] {
  const tags: Tag[] = []
  if (q.status === 'open' && q.overdue) tags.push({ key: 'consultStaff.overdue', type: 'danger', icon: 'warning-o' })
  if (q.escalated) tags.push({ key: 'consultStaff.escalated', type: 'primary', icon: 'arrow-up' })
  return tags
}

/** The first line of a text, cut to `max` characters. */
export function firstLine(text: string, max = 40): string {
  const line = text.trim().split(/\r?\n/)[0] ?? ''
  const chars = Array.from(line)
  return chars.length > max ? `${chars.slice(0, max).join('')}…` : line
}

export const isStaffAnswer = (a: Answer) => !a.by.asker
export const hasAnswer = (q: Pick<Question, 'answers'>) => q.answers.some(isStaffAnswer)

/** The asker sees no `asker` block (it is about themselves). */
export const viewedByAsker = (q: Pick<Question, 'asker'>) => !q.asker

/** Ask "did this help?" while the newest entry is an answer the asker has not judged. */
export function asksForFeedback(q: Pick<Question, 'answers' | 'helpful' | 'status' | 'asker'>): boolean {
  const last = q.answers[q.answers.length - 1]
  return viewedByAsker(q) && q.status !== 'closed' && q.helpful === null && !!last && isStaffAnswer(last)
}

/** Staff may turn it into a public FAQ once the asker allowed it and it has an answer. */
export const mayMakeFaq = (q: Pick<Question, 'faq_consent' | 'answers' | 'faq_item_id'>, isStaff: boolean) =>
  isStaff && q.faq_consent && hasAnswer(q) && !q.faq_item_id

/** A starting point for the FAQ: the question's first line and the answers; staff edit out anything personal. */
export function faqDraft(q: Pick<Question, 'text' | 'answers'>): { title: string; answer: string } {
  return {
    title: firstLine(q.text, 60),
    answer: q.answers.filter(isStaffAnswer).map((a) => a.text.trim()).join('\n\n'),
  }
}

/** Text length as the server counts it (characters, surrounding spaces trimmed). */
export const textLength = (text: string) => Array.from(text.trim()).length

/** Why the question text cannot be sent yet, as a key; null when it can. */
export function textProblem(text: string): string | null {
  const n = textLength(text)
  if (n < MIN_TEXT) return 'consult.err.tooShort'
  if (n > MAX_TEXT) return 'consult.err.tooLong'
  return null
}

/** Field errors by top-level field ("photos.1" shows on the photos). */
export function byField(errors: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {}
  for (const [path, message] of Object.entries(errors)) {
    const key = path.split('.')[0]
    out[key] = out[key] && out[key] !== message ? `${out[key]}；${message}` : message
  }
  return out
}
