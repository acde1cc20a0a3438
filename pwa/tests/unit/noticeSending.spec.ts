import { afterEach, describe, expect, it } from 'vitest'
import type { SendingProgress } from '@/api/notices'
import { i18n, loadMessages } from '@/i18n'
import { sendingLine, sendingPercent } from '@/views/notices/sending'

afterEach(() => {
  i18n.global.locale.value = 'zh-CN'
})

function progress(fields: Partial<SendingProgress>): SendingProgress {
  return { kind: 'publish', status: 'running', done: 0, total: null, deliveries: 0, started_at: '2026-12-01T12:00:00Z', finished_at: null, ...fields }
}

// The staff stats screen while the worker sends a notice to a large audience, a chunk at a time.
describe('notice sending progress', () => {
  it('says how many of how many, in both languages', async () => {
    await loadMessages(['notices'])
    const line = sendingLine(progress({ done: 12000, total: 30000 }))!
    expect(i18n.global.t(line.key, line.params)).toBe('已发送 12,000 / 30,000')
    i18n.global.locale.value = 'en'
    await loadMessages(['notices'])
    const reminder = sendingLine(progress({ kind: 'remind', done: 500, total: 1200 }), 'en')!
    expect(i18n.global.t(reminder.key, reminder.params)).toBe('Reminder sent to 500 / 1,200')
  })

  it('counts first, then shows nothing once done', () => {
    expect(sendingLine(progress({}))).toEqual({ key: 'notices.sending.counting', params: {} })
    expect(sendingLine(progress({ status: 'done', done: 3, total: 3 }))).toBeNull()
    expect(sendingLine(null)).toBeNull()
  })

  it('fills the bar by what is done', () => {
    expect(sendingPercent(progress({ done: 12000, total: 30000 }))).toBe(40)
    expect(sendingPercent(progress({ done: 0, total: 0 }))).toBe(0)
  })
})
