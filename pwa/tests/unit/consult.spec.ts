import { describe, expect, it } from 'vitest'
import type { Answer, Question } from '@/api/consult'
import {
  asksForFeedback,
  byField,
  faqDraft,
  firstLine,
  mayMakeFaq,
  staffTags,
  statusTag,
  textProblem,
  waitingLine,
} from '@/views/consult/helpers'
import { addDate, emptySettings, fromSettings, placeServerErrors, toSettings, validateSettings } from '@/views/consult/staff/settings'

const answer = (id: number, asker = false): Answer => ({
  id,
  text: asker ? '还想问一下' : '可以申请，带身份证来社区',
  by: asker ? { name: '张三', asker: true } : { name: '王芳', title: '第二网格网格员' },
  at: '2026-11-30T02:00:00+00:00',
})

function question(over: Partial<Question> = {}): Question {
  return {
    id: 12,
    topic: 'elderly',
    text: '我妈八十岁了，一个人住，能申请助餐吗？\n她腿脚不好。',
    photos: [],
    addressed_to: null,
    assignee: null,
    status: 'open',
    asked_at: '2026-11-30T01:00:00+00:00',
    due_at: '2026-12-02T09:00:00+00:00',
    overdue: false,
    escalated: false,
    answers: [],
    helpful: null,
    closed_at: null,
    faq_consent: true,
    faq_item_id: null,
    ...over,
  }
}

describe('status for the asker', () => {
  it('names each status with its own tag', () => {
    expect(statusTag(question()).key).toBe('consult.status.open')
    expect(statusTag(question({ status: 'answered' })).type).toBe('success')
    expect(statusTag(question({ status: 'closed' })).key).toBe('consult.status.closed')
  })

  it('shows the promised date while waiting, and never says overdue', () => {
    expect(waitingLine(question())).toEqual({ key: 'consult.dueBy', due: '2026-12-02T09:00:00+00:00' })
    expect(waitingLine(question({ overdue: true }))).toEqual({ key: 'consult.waiting' })
    expect(waitingLine(question({ overdue: true, escalated: true }))).toEqual({ key: 'consult.escalatedGentle' })
    expect(waitingLine(question({ status: 'answered' }))).toBeNull()
  })
})

describe('tags for staff', () => {
  it('marks overdue open questions in red and escalated ones', () => {
    expect(staffTags(question())).toEqual([])
    expect(staffTags(question({ overdue: true })).map((t) => [t.key, t.type])).toEqual([['consultStaff.overdue', 'danger']])
    expect(staffTags(question({ overdue: true, escalated: true })).map((t) => t.key)).toEqual([
      'consultStaff.overdue',
      'consultStaff.escalated',
    ])
    expect(staffTags(question({ status: 'answered', overdue: true })).map((t) => t.key)).toEqual([])
  })
})

describe('what the asker and staff may do', () => {
  it('asks "did it help" after an answer not yet judged, not after a follow-up', () => {
    expect(asksForFeedback(question())).toBe(false)
    expect(asksForFeedback(question({ status: 'answered', answers: [answer(1)] }))).toBe(true)
    expect(asksForFeedback(question({ status: 'answered', answers: [answer(1)], helpful: true }))).toBe(false)
    expect(asksForFeedback(question({ answers: [answer(1), answer(2, true)] }))).toBe(false)
    expect(asksForFeedback(question({ status: 'closed', answers: [answer(1)] }))).toBe(false)
    expect(asksForFeedback(question({ status: 'answered', answers: [answer(1)], asker: { name: '张三', home: '3栋' } }))).toBe(false)
  })

  it('offers the FAQ only to staff, with consent and an answer, once', () => {
    const answered = question({ status: 'answered', answers: [answer(1)] })
    expect(mayMakeFaq(answered, true)).toBe(true)
    expect(mayMakeFaq(answered, false)).toBe(false)
    expect(mayMakeFaq({ ...answered, faq_consent: false }, true)).toBe(false)
    expect(mayMakeFaq({ ...answered, faq_item_id: 4 }, true)).toBe(false)
    expect(mayMakeFaq(question({ answers: [answer(2, true)] }), true)).toBe(false)
  })

  it('drafts the FAQ from the first line and the staff answers only', () => {
    const draft = faqDraft(question({ answers: [answer(1), answer(2, true), { ...answer(3), text: ' 也可以电话预约 ' }] }))
    expect(draft.title).toBe('我妈八十岁了，一个人住，能申请助餐吗？')
    expect(draft.answer).toBe('可以申请，带身份证来社区\n\n也可以电话预约')
  })
})

describe('text', () => {
  it('cuts the first line and checks 5–1000 characters', () => {
    expect(firstLine('  一二三四五六\n第二行', 4)).toBe('一二三四…')
    expect(firstLine('短')).toBe('短')
    expect(textProblem('  四个字了  ')).toBe('consult.err.tooShort')
    expect(textProblem('五个字够了')).toBeNull()
    expect(textProblem('字'.repeat(1001))).toBe('consult.err.tooLong')
  })

  it('puts nested server errors on their field', () => {
    expect(byField({ 'photos.1': '无效', text: '太短', 'photos.2': '无效' })).toEqual({ photos: '无效', text: '太短' })
  })
})

describe('settings form', () => {
  const api = {
    promise_days: 3,
    routes: [
      { topic: 'law' as const, contact_id: 7 },
      { topic: 'housing' as const, contact_id: 2 },
    ],
    holidays: ['2027-01-01', '2026-12-31', '2027-01-01'],
    workdays: ['2027-02-07'],
  }

  it('turns routes into one choice per topic and back, in topic order', () => {
    const form = fromSettings(api)
    expect(form.routes.law).toBe(7)
    expect(form.routes.health).toBeNull()
    expect(form.holidays).toEqual(['2026-12-31', '2027-01-01'])
    form.routes.law = null
    form.routes.safety = 9
    expect(toSettings(form)).toEqual({
      promise_days: 3,
      routes: [
        { topic: 'housing', contact_id: 2 },
        { topic: 'safety', contact_id: 9 },
      ],
      holidays: ['2026-12-31', '2027-01-01'],
      workdays: ['2027-02-07'],
    })
  })

  it('adds dates sorted and once, ignoring an empty pick', () => {
    expect(addDate(['2027-01-02'], '2027-01-01')).toEqual(['2027-01-01', '2027-01-02'])
    expect(addDate(['2027-01-01'], '2027-01-01')).toEqual(['2027-01-01'])
    expect(addDate(['2027-01-01'], '')).toEqual(['2027-01-01'])
  })

  it('checks the promise days and that 调休 workdays are weekend days in neither list twice', () => {
    expect(validateSettings(fromSettings(api))).toEqual({})
    const form = emptySettings()
    form.promise_days = 0
    form.workdays = ['2027-02-08'] // a Monday
    expect(validateSettings(form)).toEqual({ promise_days: 'consultStaff.err.days', workdays: 'consultStaff.err.workdayWeekend' })
    form.promise_days = 2.5
    form.workdays = ['2027-02-07']
    form.holidays = ['2027-02-07']
    expect(validateSettings(form)).toEqual({ promise_days: 'consultStaff.err.days', workdays: 'consultStaff.err.bothLists' })
  })

  it('places a route error from the server on its topic', () => {
    const sent = toSettings(fromSettings(api))
    expect(placeServerErrors({ 'routes.1.contact_id': '本社区没有这一项', 'holidays.0': '日期格式不正确' }, sent)).toEqual({
      'routes.law': '本社区没有这一项',
      holidays: '日期格式不正确',
    })
  })
})
