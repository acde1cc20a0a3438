import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { ApiError } from '@/api/client'
import { requestSmsCode, smsLogin, smsReset } from '@/api/auth'
import { errorMessage } from '@/composables/apiErrors'
import { i18n } from '@/i18n'

const fetchMock = vi.fn()

function json(status: number, body: unknown): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } })
}

beforeEach(() => {
  document.cookie = 'csrf_token=tok; path=/'
  fetchMock.mockReset()
  vi.stubGlobal('fetch', fetchMock)
})

afterEach(() => {
  vi.unstubAllGlobals()
  i18n.global.locale.value = 'zh-CN'
})

describe('codes texted to the phone', () => {
  it('are asked for, and spent, at the auth endpoints', async () => {
    fetchMock.mockResolvedValueOnce(json(202, { resend_after: 60, expires_in: 300 }))
    expect(await requestSmsCode('13800000001', 'login')).toEqual({ resend_after: 60, expires_in: 300 })
    fetchMock.mockImplementation(async () => json(200, { id: 1 }))
    await smsLogin('13800000001', '123456')
    await smsReset('13800000001', '123456', 'river-stone-2026')
    const calls = fetchMock.mock.calls.map(([url, init]) => [url, JSON.parse(init.body)])
    expect(calls).toEqual([
      ['/api/v1/auth/sms-code', { phone: '13800000001', purpose: 'login' }],
      ['/api/v1/auth/sms-login', { phone: '13800000001', code: '123456' }],
      ['/api/v1/auth/sms-reset', { phone: '13800000001', code: '123456', new_password: 'river-stone-2026' }],
    ])
  })

  it('say what went wrong in Chinese and English', () => {
    const wrong = new ApiError('sms_code_invalid', 422)
    const soon = new ApiError('sms_too_soon', 429, '', {}, { retry_after: 42 })
    const down = new ApiError('sms_unavailable', 503)
    expect([errorMessage(wrong), errorMessage(soon), errorMessage(down)]).toEqual([
      '验证码不正确或已过期，请重新获取', '获取验证码太频繁了，请稍后再试', '短信暂时发不出去，请稍后再试，或用密码登录'])
    i18n.global.locale.value = 'en'
    expect(errorMessage(down)).toBe('Text messages cannot be sent right now. Try again later, or log in with your password.')
  })
})
