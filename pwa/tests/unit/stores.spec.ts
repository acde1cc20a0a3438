import { beforeEach, describe, expect, it, vi } from 'vitest'
import { createPinia, setActivePinia } from 'pinia'
import { ApiError } from '@/api/client'
import type { Me } from '@/api/types'
import { i18n } from '@/i18n'
import { errorMessage, fieldErrors } from '@/composables/apiErrors'
import { formatDate } from '@/composables/format'
import { useOnline } from '@/composables/useOnline'

vi.mock('@/api/auth', () => ({
  fetchMe: vi.fn(),
  login: vi.fn(),
  register: vi.fn(),
  logout: vi.fn(),
  updateMe: vi.fn(),
}))

const auth = await import('@/api/auth')
const { useSessionStore } = await import('@/stores/session')
const { usePrefsStore } = await import('@/stores/prefs')

const me = (over: Partial<Me> = {}): Me => ({
  id: 1,
  phone: '13900000001',
  name: '赵大妈',
  locale: 'zh-CN',
  care_mode: false,
  is_admin: false,
  memberships: [{ community: { id: 7, name: '幸福里社区' }, role: 'resident', title: null }],
  residencies: [],
  ...over,
})

beforeEach(() => {
  localStorage.clear()
  document.documentElement.className = ''
  setActivePinia(createPinia())
  vi.mocked(auth.fetchMe).mockReset()
  vi.mocked(auth.login).mockReset()
  vi.mocked(auth.updateMe).mockReset()
  vi.mocked(auth.logout).mockReset()
  i18n.global.locale.value = 'zh-CN'
})

describe('prefs store', () => {
  it('applies care mode to <html> and remembers it for the next first paint', () => {
    const prefs = usePrefsStore()
    prefs.set({ care: true, locale: 'en' })
    expect(document.documentElement.classList.contains('care')).toBe(true)
    expect(document.documentElement.lang).toBe('en')
    expect(i18n.global.locale.value).toBe('en')
    expect(JSON.parse(localStorage.getItem('cc:prefs')!)).toEqual({ care: true, locale: 'en', chosen: [] })
  })

  it('starts from what was saved', () => {
    localStorage.setItem('cc:prefs', JSON.stringify({ care: true, locale: 'en' }))
    const prefs = usePrefsStore()
    expect(prefs.care).toBe(true)
    expect(prefs.locale).toBe('en')
  })
})

describe('session store', () => {
  it('loads me, caches it and takes the profile preferences', async () => {
    vi.mocked(auth.fetchMe).mockResolvedValue(me({ care_mode: true }))
    const session = useSessionStore()
    await session.load()
    expect(session.me?.name).toBe('赵大妈')
    expect(JSON.parse(localStorage.getItem('cc:me')!).id).toBe(1)
    expect(usePrefsStore().care).toBe(true)
  })

  it('is logged out on 401 and forgets the cached me', async () => {
    localStorage.setItem('cc:me', JSON.stringify(me()))
    vi.mocked(auth.fetchMe).mockRejectedValue(new ApiError('unauthorized', 401))
    const session = useSessionStore()
    expect(await session.load()).toBeNull()
    expect(localStorage.getItem('cc:me')).toBeNull()
  })

  it('shows the cached me when the network is down, and says it is offline', async () => {
    localStorage.setItem('cc:me', JSON.stringify(me()))
    vi.mocked(auth.fetchMe).mockRejectedValue(new ApiError('network_error', 0))
    const session = useSessionStore()
    expect((await session.load())?.name).toBe('赵大妈')
    expect(session.fromCache).toBe(true)
    expect(useOnline().value).toBe(false)
  })

  it('keeps the care mode chosen before logging in and saves it to the profile', async () => {
    usePrefsStore().choose({ care: true })
    vi.mocked(auth.login).mockResolvedValue(me({ care_mode: false }))
    vi.mocked(auth.updateMe).mockResolvedValue(me({ care_mode: true }))
    await useSessionStore().login('13900000001', 'pw')
    expect(auth.updateMe).toHaveBeenCalledWith({ care_mode: true })
    expect(usePrefsStore().care).toBe(true)
  })

  it('brings the profile care mode to a new phone instead of switching it off', async () => {
    vi.mocked(auth.login).mockResolvedValue(me({ care_mode: true }))
    await useSessionStore().login('13900000001', 'pw')
    expect(auth.updateMe).not.toHaveBeenCalled()
    expect(usePrefsStore().care).toBe(true)
    expect(document.documentElement.classList.contains('care')).toBe(true)
  })

  it('knows staff communities and the main residency', () => {
    const session = useSessionStore()
    const dwelling = { id: 3, label: '1栋1单元101', unit: '1', room: '101' }
    const base = { community_id: 7, relation: 'owner' as const, reject_reason: null, created_at: '', verified_at: null, dwelling }
    session.setMe(
      me({
        memberships: [{ community: { id: 7, name: '幸福里社区' }, role: 'staff', title: '主任' }],
        residencies: [
          { ...base, id: 1, status: 'rejected' },
          { ...base, id: 2, status: 'verified' },
        ],
      }),
    )
    expect(session.isStaff).toBe(true)
    expect(session.staffMemberships[0].community.id).toBe(7)
    expect(session.residency?.id).toBe(2)
  })

  it("shows dates in the time zone of the resident's community", () => {
    const iso = '2026-11-22T18:30:00Z'
    useSessionStore().setMe(me())
    expect(formatDate(iso)).toContain('02:30') // Asia/Shanghai when the community does not say
    useSessionStore().setMe(
      me({
        memberships: [
          { community: { id: 5, name: '别的社区', timezone: 'Asia/Shanghai' }, role: 'staff', title: null },
          { community: { id: 7, name: '天山社区', timezone: 'Asia/Urumqi' }, role: 'resident', title: null },
        ],
        residencies: [
          { id: 1, community_id: 7, relation: 'owner', status: 'verified', reject_reason: null, created_at: '',
            verified_at: null, dwelling: { id: 3, label: '1栋1单元101', unit: '1', room: '101' } },
        ],
      }),
    )
    expect(formatDate(iso)).toContain('00:30')
  })

  it('clears the cache on logout', async () => {
    const session = useSessionStore()
    session.setMe(me())
    vi.mocked(auth.logout).mockResolvedValue(undefined)
    await session.logout()
    expect(session.me).toBeNull()
    expect(localStorage.getItem('cc:me')).toBeNull()
  })
})

describe('error messages', () => {
  it('maps codes to the user language and falls back to a generic message', () => {
    expect(errorMessage(new ApiError('invalid_credentials', 401))).toBe('手机号或密码不正确')
    expect(errorMessage(new ApiError('something_new', 400))).toBe('操作失败，请稍后重试')
    expect(errorMessage(new Error('boom'))).toBe('操作失败，请稍后重试')
    i18n.global.locale.value = 'en'
    expect(errorMessage(new ApiError('invalid_credentials', 401))).toBe('Wrong phone number or password')
  })

  it('localizes field errors', () => {
    const err = new ApiError('validation_failed', 422, '', {
      current_password: ['Wrong password.'],
      name: ['Length must be at most 50.'],
    })
    expect(fieldErrors(err)).toEqual({ current_password: '当前密码不正确', name: '此项填写有误' })
    i18n.global.locale.value = 'en'
    expect(fieldErrors(err).name).toBe('Length must be at most 50.')
  })
})
